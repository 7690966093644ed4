/**
 * The Chinese font A4 documents are set in, embedded as a subset (only the glyphs a
 * document uses): WenQuanYi Micro Hei from Debian's fonts-wqy-microhei, which every
 * machine that runs the screens has already (Chromium needs it for Chinese).
 *
 * Noto Sans CJK SC (fonts-noto-cjk) was the first choice and was tried: fontkit subsets
 * its CID-keyed CFF outlines wrongly once a document uses more than a handful of
 * characters (poppler: "Embedded font file may be invalid", glyphs missing), while the
 * TrueType outlines of Micro Hei subset cleanly at any length.
 *
 * Both ship as collections (.ttc). pdf-lib hands the whole file to fontkit, which answers
 * a collection object that cannot subset, so the fontkit given to pdf-lib picks one face
 * out (by PostScript name, else the first).
 *
 * The file is read once per process; its bytes stay in memory for the next document.
 */
import { readFileSync } from 'node:fs';
import fontkit from '@pdf-lib/fontkit';
import type { PDFDocument, PDFFont } from 'pdf-lib';

export const CJK_FONT_ENV = 'XIAOJIN_CJK_FONT';
export const DEFAULT_CJK_FONT = { file: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', face: 'WenQuanYiMicroHei' };

export class FontMissingError extends Error {
  override readonly name = 'FontMissingError';
}

type Face = ReturnType<typeof fontkit.create>;
let cached: { key: string; bytes: Uint8Array } | null = null;

/** XIAOJIN_CJK_FONT=/path/font.ttc#PostScriptName (or a plain .otf/.ttf path) overrides the default. */
function configured(): { file: string; face?: string } {
  const env = process.env[CJK_FONT_ENV];
  if (!env) return DEFAULT_CJK_FONT;
  const [file, face] = env.split('#');
  return { file, face };
}

function fontBytes(): { bytes: Uint8Array; face?: string; file: string } {
  const { file, face } = configured();
  const key = `${file}#${face ?? ''}`;
  if (cached?.key !== key) {
    try {
      cached = { key, bytes: readFileSync(file) };
    } catch (err) {
      throw new FontMissingError(`the Chinese font for printed documents is missing (${file}: ${(err as NodeJS.ErrnoException).code}); install Debian's fonts-wqy-microhei or set ${CJK_FONT_ENV}`);
    }
  }
  return { bytes: cached.bytes, face, file };
}

/**
 * The face to embed. Parsed anew for each document: fontkit's CFF subsetter changes the
 * parsed font it works on, so a face reused for a second document embeds a broken subset.
 */
function parseFace(bytes: Uint8Array, file: string, face?: string): Face {
  const parsed = fontkit.create(bytes as Buffer) as Face & { fonts?: Face[]; getFont?: (name: string) => Face | null };
  const chosen = parsed.fonts ? (face ? parsed.getFont?.(face) : parsed.fonts[0]) : parsed;
  if (!chosen) throw new FontMissingError(`${file} has no face named ${face}`);
  return chosen;
}

/** Embeds the CJK font into a document, as a subset. */
export async function embedCjkFont(doc: PDFDocument): Promise<PDFFont> {
  const { bytes, face, file } = fontBytes();
  doc.registerFontkit({ create: (b: Uint8Array) => parseFace(b, file, face) } as unknown as Parameters<PDFDocument['registerFontkit']>[0]);
  return doc.embedFont(bytes, { subset: true });
}
