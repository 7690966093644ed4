/**
 * Receipt → ESC/POS bytes, a pure function. Text is GB18030 in Chinese mode; QR is
 * model 2 via GS ( k; CODE128 uses code set B. Style commands are emitted only when
 * the style changes, which keeps tickets short on slow serial lines.
 */
import iconv from 'iconv-lite';
import type { Align, Receipt, ReceiptItem } from './receipt.ts';

const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
const LF = 0x0a;
const utf8 = new TextEncoder();

const ALIGN: Record<Align, number> = { left: 0, center: 1, right: 2 };
const QR_LEVEL = { L: 0x30, M: 0x31, Q: 0x32, H: 0x33 } as const;
const HRI = { none: 0, above: 1, below: 2, both: 3 } as const;

/** Growable byte buffer: one allocation per doubling instead of one per command. */
export class ByteWriter {
  private buf: Uint8Array;
  private len = 0;

  constructor(initial = 512) {
    this.buf = new Uint8Array(initial);
  }

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  bytes(...values: number[]): this {
    this.ensure(values.length);
    for (const v of values) this.buf[this.len++] = v;
    return this;
  }

  append(data: Uint8Array): this {
    this.ensure(data.length);
    this.buf.set(data, this.len);
    this.len += data.length;
    return this;
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

export function encodeGb18030(text: string): Uint8Array {
  return iconv.encode(text, 'gb18030');
}

/** Control characters in user text would be executed as printer commands. */
function printable(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if (c >= 0x20 && c !== 0x7f) out += ch;
  }
  return out;
}

interface Style {
  align: number;
  size: number;
  bold: boolean;
  underline: boolean;
}

export const Esc = {
  init: [ESC, 0x40],
  chineseOn: [FS, 0x26],
  chineseOff: [FS, 0x2e],
  align: (n: number) => [ESC, 0x61, n],
  bold: (on: boolean) => [ESC, 0x45, on ? 1 : 0],
  underline: (on: boolean) => [ESC, 0x2d, on ? 1 : 0],
  /** Low nibble height − 1, high nibble width − 1. */
  size: (width: number, height: number) => [GS, 0x21, ((width - 1) << 4) | (height - 1)],
  feed: (n: number) => [ESC, 0x64, n],
  cut: (partial: boolean) => [GS, 0x56, partial ? 0x01 : 0x00],
  feedCut: (partial: boolean, n: number) => [GS, 0x56, partial ? 0x42 : 0x41, n],
} as const;

export class EscPosEncoder {
  private readonly w = new ByteWriter();
  private style: Style = { align: 0, size: 1, bold: false, underline: false };

  constructor(private readonly width = 48) {
    this.w.bytes(...Esc.init, ...Esc.chineseOn);
  }

  private setStyle(next: Partial<Style>): void {
    const s = this.style;
    if (next.align !== undefined && next.align !== s.align) this.w.bytes(...Esc.align(next.align));
    if (next.size !== undefined && next.size !== s.size) this.w.bytes(...Esc.size(next.size, next.size));
    if (next.bold !== undefined && next.bold !== s.bold) this.w.bytes(...Esc.bold(next.bold));
    if (next.underline !== undefined && next.underline !== s.underline) this.w.bytes(...Esc.underline(next.underline));
    this.style = { ...s, ...next };
  }

  item(item: ReceiptItem): this {
    switch (item.type) {
      case 'text':
        this.setStyle({ align: ALIGN[item.align], size: item.size, bold: item.bold, underline: item.underline });
        for (const line of item.text.split('\n')) this.w.append(encodeGb18030(printable(line))).bytes(LF);
        break;
      case 'rule':
        this.setStyle({ align: 0, size: 1, bold: false, underline: false });
        this.w.append(encodeGb18030(printable(item.char).repeat(this.width))).bytes(LF);
        break;
      case 'qr': {
        this.setStyle({ align: ALIGN[item.align] });
        const data = utf8.encode(item.data);
        const n = data.length + 3;
        this.w
          .bytes(GS, 0x28, 0x6b, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00)
          .bytes(GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x43, item.moduleSize)
          .bytes(GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x45, QR_LEVEL[item.level])
          .bytes(GS, 0x28, 0x6b, n & 0xff, n >> 8, 0x31, 0x50, 0x30)
          .append(data)
          .bytes(GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30);
        break;
      }
      case 'code128': {
        this.setStyle({ align: ALIGN[item.align] });
        // '{' starts a code-set escape in GS k 73 data, so a literal one is doubled.
        const data = utf8.encode(item.data.replace(/\{/g, '{{'));
        if (data.length + 2 > 255) throw new RangeError('CODE128 data is too long for one GS k command');
        this.w
          .bytes(GS, 0x68, item.height)
          .bytes(GS, 0x77, item.moduleWidth)
          .bytes(GS, 0x48, HRI[item.hri])
          .bytes(GS, 0x6b, 0x49, data.length + 2, 0x7b, 0x42)
          .append(data);
        break;
      }
      case 'feed':
        this.w.bytes(...Esc.feed(item.lines));
        break;
      case 'cut':
        this.w.bytes(...(item.feed > 0 ? Esc.feedCut(item.partial, item.feed) : Esc.cut(item.partial)));
        break;
    }
    return this;
  }

  result(): Uint8Array {
    return this.w.result();
  }
}

/** The whole receipt, initialised, in Chinese mode, ending with a cut (added if the document has none). */
export function encodeReceipt(receipt: Receipt): Uint8Array {
  const enc = new EscPosEncoder(receipt.width);
  for (const item of receipt.items) enc.item(item);
  if (receipt.items.at(-1)?.type !== 'cut') enc.item({ type: 'cut', partial: false, feed: 4 });
  return enc.result();
}

/** Rough paper use in text lines, to pace "is it finished printing" checks on real printers. */
export function estimateLines(receipt: Receipt): number {
  let lines = 0;
  for (const item of receipt.items) {
    switch (item.type) {
      case 'text':
        lines += item.text.split('\n').length * item.size;
        break;
      case 'rule':
        lines += 1;
        break;
      case 'qr':
        lines += qrLines(utf8.encode(item.data).length, item.moduleSize);
        break;
      case 'code128':
        lines += Math.ceil(item.height / 24) + (item.hri === 'none' ? 0 : 1);
        break;
      case 'feed':
        lines += item.lines;
        break;
      case 'cut':
        lines += item.feed;
        break;
    }
  }
  return lines;
}

/** Byte-mode capacity at level M for versions 1–10; beyond that about 30 bytes per version. */
const QR_CAPACITY_M = [14, 26, 42, 62, 84, 106, 122, 152, 180, 213];

/** Height of a printed QR symbol in 24-dot text lines. */
export function qrLines(bytes: number, moduleSize: number): number {
  let version = QR_CAPACITY_M.findIndex((c) => c >= bytes) + 1;
  if (version === 0) version = 10 + Math.ceil((bytes - 213) / 30);
  const modules = 17 + 4 * version + 8; // symbol plus quiet zone
  return Math.ceil((modules * moduleSize) / 24);
}
