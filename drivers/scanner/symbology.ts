/**
 * AIM symbology identifiers (ISO/IEC 15424): ']' + code character + modifier, sent
 * ahead of the data by scanners configured for it, and carried in HID-POS reports.
 */
const BY_CODE: Record<string, string> = {
  A: 'code39',
  C: 'code128',
  E: 'ean-upc',
  F: 'codabar',
  G: 'code93',
  H: 'code11',
  I: 'itf',
  L: 'pdf417',
  Q: 'qr',
  d: 'datamatrix',
  e: 'gs1-databar',
  z: 'aztec',
  X: 'other',
};

/** ']Q1' → 'qr'; 'unknown' for anything not an AIM id. */
export function symbologyOf(aim: string): string {
  if (aim.length !== 3 || aim[0] !== ']') return 'unknown';
  return BY_CODE[aim[1]] ?? 'unknown';
}

export function isAimId(text: string): boolean {
  return /^\][A-Za-z][0-9A-Za-z]$/.test(text);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const gb18030 = new TextDecoder('gb18030');

/** Barcodes carry UTF-8 in most of the world, GB18030 from some Chinese generators: try both. */
export function decodeScanBytes(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return gb18030.decode(bytes);
  }
}

export interface ScanEvent {
  data: string;
  /** 'qr', 'code128', … or 'unknown'. */
  symbology: string;
  /** The AIM id as received (']Q1'), or null when the scanner sent none. */
  aim: string | null;
}
