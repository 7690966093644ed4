/**
 * HID-POS bar code scanner reports (usage page 0x8C). A decoded symbol longer than one
 * report arrives over several, each flagged "more to come" until the last. The common
 * vendor layout is: id, data length, 3-byte AIM id, data, and a last byte whose bit 0
 * says more follows; descriptors that name the fields (0xFB–0xFF) are mapped instead.
 */
import { parseReportDescriptor, usage, usageAt, type ReportDescriptor } from '../hid/descriptor.ts';
import { decodeScanBytes, symbologyOf, type ScanEvent } from './symbology.ts';

export class HidPosReportError extends Error {
  override readonly name = 'HidPosReportError';
}

export interface HidPosLayout {
  /** Report id expected in byte 0; null when reports are not numbered. */
  reportId: number | null;
  /** Byte holding the data length, or null to trim trailing zero padding instead. */
  lengthOffset: number | null;
  aimOffset: number;
  dataOffset: number;
  /** Byte holding the "more to come" flag (negative counts from the end). */
  moreOffset: number;
  moreBit: number;
}

export const VENDOR_LAYOUT: HidPosLayout = { reportId: 0x02, lengthOffset: 1, aimOffset: 2, dataOffset: 5, moreOffset: -1, moreBit: 0 };

const POS = 0x8c;
const U_SYMBOLOGY_1 = usage(POS, 0xfb);
const U_DECODED = usage(POS, 0xfe);
const U_CONTINUED = usage(POS, 0xff);

/** Derives a layout from a descriptor that names the HID-POS usages; null when it does not. */
export function hidPosLayout(descriptor: Uint8Array | ReportDescriptor): HidPosLayout | null {
  const desc = descriptor instanceof Uint8Array ? parseReportDescriptor(descriptor) : descriptor;
  const inputs = desc.fields.filter((f) => f.kind === 'input');
  const find = (u: number) => {
    for (const f of inputs) for (let i = 0; i < Math.max(1, f.count); i++) if (usageAt(f, i) === u) return { f, i };
    return null;
  };
  const sym = find(U_SYMBOLOGY_1);
  const data = find(U_DECODED);
  const more = find(U_CONTINUED);
  if (!sym || !data || !more) return null;
  const base = desc.numbered ? 1 : 0;
  const byte = (r: { f: { bitOffset: number; bitSize: number }; i: number }) => base + ((r.f.bitOffset + r.i * r.f.bitSize) >> 3);
  const bit = (more.f.bitOffset + more.i * more.f.bitSize) & 7;
  return {
    reportId: desc.numbered ? data.f.reportId : null,
    lengthOffset: null,
    aimOffset: byte(sym),
    dataOffset: byte(data),
    moreOffset: byte(more),
    moreBit: bit,
  };
}

/** Joins continued reports into scans. */
export class HidPosAssembler {
  private parts: Uint8Array[] = [];
  private aim: string | null = null;

  constructor(private readonly layout: HidPosLayout = VENDOR_LAYOUT) {}

  /** Returns a scan when a symbol completes, null while more is to come or for other reports. */
  push(report: Uint8Array): ScanEvent | null {
    const l = this.layout;
    if (l.reportId !== null && report[0] !== l.reportId) return null;
    const moreIndex = l.moreOffset < 0 ? report.length + l.moreOffset : l.moreOffset;
    if (report.length < l.dataOffset + 1 || moreIndex < l.dataOffset) {
      throw new HidPosReportError(`HID-POS report of ${report.length} bytes is too short for its layout`);
    }
    const room = moreIndex - l.dataOffset;
    let data: Uint8Array;
    if (l.lengthOffset !== null) {
      const n = report[l.lengthOffset];
      if (n > room) throw new HidPosReportError(`HID-POS report announces ${n} data bytes, only ${room} fit`);
      data = report.subarray(l.dataOffset, l.dataOffset + n);
    } else {
      let end = l.dataOffset + room;
      while (end > l.dataOffset && report[end - 1] === 0) end--;
      data = report.subarray(l.dataOffset, end);
    }
    if (this.parts.length === 0) {
      const aim = String.fromCharCode(...report.subarray(l.aimOffset, l.aimOffset + 3));
      this.aim = aim.startsWith(']') ? aim : null;
    }
    this.parts.push(Uint8Array.from(data));
    if (this.parts.reduce((n, p) => n + p.length, 0) > 64 * 1024) {
      this.reset();
      throw new HidPosReportError('HID-POS symbol exceeds 64 KiB without an end: discarded');
    }
    const more = (report[moreIndex] & (1 << l.moreBit)) !== 0;
    if (more) return null;
    const total = new Uint8Array(this.parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of this.parts) {
      total.set(p, at);
      at += p.length;
    }
    const aim = this.aim;
    this.reset();
    return { data: decodeScanBytes(total), symbology: aim ? symbologyOf(aim) : 'unknown', aim };
  }

  reset(): void {
    this.parts = [];
    this.aim = null;
  }
}

/** Splits data into vendor-layout reports (for tests and simulated scanners). */
export function encodeVendorReports(data: Uint8Array, aim: string, reportLength = 64, reportId = 0x02): Uint8Array[] {
  const room = reportLength - 6;
  const reports: Uint8Array[] = [];
  for (let at = 0; at < data.length || reports.length === 0; at += room) {
    const chunk = data.subarray(at, at + room);
    const r = new Uint8Array(reportLength);
    r[0] = reportId;
    r[1] = chunk.length;
    for (let i = 0; i < 3; i++) r[2 + i] = aim.charCodeAt(i) & 0xff;
    r.set(chunk, 5);
    r[reportLength - 1] = at + room < data.length ? 1 : 0;
    reports.push(r);
  }
  return reports;
}
