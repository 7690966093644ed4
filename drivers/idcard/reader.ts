/**
 * The ID-card reader driver: its commands over the shared link (drivers/link.ts) with
 * per-command timeouts and bounded retries, the find → select → read sequence, and card
 * polling that reports each insertion once.
 *
 * The protocol has no request ids, so a late answer to a timed-out request could be
 * taken for the answer to the next one. Each command therefore states what a success
 * answer must look like (fitsCommand) and the link drops anything else as stale.
 */
import { EventEmitter } from 'node:events';
import type { ByteTransport } from '../transport/types.ts';
import { silentLogger, type DriverLogger, errorMessage } from '../log.ts';
import { Link, type LinkParser, type Parsed } from '../link.ts';
import { retry } from '../../common/retry.ts';
import {
  FrameDecoder,
  decodeCardPayload,
  encodeCommand,
  formatSamId,
  parseResponse,
  type CommandClass,
  type CommandName,
  COMMAND_CLASS,
  type DecodeResult,
  type Response,
  ADDITIONAL_ADDRESS_BYTES,
  SAM_ID_BYTES,
  TEXT_BYTES,
} from './codec.ts';
import {
  CardAccessError,
  CardAuthenticationError,
  IdCardError,
  NoCardError,
  NoContentError,
  ProtocolError,
  ReaderDisconnectedError,
  ReaderTimeoutError,
  RequestRejectedError,
  SW3,
  UnsupportedCardError,
  statusError,
} from './errors.ts';
import { decodeAdditionalAddress, decodeCardText, type CardText } from './text.ts';

export interface CardRead {
  card: CardText;
  /** Encrypted WLT photo, kept raw: no licensed decoder is available to turn it into an image. */
  photo: Uint8Array;
  fingerprint: Uint8Array | null;
  /** Address registered after the card was issued, when asked for and present. */
  additionalAddress: string | null;
  readAt: string;
}

export interface ReadOptions {
  fingerprint?: boolean;
  additionalAddress?: boolean;
}

export interface IdCardReaderOptions {
  /** Per-command-class answer timeouts in ms. */
  timeouts?: Partial<Record<CommandClass, number>>;
  /** Extra attempts after a framing error, timeout or rejected request. */
  retries?: number;
  retryDelayMs?: number;
  /** How long the line may stay quiet in the middle of a frame before it is given up. */
  interByteTimeoutMs?: number;
  pollMs?: number;
  /** What polling reads for each new card. */
  pollRead?: ReadOptions;
  logger?: DriverLogger;
}

export interface PollOutcome {
  ok: boolean;
  error?: Error;
}

export interface IdCardReaderEvents {
  'card-present': [read: CardRead];
  'card-removed': [];
  /** A card is on the reader but could not be read; once per insertion. */
  'card-error': [err: IdCardError];
  /** Every poll, so a supervisor can tell a silent reader from an idle one. */
  poll: [outcome: PollOutcome];
}

const DEFAULT_TIMEOUTS: Record<CommandClass, number> = { find: 1000, select: 1000, read: 3000, sam: 1000 };

/** Whether a success answer has the shape this command's answer must have. */
function fitsCommand(name: CommandName, res: Response): boolean {
  const success = res.sw3 === SW3.success || res.sw3 === SW3.findOk;
  if (!success) return true;
  const n = res.data.length;
  switch (name) {
    case 'findCard':
      return res.sw3 === SW3.findOk && n === 4;
    case 'selectCard':
      return res.sw3 === SW3.success && n === 8;
    case 'readTextPhoto':
      return res.sw3 === SW3.success && n >= 4 + TEXT_BYTES && n < 6 + TEXT_BYTES + 1024;
    case 'readTextPhotoFingerprint':
      return res.sw3 === SW3.success && n >= 6 + TEXT_BYTES + 1024;
    case 'readAdditionalAddress':
      return res.sw3 === SW3.success && n === ADDITIONAL_ADDRESS_BYTES;
    case 'samId':
      return res.sw3 === SW3.success && n === SAM_ID_BYTES;
    case 'samStatus':
    case 'resetSam':
      return res.sw3 === SW3.success && n === 0;
  }
}

function toParsed(r: DecodeResult): Parsed<Response> {
  if (!r.ok) return { ok: false, error: r.error, deferred: true };
  try {
    return { ok: true, value: parseResponse(r.frame) };
  } catch (err) {
    return { ok: false, error: err as Error, deferred: false };
  }
}

/** Frames off the line, parsed into answers; a broken frame waits to see whether the real one follows. */
class ResponseParser implements LinkParser<Response> {
  private readonly decoder = new FrameDecoder();

  get pending(): number {
    return this.decoder.pending;
  }

  push(chunk: Uint8Array): Parsed<Response>[] {
    return this.decoder.push(chunk).map(toParsed);
  }

  resync(): Parsed<Response>[] {
    return this.decoder.resync().map(toParsed);
  }

  reset(): void {
    this.decoder.reset();
  }
}

export class IdCardReader extends EventEmitter<IdCardReaderEvents> {
  private readonly link: Link<Response>;
  private readonly timeouts: Record<CommandClass, number>;
  private readonly retries: number;
  private readonly retryDelayMs: number;
  private readonly log: DriverLogger;
  private pollTimer: NodeJS.Timeout | null = null;
  private polling = false;
  private cardState: 'empty' | 'present' = 'empty';
  private errorReported = false;

  readonly pollMs: number;
  private readonly pollRead: ReadOptions;

  constructor(transport: ByteTransport | null = null, options: IdCardReaderOptions = {}) {
    super();
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.retries = options.retries ?? 2;
    this.retryDelayMs = options.retryDelayMs ?? 20;
    this.pollMs = options.pollMs ?? 500;
    this.pollRead = options.pollRead ?? { additionalAddress: true };
    this.log = options.logger ?? silentLogger;
    this.link = new Link<Response>({
      parser: new ResponseParser(),
      label: 'id-card reader',
      interByteTimeoutMs: options.interByteTimeoutMs ?? 100,
      logger: this.log,
      errors: {
        notConnected: () => new ReaderDisconnectedError(),
        closed: () => new ReaderDisconnectedError('the ID-card reader was disconnected'),
        writeFailed: (err) => new ReaderDisconnectedError(`writing to the ID-card reader failed: ${errorMessage(err)}`),
      },
      onUnclaimed: (res) => this.log.debug({ sw3: res.sw3, bytes: res.data.length }, 'dropping a stale id-card reader answer'),
    });
    if (transport) this.attach(transport);
  }

  get connected(): boolean {
    return this.link.connected;
  }

  /** Whether a card is currently considered present by polling. */
  get cardPresent(): boolean {
    return this.cardState === 'present';
  }

  attach(transport: ByteTransport): void {
    this.link.attach(transport);
  }

  /** Forgets the transport without closing it (the owner closes it). */
  detach(): void {
    this.link.detach();
  }

  async close(): Promise<void> {
    this.stopPolling();
    await this.link.close();
  }

  // ------------------------------------------------------------ commands

  /** True when a card is in the field, false for the reader's "no card" answer. */
  findCard(): Promise<boolean> {
    return this.link.exclusive(async () => {
      try {
        await this.command('findCard', [SW3.findOk]);
        return true;
      } catch (err) {
        if (err instanceof NoCardError) return false;
        throw err;
      }
    });
  }

  selectCard(): Promise<void> {
    return this.link.exclusive(async () => {
      await this.command('selectCard');
    });
  }

  /** find → select → read, repeated (bounded) when the card moves mid-read. Throws NoCardError when there is none. */
  readCard(options: ReadOptions = {}): Promise<CardRead> {
    return this.link.exclusive(() => this.readSequence(options));
  }

  samId(): Promise<string> {
    return this.link.exclusive(async () => formatSamId((await this.command('samId')).data));
  }

  /** Resolves when the SAM reports itself healthy; throws its status error otherwise. */
  samStatus(): Promise<void> {
    return this.link.exclusive(async () => {
      await this.command('samStatus');
    });
  }

  resetSam(): Promise<void> {
    return this.link.exclusive(async () => {
      await this.command('resetSam');
    });
  }

  /** The address added after issue, or null when the card has none. Needs a selected card. */
  additionalAddress(): Promise<string | null> {
    return this.link.exclusive(() => this.readAdditional());
  }

  // ------------------------------------------------------------ polling

  startPolling(intervalMs = this.pollMs): void {
    if (this.polling) return;
    this.polling = true;
    const loop = async () => {
      if (!this.polling) return;
      await this.pollOnce();
      if (this.polling) this.pollTimer = setTimeout(loop, intervalMs);
    };
    this.pollTimer = setTimeout(loop, 0);
  }

  stopPolling(): void {
    this.polling = false;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = null;
  }

  /** One polling step; public so tests and the CLI can drive polling deterministically. */
  async pollOnce(): Promise<void> {
    try {
      await this.link.exclusive(() => this.pollStep());
      this.safeEmit('poll', { ok: true });
    } catch (err) {
      this.log.debug({ err: errorMessage(err) }, 'id-card poll failed');
      this.safeEmit('poll', { ok: false, error: err as Error });
    }
  }

  private async pollStep(): Promise<void> {
    if (this.cardState === 'present') {
      if (await this.stillPresent()) return;
      this.cardState = 'empty';
      this.errorReported = false;
      this.safeEmit('card-removed');
      return;
    }
    let read: CardRead;
    try {
      read = await this.readSequence(this.pollRead);
    } catch (err) {
      if (err instanceof NoCardError) {
        this.errorReported = false;
        return;
      }
      if (err instanceof UnsupportedCardError) {
        // Present but unreadable: report once and wait for its removal.
        this.cardState = 'present';
        this.reportCardError(err);
        return;
      }
      if (err instanceof CardAccessError || err instanceof CardAuthenticationError) {
        this.reportCardError(err);
        return;
      }
      throw err;
    }
    this.cardState = 'present';
    this.errorReported = false;
    this.safeEmit('card-present', read);
  }

  /**
   * Readers differ on what find answers while an already-read card stays put: some
   * report the card, some "no card" until it is placed again. Select still succeeds on
   * a card in the field, so a card counts as removed only when both fail.
   */
  private async stillPresent(): Promise<boolean> {
    try {
      await this.command('findCard', [SW3.findOk]);
      return true;
    } catch (err) {
      if (!(err instanceof NoCardError)) throw err;
    }
    try {
      await this.command('selectCard');
      return true;
    } catch (err) {
      if (err instanceof CardAccessError || err instanceof NoCardError) return false;
      throw err;
    }
  }

  private reportCardError(err: IdCardError): void {
    if (this.errorReported) return;
    this.errorReported = true;
    this.safeEmit('card-error', err);
  }

  // ------------------------------------------------------------ sequences

  private readSequence(options: ReadOptions): Promise<CardRead> {
    return retry(
      async () => {
        await this.command('findCard', [SW3.findOk]);
        await this.command('selectCard');
        const name: CommandName = options.fingerprint ? 'readTextPhotoFingerprint' : 'readTextPhoto';
        const res = await this.command(name);
        const payload = decodeCardPayload(res.data, Boolean(options.fingerprint));
        const card = decodeCardText(payload.text);
        const additionalAddress = options.additionalAddress ? await this.readAdditionalSafe() : null;
        return { card, photo: payload.photo, fingerprint: payload.fingerprint, additionalAddress, readAt: new Date().toISOString() };
      },
      {
        retries: this.retries,
        delayMs: this.retryDelayMs,
        retryable: (err) => err instanceof CardAccessError || err instanceof CardAuthenticationError,
        onRetry: (err, attempt) => this.log.debug({ err: errorMessage(err), attempt }, 'card read failed, starting over from find'),
      },
    );
  }

  private async readAdditional(): Promise<string | null> {
    try {
      const res = await this.command('readAdditionalAddress');
      const text = decodeAdditionalAddress(res.data);
      return text.length > 0 ? text : null;
    } catch (err) {
      if (err instanceof NoContentError) return null;
      throw err;
    }
  }

  /** The main read already succeeded; a failing optional read must not throw it away. */
  private async readAdditionalSafe(): Promise<string | null> {
    try {
      return await this.readAdditional();
    } catch (err) {
      this.log.warn({ err: errorMessage(err) }, 'additional address could not be read');
      return null;
    }
  }

  /** One command with bounded retries on line trouble; statuses become typed errors. */
  private command(name: CommandName, ok: readonly number[] = [SW3.success]): Promise<Response> {
    return retry(
      async () => {
        const res = await this.exchange(name);
        if (!ok.includes(res.sw3)) throw statusError(res.sw3);
        return res;
      },
      {
        retries: this.retries,
        delayMs: this.retryDelayMs,
        retryable: (err) => err instanceof ProtocolError || err instanceof ReaderTimeoutError || err instanceof RequestRejectedError,
        onRetry: (err, attempt) => this.log.debug({ command: name, err: errorMessage(err), attempt }, 'retrying id-card command'),
      },
    );
  }

  /** One request, one answer (or a typed failure). */
  private exchange(name: CommandName): Promise<Response> {
    const timeoutMs = this.timeouts[COMMAND_CLASS[name]];
    return this.link.request({
      bytes: encodeCommand(name),
      timeoutMs,
      timeoutError: () => new ReaderTimeoutError(name, timeoutMs),
      accepts: (res) => fitsCommand(name, res),
    });
  }

  /** A listener that throws must not break polling or the reader. */
  private safeEmit<K extends keyof IdCardReaderEvents>(event: K, ...args: IdCardReaderEvents[K]): void {
    try {
      (this.emit as (e: K, ...a: IdCardReaderEvents[K]) => boolean)(event, ...args);
    } catch (err) {
      this.log.error({ event, err: errorMessage(err) }, 'id-card event listener threw');
    }
  }
}

