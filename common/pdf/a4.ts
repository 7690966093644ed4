/**
 * Setting text on A4 pages with pdf-lib: a cursor that moves down the page, lines wrapped
 * to a width (Chinese breaks between any two characters, so wrapping is per character),
 * a new page when the cursor reaches the footer, and QR codes drawn as vector squares so
 * they stay sharp at any printer resolution.
 */
import { PDFDocument, rgb, type PDFFont, type PDFPage, type RGB } from 'pdf-lib';
import QRCode from 'qrcode';
import { embedCjkFont } from './cjk-font.ts';

/** ISO 216 A4 in PostScript points. */
export const A4 = { width: 595.28, height: 841.89 } as const;
export const MARGIN = 56;
export const INK = rgb(0.1, 0.1, 0.1);
export const GREY = rgb(0.45, 0.45, 0.45);

export interface TextStyle {
  size?: number;
  color?: RGB;
  align?: 'left' | 'center' | 'right';
  /** Left edge (default the margin) and width available (default to the right margin). */
  x?: number;
  width?: number;
}

/** Splits text into lines no wider than `width` at `size`; explicit newlines are kept. */
export function wrap(font: PDFFont, text: string, size: number, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const ch of paragraph) {
      if (line && font.widthOfTextAtSize(line + ch, size) > width) {
        lines.push(line);
        line = ch.trim() ? ch : '';
      } else line += ch;
    }
    lines.push(line);
  }
  return lines;
}

export class A4Writer {
  readonly pages: PDFPage[] = [];
  page!: PDFPage;
  /** Baseline of the next line, from the bottom of the page. */
  y = 0;

  private constructor(
    readonly doc: PDFDocument,
    readonly font: PDFFont,
    /** The lowest a line may sit: what is below belongs to the footer. */
    readonly bottom: number,
  ) {}

  static async create(title: string, bottom = MARGIN): Promise<A4Writer> {
    const doc = await PDFDocument.create();
    doc.setTitle(title);
    doc.setCreator('Xiaojin');
    doc.setProducer('Xiaojin (pdf-lib)');
    const writer = new A4Writer(doc, await embedCjkFont(doc), bottom);
    writer.newPage();
    return writer;
  }

  newPage(): void {
    this.page = this.doc.addPage([A4.width, A4.height]);
    this.pages.push(this.page);
    this.y = A4.height - MARGIN;
  }

  /** Moves down by `height`, starting a page when it would run into the footer. */
  space(height: number): void {
    if (this.y - height < this.bottom) this.newPage();
    else this.y -= height;
  }

  /** Ensures `height` fits on this page, else starts the next one. Returns true when a page was started. */
  keep(height: number): boolean {
    if (this.y - height >= this.bottom) return false;
    this.newPage();
    return true;
  }

  /** Writes wrapped text; returns the number of lines. */
  text(text: string, style: TextStyle = {}): number {
    const size = style.size ?? 11;
    const x0 = style.x ?? MARGIN;
    const width = style.width ?? A4.width - MARGIN - x0;
    const lines = wrap(this.font, text, size, width);
    for (const line of lines) {
      this.keep(size * 1.5);
      this.y -= size * 1.2;
      this.drawLine(line, x0, this.y, size, width, style);
      this.y -= size * 0.3;
    }
    return lines.length;
  }

  drawLine(line: string, x0: number, y: number, size: number, width: number, style: Pick<TextStyle, 'align' | 'color'> = {}, page = this.page): void {
    const w = this.font.widthOfTextAtSize(line, size);
    const x = style.align === 'center' ? x0 + (width - w) / 2 : style.align === 'right' ? x0 + width - w : x0;
    page.drawText(line, { x, y, size, font: this.font, color: style.color ?? INK });
  }

  rule(thickness = 0.8, color: RGB = GREY): void {
    this.space(6);
    this.page.drawLine({ start: { x: MARGIN, y: this.y }, end: { x: A4.width - MARGIN, y: this.y }, thickness, color });
    this.space(6);
  }

  save(): Promise<Uint8Array> {
    return this.doc.save();
  }
}

/** Draws a QR code of `data` with its lower-left corner at (x, y), `size` points square including the quiet zone. */
export function drawQr(page: PDFPage, data: string, x: number, y: number, size: number): void {
  const qr = QRCode.create(data, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = 2;
  const cell = size / (n + quiet * 2);
  page.drawRectangle({ x, y, width: size, height: size, color: rgb(1, 1, 1) });
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (!qr.modules.get(r, c)) continue;
      page.drawRectangle({ x: x + (c + quiet) * cell, y: y + size - (r + quiet + 1) * cell, width: cell, height: cell, color: rgb(0, 0, 0) });
    }
  }
}
