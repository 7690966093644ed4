/**
 * The Internet Printing Protocol's message encoding (RFC 8010, section 3) as pure
 * functions over bytes: a request or response is a version, an operation or status code,
 * a request id, attribute groups each opened by a delimiter tag, the end-of-attributes
 * tag, then the document data. Values are kept with their value tag so a message decodes
 * and encodes back to the same bytes.
 */

export const GROUP = { operation: 0x01, job: 0x02, end: 0x03, printer: 0x04, unsupported: 0x05 } as const;
export type GroupName = Exclude<keyof typeof GROUP, 'end'>;

/** Value tags (RFC 8010 3.5.2); out-of-band tags 0x10–0x1f carry no value. */
export const TAG = {
  unsupported: 0x10,
  unknown: 0x12,
  noValue: 0x13,
  integer: 0x21,
  boolean: 0x22,
  enum: 0x23,
  octetString: 0x30,
  dateTime: 0x31,
  resolution: 0x32,
  rangeOfInteger: 0x33,
  begCollection: 0x34,
  textWithLanguage: 0x35,
  nameWithLanguage: 0x36,
  endCollection: 0x37,
  text: 0x41,
  name: 0x42,
  keyword: 0x44,
  uri: 0x45,
  uriScheme: 0x46,
  charset: 0x47,
  naturalLanguage: 0x48,
  mimeMediaType: 0x49,
  memberAttrName: 0x4a,
} as const;

export const OPERATION = {
  printJob: 0x0002,
  cancelJob: 0x0008,
  getJobAttributes: 0x0009,
  getPrinterAttributes: 0x000b,
  releaseJob: 0x000d,
} as const;

export type IppCollection = IppAttribute[];

export type IppValue =
  | { tag: number; value: null }
  | { tag: number; value: number }
  | { tag: number; value: boolean }
  | { tag: number; value: string }
  | { tag: number; value: Uint8Array }
  | { tag: number; value: Date }
  | { tag: number; value: { x: number; y: number; units: number } }
  | { tag: number; value: { lower: number; upper: number } }
  | { tag: number; value: { text: string; language: string } }
  | { tag: number; value: IppCollection };

export interface IppAttribute {
  name: string;
  values: IppValue[];
}

export interface IppGroup {
  tag: number;
  attributes: IppAttribute[];
}

export interface IppMessage {
  version: [major: number, minor: number];
  /** The operation id of a request, the status code of a response. */
  code: number;
  requestId: number;
  groups: IppGroup[];
  data: Uint8Array;
}

export class IppDecodeError extends Error {
  override readonly name = 'IppDecodeError';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`malformed IPP message at byte ${offset}: ${message}`);
  }
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: false });

const INTEGER_TAGS = new Set<number>([TAG.integer, TAG.enum]);
const STRING_TAGS = new Set<number>([TAG.text, TAG.name, TAG.keyword, TAG.uri, TAG.uriScheme, TAG.charset, TAG.naturalLanguage, TAG.mimeMediaType, TAG.memberAttrName]);

// ------------------------------------------------------------ encoding

class Writer {
  private chunks: Uint8Array[] = [];
  private size = 0;
  bytes(b: Uint8Array): void {
    this.chunks.push(b);
    this.size += b.length;
  }
  u8(n: number): void {
    this.bytes(Uint8Array.of(n & 0xff));
  }
  u16(n: number): void {
    if (n < 0 || n > 0xffff) throw new RangeError(`${n} does not fit in two bytes`);
    this.bytes(Uint8Array.of(n >> 8, n & 0xff));
  }
  i32(n: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, n);
    this.bytes(b);
  }
  /** A length-prefixed field (names and values). */
  field(b: Uint8Array): void {
    this.u16(b.length);
    this.bytes(b);
  }
  done(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

function encodeDate(d: Date): Uint8Array {
  // RFC 2579 DateAndTime, always written in UTC.
  const b = new Uint8Array(11);
  const v = new DataView(b.buffer);
  v.setUint16(0, d.getUTCFullYear());
  b.set([d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), Math.floor(d.getUTCMilliseconds() / 100), 0x2b, 0, 0], 2);
  return b;
}

function valueBytes(v: IppValue): Uint8Array {
  const { value } = v;
  if (value === null) return new Uint8Array(0);
  if (typeof value === 'number') {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, value);
    return b;
  }
  if (typeof value === 'boolean') return Uint8Array.of(value ? 1 : 0);
  if (typeof value === 'string') return utf8.encode(value);
  if (value instanceof Uint8Array) return value;
  if (value instanceof Date) return encodeDate(value);
  if (Array.isArray(value)) throw new TypeError('a collection is written by its members, not as one value');
  const w = new Writer();
  if ('units' in value) {
    w.i32(value.x);
    w.i32(value.y);
    w.u8(value.units);
  } else if ('lower' in value) {
    w.i32(value.lower);
    w.i32(value.upper);
  } else {
    w.field(utf8.encode(value.language));
    w.field(utf8.encode(value.text));
  }
  return w.done();
}

function writeValue(w: Writer, name: string, v: IppValue): void {
  w.u8(v.tag);
  w.field(utf8.encode(name));
  if (v.tag === TAG.begCollection) {
    const members = v.value as IppCollection;
    w.u16(0);
    for (const m of members) {
      m.values.forEach((mv, i) => {
        // A member opens with memberAttrName carrying its name; further values of it follow nameless.
        if (i === 0) {
          w.u8(TAG.memberAttrName);
          w.u16(0);
          w.field(utf8.encode(m.name));
        }
        writeValue(w, '', mv);
      });
    }
    w.u8(TAG.endCollection);
    w.u16(0);
    w.u16(0);
    return;
  }
  w.field(valueBytes(v));
}

export function encodeMessage(m: IppMessage): Uint8Array {
  const w = new Writer();
  w.u8(m.version[0]);
  w.u8(m.version[1]);
  w.u16(m.code);
  w.i32(m.requestId);
  for (const g of m.groups) {
    w.u8(g.tag);
    for (const a of g.attributes) {
      if (a.values.length === 0) throw new RangeError(`attribute ${a.name} has no value`);
      a.values.forEach((v, i) => writeValue(w, i === 0 ? a.name : '', v));
    }
  }
  w.u8(GROUP.end);
  w.bytes(m.data);
  return w.done();
}

// ------------------------------------------------------------ decoding

class Reader {
  at = 0;
  constructor(private readonly b: Uint8Array) {}
  get left(): number {
    return this.b.length - this.at;
  }
  need(n: number, what: string): void {
    if (this.left < n) throw new IppDecodeError(`${what} needs ${n} bytes, ${this.left} left`, this.at);
  }
  u8(what: string): number {
    this.need(1, what);
    return this.b[this.at++];
  }
  peek(): number {
    return this.b[this.at];
  }
  u16(what: string): number {
    this.need(2, what);
    const n = (this.b[this.at] << 8) | this.b[this.at + 1];
    this.at += 2;
    return n;
  }
  i32(what: string): number {
    this.need(4, what);
    const n = new DataView(this.b.buffer, this.b.byteOffset + this.at, 4).getInt32(0);
    this.at += 4;
    return n;
  }
  take(n: number, what: string): Uint8Array {
    this.need(n, what);
    const out = this.b.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }
  rest(): Uint8Array {
    const out = this.b.subarray(this.at);
    this.at = this.b.length;
    return out;
  }
}

function decodeDate(b: Uint8Array, offset: number): Date {
  if (b.length !== 11) throw new IppDecodeError(`a dateTime is 11 bytes, not ${b.length}`, offset);
  const v = new DataView(b.buffer, b.byteOffset, 11);
  const utc = Date.UTC(v.getUint16(0), b[2] - 1, b[3], b[4], b[5], b[6], b[7] * 100);
  const sign = b[8] === 0x2d ? 1 : -1;
  // The offset is local minus UTC: a local time east of Greenwich is ahead, so subtract it.
  return new Date(utc + sign * (b[9] * 60 + b[10]) * 60_000);
}

function decodeValue(tag: number, raw: Uint8Array, offset: number): IppValue {
  if (tag >= 0x10 && tag <= 0x1f) return { tag, value: null };
  const v = new DataView(raw.buffer, raw.byteOffset, raw.length);
  const expect = (n: number) => {
    if (raw.length !== n) throw new IppDecodeError(`value tag 0x${tag.toString(16)} needs ${n} bytes, got ${raw.length}`, offset);
  };
  if (INTEGER_TAGS.has(tag)) {
    expect(4);
    return { tag, value: v.getInt32(0) };
  }
  if (tag === TAG.boolean) {
    expect(1);
    return { tag, value: raw[0] !== 0 };
  }
  if (STRING_TAGS.has(tag)) return { tag, value: fromUtf8.decode(raw) };
  if (tag === TAG.dateTime) return { tag, value: decodeDate(raw, offset) };
  if (tag === TAG.resolution) {
    expect(9);
    return { tag, value: { x: v.getInt32(0), y: v.getInt32(4), units: raw[8] } };
  }
  if (tag === TAG.rangeOfInteger) {
    expect(8);
    return { tag, value: { lower: v.getInt32(0), upper: v.getInt32(4) } };
  }
  if (tag === TAG.textWithLanguage || tag === TAG.nameWithLanguage) {
    const r = new Reader(raw);
    const language = fromUtf8.decode(r.take(r.u16('language length'), 'language'));
    const text = fromUtf8.decode(r.take(r.u16('text length'), 'text'));
    return { tag, value: { text, language } };
  }
  // octetString and tags this codec has no reading for keep their bytes.
  return { tag, value: raw.slice() };
}

/** Reads one value (name, bytes); a begCollection reads its members up to its endCollection. */
function readValue(r: Reader): { name: string; value: IppValue } {
  const start = r.at;
  const tag = r.u8('value tag');
  const name = fromUtf8.decode(r.take(r.u16('name length'), 'name'));
  const raw = r.take(r.u16('value length'), 'value');
  if (tag !== TAG.begCollection) return { name, value: decodeValue(tag, raw, start) };
  const members: IppCollection = [];
  for (;;) {
    if (r.left === 0) throw new IppDecodeError('a collection is not closed', r.at);
    const memberStart = r.at;
    const next = readValue(r);
    if (next.value.tag === TAG.endCollection) break;
    if (next.value.tag === TAG.memberAttrName) {
      members.push({ name: next.value.value as string, values: [] });
      continue;
    }
    const current = members.at(-1);
    if (!current) throw new IppDecodeError('a collection value comes before its member name', memberStart);
    current.values.push(next.value);
  }
  return { name, value: { tag, value: members } };
}

export function decodeMessage(bytes: Uint8Array): IppMessage {
  const r = new Reader(bytes);
  const version: [number, number] = [r.u8('version'), r.u8('version')];
  const code = r.u16('operation or status code');
  const requestId = r.i32('request id');
  const groups: IppGroup[] = [];
  for (;;) {
    if (r.left === 0) throw new IppDecodeError('the message ends before its end-of-attributes tag', r.at);
    const tag = r.peek();
    if (tag === GROUP.end) {
      r.u8('end tag');
      break;
    }
    if (tag < 0x10) {
      r.u8('group tag');
      groups.push({ tag, attributes: [] });
      continue;
    }
    const group = groups.at(-1);
    if (!group) throw new IppDecodeError('an attribute comes before any group tag', r.at);
    const { name, value } = readValue(r);
    if (name) group.attributes.push({ name, values: [value] });
    else {
      const attr = group.attributes.at(-1);
      if (!attr) throw new IppDecodeError('an additional value comes before any attribute', r.at);
      attr.values.push(value);
    }
  }
  return { version, code, requestId, groups, data: r.rest() };
}

// ------------------------------------------------------------ helpers for building and reading

export const keyword = (value: string): IppValue => ({ tag: TAG.keyword, value });
export const text = (value: string): IppValue => ({ tag: TAG.text, value });
export const nameValue = (value: string): IppValue => ({ tag: TAG.name, value });
export const uri = (value: string): IppValue => ({ tag: TAG.uri, value });
export const integer = (value: number): IppValue => ({ tag: TAG.integer, value });
export const enumValue = (value: number): IppValue => ({ tag: TAG.enum, value });

/** The operation attributes every request opens with (RFC 8011 4.1.4), then the target. */
export function operationGroup(target: { printerUri: string; jobId?: number }, extra: IppAttribute[] = []): IppGroup {
  const attributes: IppAttribute[] = [
    { name: 'attributes-charset', values: [{ tag: TAG.charset, value: 'utf-8' }] },
    { name: 'attributes-natural-language', values: [{ tag: TAG.naturalLanguage, value: 'zh-cn' }] },
    { name: 'printer-uri', values: [uri(target.printerUri)] },
  ];
  if (target.jobId !== undefined) attributes.push({ name: 'job-id', values: [integer(target.jobId)] });
  return { tag: GROUP.operation, attributes: [...attributes, ...extra] };
}

/** The first attribute of that name in groups of that kind. */
export function attribute(m: IppMessage, group: GroupName, name: string): IppAttribute | undefined {
  for (const g of m.groups) {
    if (g.tag !== GROUP[group]) continue;
    const a = g.attributes.find((x) => x.name === name);
    if (a) return a;
  }
  return undefined;
}

export function firstInteger(m: IppMessage, group: GroupName, name: string): number | undefined {
  const v = attribute(m, group, name)?.values[0]?.value;
  return typeof v === 'number' ? v : undefined;
}

export function strings(m: IppMessage, group: GroupName, name: string): string[] {
  return (attribute(m, group, name)?.values ?? []).map((v) => v.value).filter((v): v is string => typeof v === 'string');
}

/** successful-ok and its two "with warnings" variants (RFC 8011 4.1.6). */
export function isSuccess(status: number): boolean {
  return status >= 0x0000 && status <= 0x00ff;
}
