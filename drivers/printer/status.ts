/**
 * Real-time status (DLE EOT n, n = 1…4): one byte back per query, with bits 1 and 4
 * always set and bit 0 clear. A byte without that baseline is not a status answer
 * (line noise, a stray echo) and is rejected rather than misread.
 */
export type StatusQuery = 1 | 2 | 3 | 4;

export class StatusByteError extends Error {
  override readonly name = 'StatusByteError';
  constructor(
    readonly query: StatusQuery,
    readonly byte: number,
  ) {
    super(`0x${byte.toString(16).padStart(2, '0')} is not a DLE EOT ${query} status byte`);
  }
}

export type PaperState = 'ok' | 'near-end' | 'out';

export interface PrinterStatus {
  online: boolean;
  coverOpen: boolean;
  paperNearEnd: boolean;
  paperOut: boolean;
  cutterError: boolean;
  /** Errors needing power cycling or service (n = 3, bit 5). */
  unrecoverableError: boolean;
  paper: PaperState;
}

export const STATUS_BASE = 0x12;
const MASK = 0x93;

export function encodeStatusRequest(n: StatusQuery): Uint8Array {
  return Uint8Array.of(0x10, 0x04, n);
}

export function isStatusByte(byte: number): boolean {
  return (byte & MASK) === STATUS_BASE;
}

export interface PrinterStatusBits {
  printer?: { offline: boolean; waitingRecovery: boolean; feedButton: boolean; drawerPin3: boolean };
  offline?: { coverOpen: boolean; feedByButton: boolean; paperEndStop: boolean; error: boolean };
  error?: { recoverable: boolean; cutter: boolean; unrecoverable: boolean; autoRecoverable: boolean };
  paper?: { nearEnd: boolean; out: boolean };
}

export function decodeStatusByte(n: StatusQuery, byte: number): PrinterStatusBits {
  if (!isStatusByte(byte)) throw new StatusByteError(n, byte);
  const bit = (b: number) => (byte & (1 << b)) !== 0;
  switch (n) {
    case 1:
      return { printer: { offline: bit(3), waitingRecovery: bit(5), feedButton: bit(6), drawerPin3: bit(2) } };
    case 2:
      return { offline: { coverOpen: bit(2), feedByButton: bit(3), paperEndStop: bit(5), error: bit(6) } };
    case 3:
      return { error: { recoverable: bit(2), cutter: bit(3), unrecoverable: bit(5), autoRecoverable: bit(6) } };
    case 4:
      // Sensor pairs: either bit of a pair set counts, as some printers set only one.
      return { paper: { nearEnd: bit(2) || bit(3), out: bit(5) || bit(6) } };
  }
}

/** Combines the four answers into the status the app acts on. */
export function decodeStatus(bytes: Record<StatusQuery, number>): PrinterStatus {
  const s1 = decodeStatusByte(1, bytes[1]).printer!;
  const s2 = decodeStatusByte(2, bytes[2]).offline!;
  const s3 = decodeStatusByte(3, bytes[3]).error!;
  const s4 = decodeStatusByte(4, bytes[4]).paper!;
  const paperOut = s4.out || s2.paperEndStop;
  const paperNearEnd = s4.nearEnd && !paperOut;
  return {
    online: !s1.offline,
    coverOpen: s2.coverOpen,
    paperNearEnd,
    paperOut,
    cutterError: s3.cutter,
    unrecoverableError: s3.unrecoverable,
    paper: paperOut ? 'out' : paperNearEnd ? 'near-end' : 'ok',
  };
}

/** The device side: the byte a printer in this state answers to DLE EOT n. */
export function encodeStatusByte(n: StatusQuery, s: Omit<PrinterStatus, 'paper'>): number {
  let b = STATUS_BASE;
  switch (n) {
    case 1:
      if (!s.online) b |= 0x08;
      if (!s.online && !s.unrecoverableError) b |= 0x20;
      break;
    case 2:
      if (s.coverOpen) b |= 0x04;
      if (s.paperOut) b |= 0x20;
      if (s.cutterError || s.unrecoverableError) b |= 0x40;
      break;
    case 3:
      if (s.cutterError) b |= 0x08;
      if (s.unrecoverableError) b |= 0x20;
      break;
    case 4:
      if (s.paperNearEnd || s.paperOut) b |= 0x0c;
      if (s.paperOut) b |= 0x60;
      break;
  }
  return b;
}

/** Why a printer in this state cannot print now, or null when it can. */
export function notReadyReason(s: PrinterStatus): 'paper-out' | 'cover-open' | 'cutter-error' | 'offline' | null {
  if (s.paperOut) return 'paper-out';
  if (s.coverOpen) return 'cover-open';
  if (s.cutterError || s.unrecoverableError) return 'cutter-error';
  if (!s.online) return 'offline';
  return null;
}
