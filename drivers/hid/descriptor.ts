/**
 * USB HID report descriptor parser (HID 1.11 §6.2.2): short and long items, the global
 * state stack, local usages, collections, and the resulting report fields with their
 * bit positions. Touch and scanner parsers locate their data from these fields instead
 * of hard-coding offsets, because every vendor lays reports out differently.
 */

export class HidDescriptorError extends Error {
  override readonly name = 'HidDescriptorError';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at byte ${offset} of the report descriptor`);
  }
}

export type ItemType = 'main' | 'global' | 'local' | 'reserved' | 'long';

export interface HidItem {
  offset: number;
  type: ItemType;
  tag: number;
  size: number;
  /** Data as unsigned little-endian. */
  data: number;
  /** Data as signed (two's complement at the item's size). */
  signed: number;
}

export type ReportKind = 'input' | 'output' | 'feature';

export interface HidCollection {
  index: number;
  /** 0 physical, 1 application, 2 logical, 3 report, … */
  type: number;
  /** Full usage: page << 16 | id. */
  usage: number;
  parent: HidCollection | null;
}

export interface HidField {
  kind: ReportKind;
  reportId: number;
  /** Bit offset within the report data, after the report id byte. */
  bitOffset: number;
  bitSize: number;
  count: number;
  flags: number;
  constant: boolean;
  variable: boolean;
  relative: boolean;
  /** Full usages (page << 16 | id), one per value for variable fields, or the selectable set for arrays. */
  usages: number[];
  usageMinimum: number | null;
  usageMaximum: number | null;
  logicalMinimum: number;
  logicalMaximum: number;
  physicalMinimum: number;
  physicalMaximum: number;
  unit: number;
  unitExponent: number;
  collection: HidCollection | null;
}

export interface ReportDescriptor {
  items: HidItem[];
  collections: HidCollection[];
  fields: HidField[];
  /** True when reports start with a report id byte. */
  numbered: boolean;
  reportIds: number[];
  /** Report length in bytes, including the id byte when numbered. */
  reportLength(kind: ReportKind, reportId: number): number;
}

export const usage = (page: number, id: number): number => ((page & 0xffff) << 16 | (id & 0xffff)) >>> 0;
export const usagePage = (u: number): number => u >>> 16;

const MAIN = { input: 0x8, output: 0x9, feature: 0xb, collection: 0xa, endCollection: 0xc } as const;
const GLOBAL = {
  usagePage: 0x0,
  logicalMinimum: 0x1,
  logicalMaximum: 0x2,
  physicalMinimum: 0x3,
  physicalMaximum: 0x4,
  unitExponent: 0x5,
  unit: 0x6,
  reportSize: 0x7,
  reportId: 0x8,
  reportCount: 0x9,
  push: 0xa,
  pop: 0xb,
} as const;
const LOCAL = { usage: 0x0, usageMinimum: 0x1, usageMaximum: 0x2 } as const;

/** Lexes items; throws HidDescriptorError on a truncated item. */
export function parseItems(bytes: Uint8Array): HidItem[] {
  const items: HidItem[] = [];
  let i = 0;
  while (i < bytes.length) {
    const prefix = bytes[i];
    if (prefix === 0xfe) {
      if (i + 2 >= bytes.length) throw new HidDescriptorError('truncated long item', i);
      const size = bytes[i + 1];
      const tag = bytes[i + 2];
      if (i + 3 + size > bytes.length) throw new HidDescriptorError('truncated long item data', i);
      items.push({ offset: i, type: 'long', tag, size, data: 0, signed: 0 });
      i += 3 + size;
      continue;
    }
    const sizeCode = prefix & 0x03;
    const size = sizeCode === 3 ? 4 : sizeCode;
    const typeCode = (prefix >> 2) & 0x03;
    const tag = prefix >> 4;
    if (i + 1 + size > bytes.length) throw new HidDescriptorError('truncated item', i);
    let data = 0;
    for (let k = 0; k < size; k++) data += bytes[i + 1 + k] * 2 ** (8 * k);
    const signed = size === 0 ? 0 : data >= 2 ** (8 * size - 1) ? data - 2 ** (8 * size) : data;
    const type: ItemType = (['main', 'global', 'local', 'reserved'] as const)[typeCode];
    items.push({ offset: i, type, tag, size, data, signed });
    i += 1 + size;
  }
  return items;
}

interface GlobalState {
  usagePage: number;
  logicalMinimum: number;
  logicalMaximum: number;
  logicalMaximumUnsigned: number;
  physicalMinimum: number;
  physicalMaximum: number;
  physicalMaximumUnsigned: number;
  unitExponent: number;
  unit: number;
  reportSize: number;
  reportId: number;
  reportCount: number;
}

interface LocalState {
  usages: Array<{ value: number; size: number }>;
  usageMinimum: { value: number; size: number } | null;
  usageMaximum: { value: number; size: number } | null;
}

const MAX_FIELDS = 4096;
const MAX_DEPTH = 64;

export function parseReportDescriptor(bytes: Uint8Array): ReportDescriptor {
  const items = parseItems(bytes);
  let g: GlobalState = {
    usagePage: 0,
    logicalMinimum: 0,
    logicalMaximum: 0,
    logicalMaximumUnsigned: 0,
    physicalMinimum: 0,
    physicalMaximum: 0,
    physicalMaximumUnsigned: 0,
    unitExponent: 0,
    unit: 0,
    reportSize: 0,
    reportId: 0,
    reportCount: 0,
  };
  const stack: GlobalState[] = [];
  let local: LocalState = { usages: [], usageMinimum: null, usageMaximum: null };
  const collections: HidCollection[] = [];
  const open: HidCollection[] = [];
  const fields: HidField[] = [];
  const bitCursor = new Map<string, number>();
  const reportIds = new Set<number>();

  const full = (u: { value: number; size: number }) => (u.size === 4 ? u.value >>> 0 : usage(g.usagePage, u.value));

  for (const item of items) {
    if (item.type === 'global') {
      switch (item.tag) {
        case GLOBAL.usagePage:
          g.usagePage = item.data & 0xffff;
          break;
        case GLOBAL.logicalMinimum:
          g.logicalMinimum = item.signed;
          break;
        case GLOBAL.logicalMaximum:
          g.logicalMaximum = item.signed;
          g.logicalMaximumUnsigned = item.data;
          break;
        case GLOBAL.physicalMinimum:
          g.physicalMinimum = item.signed;
          break;
        case GLOBAL.physicalMaximum:
          g.physicalMaximum = item.signed;
          g.physicalMaximumUnsigned = item.data;
          break;
        case GLOBAL.unitExponent:
          // A 4-bit two's complement nibble in practice.
          g.unitExponent = item.data & 0x08 ? (item.data & 0x0f) - 16 : item.data & 0x0f;
          break;
        case GLOBAL.unit:
          g.unit = item.data;
          break;
        case GLOBAL.reportSize:
          if (item.data < 1 || item.data > 32) throw new HidDescriptorError(`unsupported report size ${item.data}`, item.offset);
          g.reportSize = item.data;
          break;
        case GLOBAL.reportId:
          if (item.data < 1 || item.data > 255) throw new HidDescriptorError(`invalid report id ${item.data}`, item.offset);
          g.reportId = item.data;
          reportIds.add(item.data);
          break;
        case GLOBAL.reportCount:
          if (item.data > MAX_FIELDS) throw new HidDescriptorError(`report count ${item.data} is implausible`, item.offset);
          g.reportCount = item.data;
          break;
        case GLOBAL.push:
          if (stack.length >= MAX_DEPTH) throw new HidDescriptorError('global stack overflow', item.offset);
          stack.push({ ...g });
          break;
        case GLOBAL.pop: {
          const top = stack.pop();
          if (!top) throw new HidDescriptorError('pop without push', item.offset);
          g = top;
          break;
        }
      }
      continue;
    }
    if (item.type === 'local') {
      if (item.tag === LOCAL.usage) local.usages.push({ value: item.data, size: item.size });
      else if (item.tag === LOCAL.usageMinimum) local.usageMinimum = { value: item.data, size: item.size };
      else if (item.tag === LOCAL.usageMaximum) local.usageMaximum = { value: item.data, size: item.size };
      continue;
    }
    if (item.type !== 'main') continue;
    switch (item.tag) {
      case MAIN.collection: {
        if (open.length >= MAX_DEPTH) throw new HidDescriptorError('collections nested too deep', item.offset);
        const c: HidCollection = {
          index: collections.length,
          type: item.data,
          usage: local.usages.length > 0 ? full(local.usages[0]) : 0,
          parent: open.at(-1) ?? null,
        };
        collections.push(c);
        open.push(c);
        break;
      }
      case MAIN.endCollection:
        if (!open.pop()) throw new HidDescriptorError('end collection without collection', item.offset);
        break;
      case MAIN.input:
      case MAIN.output:
      case MAIN.feature: {
        const kind: ReportKind = item.tag === MAIN.input ? 'input' : item.tag === MAIN.output ? 'output' : 'feature';
        const key = `${kind}:${g.reportId}`;
        const bitOffset = bitCursor.get(key) ?? 0;
        const totalBits = g.reportSize * g.reportCount;
        if (bitOffset + totalBits > 8 * 4096) throw new HidDescriptorError('report longer than 4096 bytes', item.offset);
        bitCursor.set(key, bitOffset + totalBits);
        // Many descriptors give an unsigned maximum that reads negative at its size.
        const logicalMaximum = g.logicalMinimum >= 0 && g.logicalMaximum < 0 ? g.logicalMaximumUnsigned : g.logicalMaximum;
        const physicalMaximum = g.physicalMinimum >= 0 && g.physicalMaximum < 0 ? g.physicalMaximumUnsigned : g.physicalMaximum;
        let usageMinimum: number | null = null;
        let usageMaximum: number | null = null;
        if (local.usageMinimum && local.usageMaximum) {
          usageMinimum = full(local.usageMinimum);
          usageMaximum = full(local.usageMaximum);
        }
        let usages = local.usages.map(full);
        const variable = (item.data & 0x02) !== 0;
        if (usages.length === 0 && usageMinimum !== null && usageMaximum !== null && usageMaximum >= usageMinimum) {
          const span = Math.min(usageMaximum - usageMinimum + 1, MAX_FIELDS);
          usages = Array.from({ length: span }, (_, k) => usageMinimum! + k);
        }
        if (totalBits > 0) {
          fields.push({
            kind,
            reportId: g.reportId,
            bitOffset,
            bitSize: g.reportSize,
            count: g.reportCount,
            flags: item.data,
            constant: (item.data & 0x01) !== 0,
            variable,
            relative: (item.data & 0x04) !== 0,
            usages,
            usageMinimum,
            usageMaximum,
            logicalMinimum: g.logicalMinimum,
            logicalMaximum,
            physicalMinimum: g.physicalMinimum,
            physicalMaximum,
            unit: g.unit,
            unitExponent: g.unitExponent,
            collection: open.at(-1) ?? null,
          });
          if (fields.length > MAX_FIELDS) throw new HidDescriptorError('too many report fields', item.offset);
        }
        break;
      }
    }
    // Local state lasts until the next main item.
    local = { usages: [], usageMinimum: null, usageMaximum: null };
  }
  if (open.length > 0) throw new HidDescriptorError('collection not closed', bytes.length);

  const numbered = reportIds.size > 0;
  return {
    items,
    collections,
    fields,
    numbered,
    reportIds: [...reportIds].sort((a, b) => a - b),
    reportLength(kind, reportId) {
      const bits = bitCursor.get(`${kind}:${numbered ? reportId : 0}`) ?? 0;
      return Math.ceil(bits / 8) + (numbered ? 1 : 0);
    },
  };
}

/** The usage value index of a variable field carries (the last usage repeats, per the spec). */
export function usageAt(field: HidField, index: number): number | undefined {
  if (field.usages.length === 0) return undefined;
  return field.usages[Math.min(index, field.usages.length - 1)];
}

/**
 * Reads value `index` of a field from report data (without the id byte), signed when the
 * logical range is. Returns null when the report is too short for it.
 */
export function readFieldValue(data: Uint8Array, field: HidField, index = 0): number | null {
  const start = field.bitOffset + index * field.bitSize;
  const end = start + field.bitSize;
  if (end > data.length * 8) return null;
  let value = 0;
  for (let bit = start, k = 0; bit < end; bit++, k++) {
    if (data[bit >> 3] & (1 << (bit & 7))) value += 2 ** k;
  }
  if (field.logicalMinimum < 0 && value >= 2 ** (field.bitSize - 1)) value -= 2 ** field.bitSize;
  return value;
}

/** Writes a value into report data; used to synthesise reports in tests and simulators. */
export function writeFieldValue(data: Uint8Array, field: HidField, index: number, value: number): void {
  const start = field.bitOffset + index * field.bitSize;
  let v = value < 0 ? value + 2 ** field.bitSize : value;
  for (let bit = start, k = 0; k < field.bitSize; bit++, k++) {
    if (v % 2 === 1) data[bit >> 3] |= 1 << (bit & 7);
    else data[bit >> 3] &= ~(1 << (bit & 7));
    v = Math.floor(v / 2);
  }
}
