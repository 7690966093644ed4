/**
 * Frames of the SAM serial protocol, as pure functions over bytes:
 *
 *   AA AA AA 96 69 | LEN_HI LEN_LO | body… | CHK
 *
 * LEN counts every byte after itself, CHK included; CHK is the XOR of LEN_HI through
 * the last body byte. Requests carry CMD PARA [data]; responses SW1 SW2 SW3 [data].
 * The decoder is streaming and resynchronises on the preamble, because readers emit
 * noise and partial frames when a card is pulled away mid-read.
 */
import { ChecksumError, FrameLengthError, MalformedResponseError, ProtocolError, SW3, statusError } from './errors.ts';

export const PREAMBLE = Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69);
/** Larger than the biggest known reply (text + photo + fingerprint, LEN 0x090A); anything above is noise. */
export const MAX_LEN = 0x1000;
/** The smallest body is a request's CMD PARA, plus CHK. */
export const MIN_LEN = 3;

export const Command = {
  resetSam: [0x10, 0xff],
  samStatus: [0x11, 0xff],
  samId: [0x12, 0xff],
  findCard: [0x20, 0x01],
  selectCard: [0x20, 0x02],
  readTextPhoto: [0x30, 0x01],
  readTextPhotoFingerprint: [0x30, 0x10],
  readAdditionalAddress: [0x30, 0x03],
} as const satisfies Record<string, readonly [number, number]>;
export type CommandName = keyof typeof Command;

/** What a command does, which sets how long a reader may take to answer it. */
export type CommandClass = 'find' | 'select' | 'read' | 'sam';

export const COMMAND_CLASS: Record<CommandName, CommandClass> = {
  resetSam: 'sam',
  samStatus: 'sam',
  samId: 'sam',
  findCard: 'find',
  selectCard: 'select',
  readTextPhoto: 'read',
  readTextPhotoFingerprint: 'read',
  readAdditionalAddress: 'read',
};

export function commandName(cmd: number, para: number): CommandName | undefined {
  for (const [name, [c, p]] of Object.entries(Command)) if (c === cmd && p === para) return name as CommandName;
  return undefined;
}

export function xor(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let x = 0;
  for (let i = start; i < end; i++) x ^= bytes[i];
  return x;
}

/** Wraps a body in preamble, length and checksum. */
export function encodeFrame(body: Uint8Array): Uint8Array {
  const len = body.length + 1;
  if (len > MAX_LEN) throw new FrameLengthError(len);
  const frame = new Uint8Array(PREAMBLE.length + 2 + len);
  frame.set(PREAMBLE, 0);
  frame[5] = len >> 8;
  frame[6] = len & 0xff;
  frame.set(body, 7);
  frame[frame.length - 1] = xor(frame, 5, frame.length - 1);
  return frame;
}

export function encodeRequest(cmd: number, para: number, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const body = new Uint8Array(2 + data.length);
  body[0] = cmd;
  body[1] = para;
  body.set(data, 2);
  return encodeFrame(body);
}

export function encodeCommand(name: CommandName): Uint8Array {
  const [cmd, para] = Command[name];
  return encodeRequest(cmd, para);
}

/** The device side: SW1 = SW2 = 00, then SW3 and data. */
export function encodeResponse(sw3: number, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const body = new Uint8Array(3 + data.length);
  body[2] = sw3;
  body.set(data, 3);
  return encodeFrame(body);
}

/** A checked frame: the bytes between LEN and CHK. */
export interface Frame {
  body: Uint8Array;
  /** Bytes thrown away before this frame's preamble while resynchronising. */
  skipped: number;
}

export type DecodeResult = { ok: true; frame: Frame } | { ok: false; error: ProtocolError; skipped: number };

/**
 * Streaming frame decoder. push() returns every frame (or framing error) completed by
 * the chunk. On a bad length or checksum only the first preamble byte is dropped, so a
 * real frame hidden inside a broken one is still found.
 */
export class FrameDecoder {
  private buf = new Uint8Array(0);
  private skipped = 0;

  constructor(private readonly maxLen = MAX_LEN) {}

  /** Bytes held while waiting for the rest of a frame. */
  get pending(): number {
    return this.buf.length;
  }

  reset(): void {
    this.buf = new Uint8Array(0);
    this.skipped = 0;
  }

  /**
   * Gives up on a pending partial frame (the line went quiet before its announced length
   * arrived) and searches the held bytes again from one byte past its preamble, so a
   * complete frame that arrived behind a truncated one is not lost.
   */
  resync(): DecodeResult[] {
    if (this.buf.length === 0) return [];
    this.buf = this.buf.slice(1);
    this.skipped += 1;
    return this.push(new Uint8Array(0));
  }

  push(chunk: Uint8Array): DecodeResult[] {
    this.append(chunk);
    const out: DecodeResult[] = [];
    let pos = 0;
    const buf = this.buf;
    for (;;) {
      const start = findPreamble(buf, pos);
      if (start < 0) {
        // Keep a tail that could be the start of a preamble split across chunks.
        const keep = preambleTail(buf, pos);
        this.skipped += buf.length - pos - keep;
        pos = buf.length - keep;
        break;
      }
      this.skipped += start - pos;
      pos = start;
      if (buf.length - pos < 7) break;
      const len = (buf[pos + 5] << 8) | buf[pos + 6];
      if (len < MIN_LEN || len > this.maxLen) {
        out.push({ ok: false, error: new FrameLengthError(len), skipped: this.takeSkipped() });
        pos += 1;
        continue;
      }
      const end = pos + 7 + len;
      if (buf.length < end) break;
      const expected = xor(buf, pos + 5, end - 1);
      const actual = buf[end - 1];
      if (expected !== actual) {
        out.push({ ok: false, error: new ChecksumError(expected, actual), skipped: this.takeSkipped() });
        pos += 1;
        continue;
      }
      out.push({ ok: true, frame: { body: buf.slice(pos + 7, end - 1), skipped: this.takeSkipped() } });
      pos = end;
    }
    this.buf = buf.slice(pos);
    return out;
  }

  private takeSkipped(): number {
    const s = this.skipped;
    this.skipped = 0;
    return s;
  }

  private append(chunk: Uint8Array): void {
    if (this.buf.length === 0) {
      this.buf = Uint8Array.from(chunk);
      return;
    }
    const next = new Uint8Array(this.buf.length + chunk.length);
    next.set(this.buf, 0);
    next.set(chunk, this.buf.length);
    this.buf = next;
  }
}

function findPreamble(buf: Uint8Array, from: number): number {
  outer: for (let i = from; i + PREAMBLE.length <= buf.length; i++) {
    for (let j = 0; j < PREAMBLE.length; j++) if (buf[i + j] !== PREAMBLE[j]) continue outer;
    return i;
  }
  return -1;
}

/** Length of the longest suffix of buf[from..] that is a proper prefix of the preamble. */
function preambleTail(buf: Uint8Array, from: number): number {
  const max = Math.min(PREAMBLE.length - 1, buf.length - from);
  for (let k = max; k > 0; k--) {
    let match = true;
    for (let j = 0; j < k; j++) {
      if (buf[buf.length - k + j] !== PREAMBLE[j]) {
        match = false;
        break;
      }
    }
    if (match) return k;
  }
  return 0;
}

export interface Response {
  sw1: number;
  sw2: number;
  sw3: number;
  data: Uint8Array;
}

export function parseResponse(frame: Frame): Response {
  const b = frame.body;
  if (b.length < 3) throw new MalformedResponseError(`response body of ${b.length} bytes is shorter than its status`);
  return { sw1: b[0], sw2: b[1], sw3: b[2], data: b.subarray(3) };
}

export interface Request {
  cmd: number;
  para: number;
  data: Uint8Array;
}

export function parseRequest(frame: Frame): Request {
  const b = frame.body;
  if (b.length < 2) throw new MalformedResponseError(`request body of ${b.length} bytes has no command`);
  return { cmd: b[0], para: b[1], data: b.subarray(2) };
}

/** Throws the typed status error unless SW3 is one of the accepted success codes. */
export function expectStatus(res: Response, ok: readonly number[] = [SW3.success]): Response {
  if (!ok.includes(res.sw3)) throw statusError(res.sw3);
  return res;
}

// ---------------------------------------------------------------- payloads

export const TEXT_BYTES = 256;
export const PHOTO_BYTES = 1024;
export const FINGERPRINT_BYTES = 1024;
export const ADDITIONAL_ADDRESS_BYTES = 70;
export const SAM_ID_BYTES = 16;

export interface CardPayload {
  text: Uint8Array;
  photo: Uint8Array;
  /** null when not asked for or when the card holds none (length 00 00). */
  fingerprint: Uint8Array | null;
}

/** Data of a successful 30 01 / 30 10 reply: BE lengths, then text, photo and, with fingerprint, its bytes. */
export function decodeCardPayload(data: Uint8Array, withFingerprint: boolean): CardPayload {
  const header = withFingerprint ? 6 : 4;
  if (data.length < header) throw new MalformedResponseError(`card data of ${data.length} bytes lacks its length header`);
  const textLen = (data[0] << 8) | data[1];
  const photoLen = (data[2] << 8) | data[3];
  const fpLen = withFingerprint ? (data[4] << 8) | data[5] : 0;
  if (textLen !== TEXT_BYTES) throw new MalformedResponseError(`text block is ${textLen} bytes, expected ${TEXT_BYTES}`);
  if (photoLen > PHOTO_BYTES * 4) throw new MalformedResponseError(`photo length ${photoLen} is implausible`);
  // Readers send the fingerprint area in full even when the declared length says empty.
  const expected = header + textLen + photoLen + fpLen;
  if (data.length < expected) {
    throw new MalformedResponseError(`card data is ${data.length} bytes, lengths announce ${expected}`);
  }
  const text = data.slice(header, header + textLen);
  const photo = data.slice(header + textLen, header + textLen + photoLen);
  const fingerprint = fpLen > 0 ? data.slice(header + textLen + photoLen, expected) : null;
  return { text, photo, fingerprint };
}

export function encodeCardPayload(payload: CardPayload, withFingerprint: boolean): Uint8Array {
  const fp = withFingerprint ? payload.fingerprint : null;
  const header = withFingerprint ? 6 : 4;
  // With fingerprint asked but none on the card the reader still sends a blank 1024-byte area.
  const fpArea = withFingerprint ? (fp ?? new Uint8Array(FINGERPRINT_BYTES)) : new Uint8Array(0);
  const out = new Uint8Array(header + payload.text.length + payload.photo.length + fpArea.length);
  out[0] = payload.text.length >> 8;
  out[1] = payload.text.length & 0xff;
  out[2] = payload.photo.length >> 8;
  out[3] = payload.photo.length & 0xff;
  if (withFingerprint) {
    const fpLen = fp ? fp.length : 0;
    out[4] = fpLen >> 8;
    out[5] = fpLen & 0xff;
  }
  out.set(payload.text, header);
  out.set(payload.photo, header + payload.text.length);
  out.set(fpArea, header + payload.text.length + payload.photo.length);
  return out;
}

/** 16 bytes → `b0.b2-u32le(4)-u32le(8)-u32le(12)`, the last two zero-padded to 10 digits. */
export function formatSamId(data: Uint8Array): string {
  if (data.length < SAM_ID_BYTES) throw new MalformedResponseError(`SAM id is ${data.length} bytes, expected ${SAM_ID_BYTES}`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const a = view.getUint32(4, true);
  const b = view.getUint32(8, true).toString().padStart(10, '0');
  const c = view.getUint32(12, true).toString().padStart(10, '0');
  return `${data[0]}.${data[2]}-${a}-${b}-${c}`;
}
