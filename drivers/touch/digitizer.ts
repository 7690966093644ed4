/**
 * Multi-touch digitizer reports (usage page 0x0D), laid out from the report descriptor:
 * one logical Finger collection per contact slot, with Tip Switch, Confidence, Contact
 * Identifier and X/Y, plus Contact Count and Scan Time per report. Devices in "hybrid"
 * mode spread one frame over several reports; TouchFrameAssembler joins them.
 */
import {
  parseReportDescriptor,
  readFieldValue,
  usage,
  usageAt,
  type HidCollection,
  type HidField,
  type ReportDescriptor,
} from '../hid/descriptor.ts';

export const U = {
  touchScreen: usage(0x0d, 0x04),
  touchPad: usage(0x0d, 0x05),
  finger: usage(0x0d, 0x22),
  tipSwitch: usage(0x0d, 0x42),
  confidence: usage(0x0d, 0x47),
  contactId: usage(0x0d, 0x51),
  contactCount: usage(0x0d, 0x54),
  contactCountMaximum: usage(0x0d, 0x55),
  scanTime: usage(0x0d, 0x56),
  x: usage(0x01, 0x30),
  y: usage(0x01, 0x31),
} as const;

export class TouchLayoutError extends Error {
  override readonly name = 'TouchLayoutError';
}

export interface FieldRef {
  field: HidField;
  index: number;
}

export interface Axis {
  ref: FieldRef;
  logicalMinimum: number;
  logicalMaximum: number;
  physicalMinimum: number;
  physicalMaximum: number;
}

export interface ContactSlot {
  tip: FieldRef;
  confidence: FieldRef | null;
  contactId: FieldRef | null;
  x: Axis;
  y: Axis;
}

export interface TouchLayout {
  reportId: number;
  numbered: boolean;
  slots: ContactSlot[];
  contactCount: FieldRef | null;
  scanTime: FieldRef | null;
  /** Report length in bytes, id byte included. */
  length: number;
}

export interface RawContact {
  id: number;
  tip: boolean;
  confidence: boolean | null;
  x: number;
  y: number;
  /** Position as a fraction of the logical range, 0…1. */
  nx: number;
  ny: number;
}

export interface TouchReport {
  reportId: number;
  contactCount: number | null;
  scanTime: number | null;
  contacts: RawContact[];
}

function within(c: HidCollection | null, usageWanted: number): HidCollection | null {
  for (let p = c; p; p = p.parent) if (p.usage === usageWanted) return p;
  return null;
}

function refsOf(fields: HidField[]): Map<number, FieldRef> {
  const refs = new Map<number, FieldRef>();
  for (const field of fields) {
    if (!field.variable || field.constant) continue;
    for (let i = 0; i < field.count; i++) {
      const u = usageAt(field, i);
      if (u !== undefined && !refs.has(u)) refs.set(u, { field, index: i });
    }
  }
  return refs;
}

/** Finds the touch input report in a descriptor; throws TouchLayoutError when there is none. */
export function touchLayout(descriptor: Uint8Array | ReportDescriptor): TouchLayout {
  const desc = descriptor instanceof Uint8Array ? parseReportDescriptor(descriptor) : descriptor;
  const inputs = desc.fields.filter(
    (f) => f.kind === 'input' && (within(f.collection, U.touchScreen) || within(f.collection, U.touchPad)),
  );
  if (inputs.length === 0) throw new TouchLayoutError('the descriptor has no touch screen input report (usage page 0x0D, usage 0x04)');
  const reportId = inputs.find((f) => within(f.collection, U.finger))?.reportId ?? inputs[0].reportId;
  const ofReport = inputs.filter((f) => f.reportId === reportId);

  const byFinger = new Map<HidCollection, HidField[]>();
  const outside: HidField[] = [];
  for (const f of ofReport) {
    const finger = within(f.collection, U.finger);
    if (finger) byFinger.set(finger, [...(byFinger.get(finger) ?? []), f]);
    else outside.push(f);
  }
  const slots: ContactSlot[] = [];
  for (const fields of byFinger.values()) {
    const refs = refsOf(fields);
    const tip = refs.get(U.tipSwitch);
    const x = refs.get(U.x);
    const y = refs.get(U.y);
    if (!tip || !x || !y) continue;
    const axis = (ref: FieldRef): Axis => ({
      ref,
      logicalMinimum: ref.field.logicalMinimum,
      logicalMaximum: ref.field.logicalMaximum,
      physicalMinimum: ref.field.physicalMinimum,
      physicalMaximum: ref.field.physicalMaximum,
    });
    slots.push({ tip, confidence: refs.get(U.confidence) ?? null, contactId: refs.get(U.contactId) ?? null, x: axis(x), y: axis(y) });
  }
  if (slots.length === 0) throw new TouchLayoutError('the touch report has no finger collection with tip switch and X/Y');
  const top = refsOf(outside);
  return {
    reportId,
    numbered: desc.numbered,
    slots,
    contactCount: top.get(U.contactCount) ?? null,
    scanTime: top.get(U.scanTime) ?? null,
    length: desc.reportLength('input', reportId),
  };
}

function norm(v: number, a: Axis): number {
  const span = a.logicalMaximum - a.logicalMinimum;
  return span > 0 ? Math.min(1, Math.max(0, (v - a.logicalMinimum) / span)) : 0;
}

/** Parses one input report; null when it is another report (other id) or too short. */
export function parseTouchReport(layout: TouchLayout, report: Uint8Array): TouchReport | null {
  let data = report;
  let reportId = 0;
  if (layout.numbered) {
    if (report.length < 1 || report[0] !== layout.reportId) return null;
    reportId = report[0];
    data = report.subarray(1);
  }
  if (data.length < layout.length - (layout.numbered ? 1 : 0)) return null;
  const read = (r: FieldRef | null) => (r ? readFieldValue(data, r.field, r.index) : null);
  const contactCount = read(layout.contactCount);
  const limit = contactCount && contactCount > 0 ? Math.min(contactCount, layout.slots.length) : layout.slots.length;
  const contacts: RawContact[] = [];
  for (let i = 0; i < limit; i++) {
    const s = layout.slots[i];
    const x = read(s.x.ref) ?? 0;
    const y = read(s.y.ref) ?? 0;
    const tip = (read(s.tip) ?? 0) !== 0;
    const conf = read(s.confidence);
    contacts.push({
      id: read(s.contactId) ?? i,
      tip,
      confidence: conf === null ? null : conf !== 0,
      x,
      y,
      nx: norm(x, s.x),
      ny: norm(y, s.y),
    });
  }
  return { reportId, contactCount, scanTime: read(layout.scanTime), contacts };
}

/**
 * Joins hybrid-mode reports into frames: the first report of a frame carries the total
 * contact count, the following ones a count of 0.
 */
export class TouchFrameAssembler {
  private expected = 0;
  private collected: RawContact[] = [];

  constructor(private readonly slots: number) {}

  /** Returns the complete frame's contacts, or null while a frame is still arriving. */
  push(report: TouchReport): RawContact[] | null {
    const count = report.contactCount;
    if (count === null) return report.contacts;
    if (count > 0) {
      this.expected = count;
      this.collected = [];
    } else if (this.expected === 0) {
      return [];
    }
    const missing = this.expected - this.collected.length;
    this.collected.push(...report.contacts.slice(0, Math.min(missing, this.slots)));
    if (this.collected.length < this.expected) return null;
    const frame = this.collected;
    this.expected = 0;
    this.collected = [];
    return frame;
  }
}
