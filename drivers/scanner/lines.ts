/**
 * Serial / CDC-ACM scanners send each symbol as a line ending in CR, LF or CR LF,
 * optionally prefixed by its AIM id. A streaming splitter, pure over bytes.
 */
import { decodeScanBytes, isAimId, symbologyOf, type ScanEvent } from './symbology.ts';

export class ScanLineTooLongError extends Error {
  override readonly name = 'ScanLineTooLongError';
  constructor(limit: number) {
    super(`scanner sent more than ${limit} bytes without a line end: discarded`);
  }
}

export class ScanLineSplitter {
  private buf: number[] = [];
  private afterCR = false;

  constructor(private readonly maxLength = 8192) {}

  /** Returns the completed lines as raw bytes; throws ScanLineTooLongError (after resetting) on runaway input. */
  push(chunk: Uint8Array): Uint8Array[] {
    const lines: Uint8Array[] = [];
    for (const b of chunk) {
      if (b === 0x0a && this.afterCR) {
        this.afterCR = false;
        continue;
      }
      this.afterCR = b === 0x0d;
      if (b === 0x0d || b === 0x0a) {
        if (this.buf.length > 0) lines.push(Uint8Array.from(this.buf));
        this.buf = [];
        continue;
      }
      this.buf.push(b);
      if (this.buf.length > this.maxLength) {
        this.buf = [];
        throw new ScanLineTooLongError(this.maxLength);
      }
    }
    return lines;
  }
}

/** A line → a scan; a leading AIM id is split off when present. */
export function scanFromLine(line: Uint8Array): ScanEvent {
  const text = decodeScanBytes(line);
  const head = text.slice(0, 3);
  if (text.length > 3 && isAimId(head)) return { data: text.slice(3), symbology: symbologyOf(head), aim: head };
  return { data: text, symbology: 'unknown', aim: null };
}
