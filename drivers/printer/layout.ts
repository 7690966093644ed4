/**
 * Line layout for a receipt printer's fixed grid of columns. A thermal printer in GB18030
 * mode gives every multi-byte character two columns and every single byte one, so the
 * width is counted on the encoded bytes, not guessed from Unicode ranges. Where a line may
 * break follows the Unicode line-breaking algorithm (UAX #14, the `linebreak` package):
 * no line starts with closing punctuation （），。、？）, none ends with an opening one （（《“）,
 * and a Latin word or a number is never cut unless it is wider than the whole line.
 */
import iconv from 'iconv-lite';
import { LineBreaker } from 'linebreak';
import type { ReceiptItemInput, TextItem } from './receipt.ts';

type TextItemInput = import('zod').input<typeof TextItem>;

const widths = new Map<string, number>();

/** Columns one character takes on the printer: its GB18030 byte count, capped at two. */
function charColumns(ch: string): number {
  let w = widths.get(ch);
  if (w === undefined) {
    // Control characters take no room; four-byte GB18030 sequences still print double width.
    w = ch < ' ' ? 0 : Math.min(2, iconv.encode(ch, 'gb18030').length);
    widths.set(ch, w);
  }
  return w;
}

/** Columns a string takes on the printer. */
export function columns(text: string): number {
  let n = 0;
  for (const ch of text) n += charColumns(ch);
  return n;
}

/** Punctuation a line must not start with, and punctuation it must not end with. */
const NO_START = /^[\p{Pe}\p{Pf}、。，；：？！…‥%,.;:?!]/u;
const NO_END = /[\p{Ps}\p{Pi}]$/u;

/** Pieces of a paragraph between which a line may end, each with its trailing spaces. */
function segments(para: string): string[] {
  const out: string[] = [];
  // UAX #14 lets a line start with 、。；？ after a space (written "510030 ；"); a receipt may not.
  const push = (seg: string) => {
    if (out.length && NO_START.test(seg)) out[out.length - 1] += seg;
    else out.push(seg);
  };
  const breaker = new LineBreaker(para);
  let last = 0;
  for (let bk = breaker.nextBreak(); bk; bk = breaker.nextBreak()) {
    if (bk.position > last) push(para.slice(last, bk.position));
    last = bk.position;
  }
  if (last < para.length) push(para.slice(last));
  return out;
}

/**
 * Cuts a piece wider than a whole line (a long code, or a word glued to a bracket) where the
 * columns run out, moving a character down when the cut would strand punctuation.
 */
function hardSplit(piece: string, room: number, width: number): string[] {
  const parts: string[] = [];
  let cur: string[] = [];
  let used = 0;
  let limit = room;
  for (const ch of piece) {
    const w = charColumns(ch);
    if (used + w > limit && cur.length) {
      const carried: string[] = [];
      while (cur.length > 1 && (NO_END.test(cur[cur.length - 1]) || NO_START.test(carried[0] ?? ch))) carried.unshift(cur.pop()!);
      parts.push(cur.join(''));
      cur = carried;
      used = columns(carried.join(''));
      limit = width;
    }
    cur.push(ch);
    used += w;
  }
  if (cur.length) parts.push(cur.join(''));
  return parts;
}

/**
 * Breaks text into lines of at most `width` columns. Continuation lines of a paragraph
 * start with `indent` (a hanging indent for numbered entries); spaces where a line breaks
 * are dropped rather than printed at either end.
 */
export function wrap(text: string, width: number, indent = ''): string[] {
  const indentCols = columns(indent);
  if (indentCols >= width) throw new RangeError(`indent of ${indentCols} columns leaves no room in ${width}`);
  const lines: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    let used = 0;
    const newLine = () => {
      lines.push(line.trimEnd());
      line = indent;
      used = indentCols;
    };
    for (const seg of segments(para)) {
      const body = seg.trimEnd();
      const bodyCols = columns(body);
      if (used + bodyCols <= width) {
        line += seg;
        used += columns(seg);
        continue;
      }
      if (line.trim() !== '') newLine();
      if (bodyCols <= width - used) {
        line += seg;
        used += columns(seg);
        continue;
      }
      // A piece wider than a line: cut it at the width.
      const parts = hardSplit(body, width - used, width - indentCols);
      parts.forEach((p, i) => {
        if (i > 0) newLine();
        line += p;
        used += columns(p);
      });
      line += seg.slice(body.length);
      used += columns(seg.slice(body.length));
    }
    lines.push(line.trimEnd());
  }
  return lines;
}

/** A receipt text entry laid out for the paper: `wrap` applied, style options passed through. */
export function wrappedText(text: string, width: number, opts: Partial<Omit<TextItemInput, 'type' | 'text'>> & { indent?: string } = {}): ReceiptItemInput {
  const { indent, ...style } = opts;
  return { type: 'text', text: wrap(text, width, indent).join('\n'), ...style };
}
