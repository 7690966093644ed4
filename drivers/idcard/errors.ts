/**
 * Typed errors of the ID-card reader protocol. Framing problems (bad checksum, bad
 * length, a reply of the wrong shape) are ProtocolErrors and worth a retry; reader
 * statuses (SW3) map to one class per family so callers can branch on what to tell
 * the visitor: put the card back, try again, or call staff.
 */
export abstract class IdCardError extends Error {
  /** Whether repeating the same request may succeed. */
  abstract readonly retryable: boolean;
}

export class ProtocolError extends IdCardError {
  override readonly name: string = 'ProtocolError';
  readonly retryable: boolean = true;
}

export class ChecksumError extends ProtocolError {
  override readonly name = 'ChecksumError';
  constructor(
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`frame checksum mismatch: computed 0x${hex(expected)}, frame says 0x${hex(actual)}`);
  }
}

export class FrameLengthError extends ProtocolError {
  override readonly name = 'FrameLengthError';
  constructor(readonly length: number) {
    super(`implausible frame length ${length}`);
  }
}

/** A well-framed reply whose content does not fit the command (too short, wrong lengths). */
export class MalformedResponseError extends ProtocolError {
  override readonly name = 'MalformedResponseError';
}

export class ReaderTimeoutError extends IdCardError {
  override readonly name = 'ReaderTimeoutError';
  readonly retryable = true;
  constructor(
    readonly command: string,
    readonly timeoutMs: number,
  ) {
    super(`ID-card reader did not answer '${command}' within ${timeoutMs} ms`);
  }
}

export class ReaderDisconnectedError extends IdCardError {
  override readonly name = 'ReaderDisconnectedError';
  readonly retryable = false;
  constructor(detail = 'the ID-card reader is not connected') {
    super(detail);
  }
}

/** Base of every error carrying a reader status byte. */
export abstract class StatusError extends IdCardError {
  constructor(
    readonly sw3: number,
    message: string,
  ) {
    super(`${message} (SW3 0x${hex(sw3)})`);
  }
}

/** 0x80: no card in the field. The normal answer when nobody has put a card down. */
export class NoCardError extends StatusError {
  override readonly name = 'NoCardError';
  readonly retryable = false;
  constructor(sw3 = 0x80) {
    super(sw3, 'no card on the reader');
  }
}

/** 0x81 select failed, 0x41 read failed, 0x40 unrecognised card: the card moved or is not readable. */
export class CardAccessError extends StatusError {
  override readonly name = 'CardAccessError';
  readonly retryable = true;
}

/** 0x31 0x32 0x33 0x47: card and SAM could not authenticate each other. */
export class CardAuthenticationError extends StatusError {
  override readonly name = 'CardAuthenticationError';
  readonly retryable = true;
}

/** 0x60 0x66: the security module itself is broken or unauthorised; staff must act. */
export class SamError extends StatusError {
  override readonly name = 'SamError';
  readonly retryable = false;
}

/** 0x10 0x11 0x21 0x23 0x24: the reader rejected our request (often line noise on the way in). */
export class RequestRejectedError extends StatusError {
  override readonly name = 'RequestRejectedError';
  readonly retryable = true;
}

/** 0x91: the item asked for is empty, e.g. no additional address. */
export class NoContentError extends StatusError {
  override readonly name = 'NoContentError';
  readonly retryable = false;
}

export class UnknownStatusError extends StatusError {
  override readonly name = 'UnknownStatusError';
  readonly retryable = false;
}

/** The card was read but its type is one this driver does not decode (e.g. the 2023 'Y' card). */
export class UnsupportedCardError extends IdCardError {
  override readonly name = 'UnsupportedCardError';
  readonly retryable = false;
  constructor(
    readonly typeCode: string,
    message: string,
  ) {
    super(message);
  }
}

export const SW3 = {
  success: 0x90,
  findOk: 0x9f,
  noContent: 0x91,
  requestChecksum: 0x10,
  requestLength: 0x11,
  commandError: 0x21,
  notPermitted: 0x23,
  unknownError: 0x24,
  cardAuthSam: 0x31,
  samAuthCard: 0x32,
  verification: 0x33,
  unrecognisedCard: 0x40,
  readFailed: 0x41,
  randomFailed: 0x47,
  samSelfTest: 0x60,
  samNotAuthorised: 0x66,
  noCard: 0x80,
  selectFailed: 0x81,
} as const;

const STATUS_TEXT: Record<number, string> = {
  0x10: 'reader reports a checksum error in the request',
  0x11: 'reader reports a length error in the request',
  0x21: 'reader reports a command error',
  0x23: 'operation not permitted',
  0x24: 'reader reports an unknown error',
  0x31: 'card failed to authenticate the SAM',
  0x32: 'SAM failed to authenticate the card',
  0x33: 'card information verification error',
  0x40: 'unrecognised card type',
  0x41: 'reading the card failed',
  0x47: 'fetching a random number from the card failed',
  0x60: 'SAM self-test failed',
  0x66: 'SAM is not authorised',
  0x80: 'no card on the reader',
  0x81: 'selecting the card failed',
  0x91: 'the item has no content',
};

/** The typed error for a non-success SW3. */
export function statusError(sw3: number): StatusError {
  const text = STATUS_TEXT[sw3];
  switch (sw3) {
    case 0x80:
      return new NoCardError(sw3);
    case 0x81:
    case 0x41:
    case 0x40:
      return new CardAccessError(sw3, text!);
    case 0x31:
    case 0x32:
    case 0x33:
    case 0x47:
      return new CardAuthenticationError(sw3, text!);
    case 0x60:
    case 0x66:
      return new SamError(sw3, text!);
    case 0x10:
    case 0x11:
    case 0x21:
    case 0x23:
    case 0x24:
      return new RequestRejectedError(sw3, text!);
    case 0x91:
      return new NoContentError(sw3, text!);
    default:
      return new UnknownStatusError(sw3, 'unknown reader status');
  }
}

function hex(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}
