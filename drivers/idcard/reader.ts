/**
 * The ID-card reader driver: request/response over a ByteTransport with per-command
 * timeouts and bounded retries, the find → select → read sequence, and card polling
 * that reports each insertion once.
 *
 * The protocol has no request ids, so a late answer to a timed-out request could be
 * taken for the answer to the next one. Each command therefore states what a success
 * answer must look like and anything else is dropped as stale.
 */
import { EventEmitter } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import type { ByteTransport } from '../transport/types.ts';
import { silentLogger, type DriverLogger, errorMessage } from '../log.ts';
import { Exclusive } from '../exclusive.ts';
import {
  FrameDecoder,
  decodeCardPayload,
  encodeCommand,
  formatSamId,
  parseResponse,
  type CommandName,
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

type CommandClass = 'find' | 'select' | 'read' | 'sam';

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

const COMMAND_CLASS: Record<CommandName, CommandClass> = {
  resetSam: 'sam',
  samStatus: 'sam',
  samId: 'sam',
  findCard: 'find',
  selectCard: 'select',
  readTextPhoto: 'read',
  readTextPhotoFingerprint: 'read',
  readAdditionalAddress: 'read',
};

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

interface Pending {
  name: CommandName;
  framingError?: NodeJS.Timeout;
  resolve(res: Response): void;
  reject(err: Error): void;
}

export class IdCardReader extends EventEmitter<IdCardReaderEvents> {
  private transport: ByteTransport | null = null;
  private readonly decoder = new FrameDecoder();
  private pending: Pending | null = null;
  private quietTimer: NodeJS.Timeout | null = null;
  private readonly line = new Exclusive();
  private readonly timeouts: Record<CommandClass, number>;
  private readonly retries: number;
  private readonly retryDelayMs: number;
  private readonly interByteTimeoutMs: number;
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
    this.interByteTimeoutMs = options.interByteTimeoutMs ?? 100;
    this.pollMs = options.pollMs ?? 500;
    this.pollRead = options.pollRead ?? { additionalAddress: true };
    this.log = options.logger ?? silentLogger;
    if (transport) this.attach(transport);
  }

  get connected(): boolean {
    return this.transport?.isOpen ?? false;
  }

  /** Whether a card is currently considered present by polling. */
  get cardPresent(): boolean {
    return this.cardState === 'present';
  }

  attach(transport: ByteTransport): void {
    this.detach();
    this.transport = transport;
    transport.on('data', this.onData);
    transport.on('close', this.onClose);
    transport.on('error', this.onError);
  }

  /** Forgets the transport without closing it (the owner closes it). */
  detach(): void {
    const t = this.transport;
    if (!t) return;
    t.off('data', this.onData);
    t.off('close', this.onClose);
    t.off('error', this.onError);
    this.transport = null;
    this.failPending(new ReaderDisconnectedError());
  }

  async close(): Promise<void> {
    this.stopPolling();
    const t = this.transport;
    this.detach();
    await t?.close();
  }

  // ------------------------------------------------------------ commands

  /** True when a card is in the field, false for the reader's "no card" answer. */
  findCard(): Promise<boolean> {
    return this.line.run(async () => {
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
    return this.line.run(async () => {
      await this.command('selectCard');
    });
  }

  /** find → select → read, repeated (bounded) when the card moves mid-read. Throws NoCardError when there is none. */
  readCard(options: ReadOptions = {}): Promise<CardRead> {
    return this.line.run(() => this.readSequence(options));
  }

  samId(): Promise<string> {
    return this.line.run(async () => formatSamId((await this.command('samId')).data));
  }

  /** Resolves when the SAM reports itself healthy; throws its status error otherwise. */
  samStatus(): Promise<void> {
    return this.line.run(async () => {
      await this.command('samStatus');
    });
  }

  resetSam(): Promise<void> {
    return this.line.run(async () => {
      await this.command('resetSam');
    });
  }

  /** The address added after issue, or null when the card has none. Needs a selected card. */
  additionalAddress(): Promise<string | null> {
    return this.line.run(() => this.readAdditional());
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
      await this.line.run(() => this.pollStep());
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

  private async readSequence(options: ReadOptions): Promise<CardRead> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.command('findCard', [SW3.findOk]);
        await this.command('selectCard');
        const name: CommandName = options.fingerprint ? 'readTextPhotoFingerprint' : 'readTextPhoto';
        const res = await this.command(name);
        const payload = decodeCardPayload(res.data, Boolean(options.fingerprint));
        const card = decodeCardText(payload.text);
        const additionalAddress = options.additionalAddress ? await this.readAdditionalSafe() : null;
        return { card, photo: payload.photo, fingerprint: payload.fingerprint, additionalAddress, readAt: new Date().toISOString() };
      } catch (err) {
        const cardTrouble = err instanceof CardAccessError || err instanceof CardAuthenticationError;
        if (!cardTrouble || attempt >= this.retries) throw err;
        this.log.debug({ err: errorMessage(err), attempt }, 'card read failed, starting over from find');
        await delay(this.retryDelayMs);
      }
    }
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
  private async command(name: CommandName, ok: readonly number[] = [SW3.success]): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await this.exchange(name);
        if (!ok.includes(res.sw3)) throw statusError(res.sw3);
        return res;
      } catch (err) {
        const lineTrouble =
          err instanceof ProtocolError || err instanceof ReaderTimeoutError || err instanceof RequestRejectedError;
        if (!lineTrouble || attempt >= this.retries) throw err;
        this.log.debug({ command: name, err: errorMessage(err), attempt }, 'retrying id-card command');
        await delay(this.retryDelayMs);
      }
    }
  }

  /** One request, one answer (or a typed failure). */
  private exchange(name: CommandName): Promise<Response> {
    const transport = this.transport;
    if (!transport || !transport.isOpen) return Promise.reject(new ReaderDisconnectedError());
    const timeoutMs = this.timeouts[COMMAND_CLASS[name]];
    return new Promise<Response>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.pending === entry) this.pending = null;
        clearTimeout(entry.framingError);
        reject(new ReaderTimeoutError(name, timeoutMs));
      }, timeoutMs);
      const entry: Pending = {
        name,
        resolve: (res) => {
          clearTimeout(timer);
          clearTimeout(entry.framingError);
          resolve(res);
        },
        reject: (err) => {
          clearTimeout(timer);
          clearTimeout(entry.framingError);
          reject(err);
        },
      };
      // Whatever is buffered belongs to an earlier exchange.
      this.decoder.reset();
      this.pending = entry;
      transport.write(encodeCommand(name)).catch((err: unknown) => {
        if (this.pending === entry) this.pending = null;
        entry.reject(new ReaderDisconnectedError(`writing to the ID-card reader failed: ${errorMessage(err)}`));
      });
    });
  }

  private readonly onData = (chunk: Uint8Array): void => {
    this.handle(this.decoder.push(chunk));
    if (this.quietTimer) clearTimeout(this.quietTimer);
    this.quietTimer = null;
    if (this.decoder.pending > 0) {
      this.quietTimer = setTimeout(() => {
        this.quietTimer = null;
        this.handle(this.decoder.resync());
      }, this.interByteTimeoutMs);
    }
  };

  /**
   * A framing error is not failed at once: noise or a truncated frame is often followed
   * by the real answer a moment later, so the error only stands if nothing good follows
   * within the inter-byte timeout.
   */
  private handle(results: DecodeResult[]): void {
    for (const r of results) {
      const pending = this.pending;
      if (!r.ok) {
        if (pending && !pending.framingError) {
          pending.framingError = setTimeout(() => {
            if (this.pending !== pending) return;
            this.pending = null;
            pending.reject(r.error);
          }, this.interByteTimeoutMs);
        }
        continue;
      }
      let res: Response;
      try {
        res = parseResponse(r.frame);
      } catch (err) {
        if (pending) {
          this.pending = null;
          pending.reject(err as Error);
        }
        continue;
      }
      if (!pending || !fitsCommand(pending.name, res)) {
        this.log.debug({ sw3: res.sw3, bytes: res.data.length }, 'dropping a stale id-card reader answer');
        continue;
      }
      this.pending = null;
      pending.resolve(res);
    }
  }

  private readonly onClose = (): void => {
    this.failPending(new ReaderDisconnectedError('the ID-card reader was disconnected'));
  };

  private readonly onError = (err: Error): void => {
    this.log.warn({ err: err.message }, 'id-card reader transport error');
  };

  private failPending(err: Error): void {
    const p = this.pending;
    this.pending = null;
    p?.reject(err);
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

