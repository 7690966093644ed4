/**
 * A streaming ESC/POS parser: bytes in, commands out. The printer simulator is built on
 * it; it understands what the encoder emits plus the common commands other software
 * sends, and skips what it does not know without losing its place where the command
 * length is knowable (GS ( x carries its own length).
 */
export type EscPosCommand =
  | { type: 'text'; bytes: Uint8Array }
  | { type: 'lf' }
  | { type: 'init' }
  | { type: 'align'; value: number }
  | { type: 'bold'; on: boolean }
  | { type: 'underline'; on: boolean }
  | { type: 'reverse'; on: boolean }
  | { type: 'size'; width: number; height: number }
  | { type: 'print-mode'; value: number }
  | { type: 'chinese-mode'; on: boolean }
  | { type: 'chinese-print-mode'; value: number }
  | { type: 'feed'; lines: number }
  | { type: 'cut'; partial: boolean; feed: number }
  | { type: 'status-request'; n: number }
  | { type: 'qr-model'; model: number }
  | { type: 'qr-module-size'; size: number }
  | { type: 'qr-level'; level: number }
  | { type: 'qr-store'; data: Uint8Array }
  | { type: 'qr-print' }
  | { type: 'barcode-height'; dots: number }
  | { type: 'barcode-width'; width: number }
  | { type: 'barcode-hri'; position: number }
  | { type: 'barcode'; system: number; data: Uint8Array }
  | { type: 'unknown'; bytes: Uint8Array };

const INCOMPLETE = null;
type Step = { cmd: EscPosCommand | null; next: number } | typeof INCOMPLETE;

/** ESC commands with one parameter byte, and what they mean. */
const ESC_ONE: Record<number, (n: number) => EscPosCommand | null> = {
  0x61: (n) => ({ type: 'align', value: n & 0x03 }),
  0x45: (n) => ({ type: 'bold', on: (n & 1) === 1 }),
  0x2d: (n) => ({ type: 'underline', on: (n & 3) !== 0 }),
  0x64: (n) => ({ type: 'feed', lines: n }),
  0x21: (n) => ({ type: 'print-mode', value: n }),
  0x4a: () => ({ type: 'feed', lines: 1 }),
  0x74: () => null, // code table
  0x4d: () => null, // font
  0x33: () => null, // line spacing
  0x52: () => null, // international set
  0x20: () => null, // right spacing
  0x47: () => null, // double strike
  0x7b: () => null, // upside down
  0x56: () => null, // rotation
};

/** GS commands with one parameter byte. */
const GS_ONE: Record<number, (n: number) => EscPosCommand | null> = {
  0x21: (n) => ({ type: 'size', width: (n >> 4) + 1, height: (n & 0x0f) + 1 }),
  0x42: (n) => ({ type: 'reverse', on: (n & 1) === 1 }),
  0x68: (n) => ({ type: 'barcode-height', dots: n }),
  0x77: (n) => ({ type: 'barcode-width', width: n }),
  0x48: (n) => ({ type: 'barcode-hri', position: n }),
  0x66: () => null, // HRI font
};

const MAX_BUFFER = 1 << 20;

export class EscPosParser {
  private buf = new Uint8Array(0);

  get pending(): number {
    return this.buf.length;
  }

  push(chunk: Uint8Array): EscPosCommand[] {
    if (this.buf.length === 0) this.buf = Uint8Array.from(chunk);
    else {
      const next = new Uint8Array(this.buf.length + chunk.length);
      next.set(this.buf);
      next.set(chunk, this.buf.length);
      this.buf = next;
    }
    const out: EscPosCommand[] = [];
    let pos = 0;
    while (pos < this.buf.length) {
      const step = this.step(pos);
      if (step === INCOMPLETE) break;
      if (step.cmd) out.push(step.cmd);
      pos = step.next;
    }
    this.buf = this.buf.slice(pos);
    // A command announcing a huge length must not make the simulator hoard memory forever.
    if (this.buf.length > MAX_BUFFER) {
      out.push({ type: 'unknown', bytes: this.buf.slice(0, 16) });
      this.buf = new Uint8Array(0);
    }
    return out;
  }

  private step(pos: number): Step {
    const b = this.buf;
    const avail = b.length - pos;
    const c = b[pos];
    if (c === 0x0a) return { cmd: { type: 'lf' }, next: pos + 1 };
    if (c === 0x0d) return { cmd: null, next: pos + 1 };
    if (c === 0x10) {
      if (avail < 3) return INCOMPLETE;
      if (b[pos + 1] === 0x04) return { cmd: { type: 'status-request', n: b[pos + 2] }, next: pos + 3 };
      return { cmd: { type: 'unknown', bytes: b.slice(pos, pos + 2) }, next: pos + 2 };
    }
    if (c === 0x1b) return this.esc(pos, avail);
    if (c === 0x1c) return this.fs(pos, avail);
    if (c === 0x1d) return this.gs(pos, avail);
    if (c < 0x20 || c === 0x7f) return { cmd: { type: 'unknown', bytes: b.slice(pos, pos + 1) }, next: pos + 1 };
    // Text runs until the next control byte; GB18030 trail bytes are all ≥ 0x30, so no command byte hides inside.
    let end = pos;
    while (end < b.length && b[end] >= 0x20 && b[end] !== 0x7f) end++;
    return { cmd: { type: 'text', bytes: b.slice(pos, end) }, next: end };
  }

  private esc(pos: number, avail: number): Step {
    const b = this.buf;
    if (avail < 2) return INCOMPLETE;
    const op = b[pos + 1];
    if (op === 0x40) return { cmd: { type: 'init' }, next: pos + 2 };
    const one = ESC_ONE[op];
    if (one) {
      if (avail < 3) return INCOMPLETE;
      return { cmd: one(b[pos + 2]), next: pos + 3 };
    }
    return { cmd: { type: 'unknown', bytes: b.slice(pos, pos + 2) }, next: pos + 2 };
  }

  private fs(pos: number, avail: number): Step {
    const b = this.buf;
    if (avail < 2) return INCOMPLETE;
    const op = b[pos + 1];
    if (op === 0x26) return { cmd: { type: 'chinese-mode', on: true }, next: pos + 2 };
    if (op === 0x2e) return { cmd: { type: 'chinese-mode', on: false }, next: pos + 2 };
    if (op === 0x21) {
      if (avail < 3) return INCOMPLETE;
      return { cmd: { type: 'chinese-print-mode', value: b[pos + 2] }, next: pos + 3 };
    }
    return { cmd: { type: 'unknown', bytes: b.slice(pos, pos + 2) }, next: pos + 2 };
  }

  private gs(pos: number, avail: number): Step {
    const b = this.buf;
    if (avail < 2) return INCOMPLETE;
    const op = b[pos + 1];
    const one = GS_ONE[op];
    if (one) {
      if (avail < 3) return INCOMPLETE;
      return { cmd: one(b[pos + 2]), next: pos + 3 };
    }
    if (op === 0x56) {
      if (avail < 3) return INCOMPLETE;
      const m = b[pos + 2];
      if (m === 0x41 || m === 0x42) {
        if (avail < 4) return INCOMPLETE;
        return { cmd: { type: 'cut', partial: m === 0x42, feed: b[pos + 3] }, next: pos + 4 };
      }
      return { cmd: { type: 'cut', partial: (m & 1) === 1, feed: 0 }, next: pos + 3 };
    }
    if (op === 0x6b) return this.barcode(pos, avail);
    if (op === 0x28) {
      // GS ( fn pL pH …: every function in this family carries its own length.
      if (avail < 5) return INCOMPLETE;
      const fn = b[pos + 2];
      const len = b[pos + 3] | (b[pos + 4] << 8);
      if (avail < 5 + len) return INCOMPLETE;
      const body = b.subarray(pos + 5, pos + 5 + len);
      const next = pos + 5 + len;
      if (fn === 0x6b) return { cmd: qrFunction(body), next };
      return { cmd: { type: 'unknown', bytes: b.slice(pos, next) }, next };
    }
    return { cmd: { type: 'unknown', bytes: b.slice(pos, pos + 2) }, next: pos + 2 };
  }

  private barcode(pos: number, avail: number): Step {
    const b = this.buf;
    if (avail < 3) return INCOMPLETE;
    const m = b[pos + 2];
    if (m <= 6) {
      // Function A: data ends at NUL.
      let end = pos + 3;
      while (end < b.length && b[end] !== 0) end++;
      if (end >= b.length) return INCOMPLETE;
      return { cmd: { type: 'barcode', system: m, data: b.slice(pos + 3, end) }, next: end + 1 };
    }
    if (avail < 4) return INCOMPLETE;
    const n = b[pos + 3];
    if (avail < 4 + n) return INCOMPLETE;
    return { cmd: { type: 'barcode', system: m, data: b.slice(pos + 4, pos + 4 + n) }, next: pos + 4 + n };
  }
}

function qrFunction(body: Uint8Array): EscPosCommand {
  const cn = body[0];
  const fn = body[1];
  if (cn !== 0x31 || body.length < 2) return { type: 'unknown', bytes: Uint8Array.from(body) };
  switch (fn) {
    case 0x41:
      return { type: 'qr-model', model: body[2] ?? 0 };
    case 0x43:
      return { type: 'qr-module-size', size: body[2] ?? 0 };
    case 0x45:
      return { type: 'qr-level', level: body[2] ?? 0 };
    case 0x50:
      return { type: 'qr-store', data: body.slice(3) };
    case 0x51:
      return { type: 'qr-print' };
    default:
      return { type: 'unknown', bytes: Uint8Array.from(body) };
  }
}
