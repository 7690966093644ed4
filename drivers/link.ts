/**
 * The request/response link every serial driver speaks through, with the protocol's
 * framing kept apart in a parser (as node-serialport keeps its parsers apart from the
 * port): one exchange on the line at a time, a timeout per request, an inter-byte
 * timeout that gives up a frame when the line goes quiet in its middle, and a check
 * that an answer is the one asked for. Device protocols carry no request ids, so a
 * late answer to a timed-out request could otherwise be taken for the next one's.
 */
import type { ByteTransport } from './transport/types.ts';
import { Exclusive } from './exclusive.ts';
import { silentLogger, type DriverLogger } from './log.ts';

export type Parsed<T> =
  | { ok: true; value: T }
  /**
   * A deferred error only stands if nothing good follows within the inter-byte
   * timeout: noise or a truncated frame is often followed by the real answer.
   */
  | { ok: false; error: Error; deferred: boolean };

/** Turns the byte stream into messages (or errors); pure, knows nothing of the line. */
export interface LinkParser<T> {
  push(chunk: Uint8Array): Parsed<T>[];
  /** Bytes held while waiting for the rest of a message. */
  readonly pending: number;
  /** The line went quiet mid-message: give up what is held. */
  resync(): Parsed<T>[];
  /** Forget what is buffered: it belongs to an earlier exchange. */
  reset(): void;
}

export interface LinkErrors {
  /** Asked to send with no open port. */
  notConnected(): Error;
  /** The port went away while an answer was awaited. */
  closed(): Error;
  /** The port refused the request's bytes. */
  writeFailed(err: unknown): Error;
}

export interface LinkOptions<T> {
  parser: LinkParser<T>;
  errors: LinkErrors;
  /** What the device is, for log lines ('printer', 'id-card reader'). */
  label: string;
  interByteTimeoutMs?: number;
  logger?: DriverLogger;
  /** A message no request claims: a stale answer, or what the device sends unasked. */
  onUnclaimed?: (value: T) => void;
  /** A parse error no request is waiting to hear. */
  onUnclaimedError?: (err: Error) => void;
  onTransportError?: (err: Error) => void;
  onClose?: () => void;
}

export interface LinkRequest<T> {
  bytes: Uint8Array;
  timeoutMs: number;
  timeoutError: () => Error;
  /** Whether a message answers this request; anything else is stale and dropped. */
  accepts: (value: T) => boolean;
}

interface Pending<T> {
  accepts: (value: T) => boolean;
  deferredError: NodeJS.Timeout | null;
  resolve(value: T): void;
  reject(err: Error): void;
}

export class Link<T> {
  private port: ByteTransport | null = null;
  private pending: Pending<T> | null = null;
  private quietTimer: NodeJS.Timeout | null = null;
  private readonly line = new Exclusive();
  private readonly parser: LinkParser<T>;
  private readonly interByteTimeoutMs: number;
  private readonly log: DriverLogger;

  constructor(private readonly options: LinkOptions<T>) {
    this.parser = options.parser;
    this.interByteTimeoutMs = options.interByteTimeoutMs ?? 100;
    this.log = options.logger ?? silentLogger;
  }

  get transport(): ByteTransport | null {
    return this.port;
  }

  get connected(): boolean {
    return this.port?.isOpen ?? false;
  }

  attach(transport: ByteTransport): void {
    this.detach();
    this.port = transport;
    transport.on('data', this.onData);
    transport.on('close', this.onClose);
    transport.on('error', this.onError);
  }

  /** Forgets the transport without closing it (the owner closes it); a waiting request fails. */
  detach(): void {
    const t = this.port;
    if (!t) return;
    t.off('data', this.onData);
    t.off('close', this.onClose);
    t.off('error', this.onError);
    this.port = null;
    this.fail(this.options.errors.notConnected());
  }

  async close(): Promise<void> {
    const t = this.port;
    this.detach();
    await t?.close();
  }

  /** Runs a conversation (one or more requests) with the line to itself. */
  exclusive<R>(fn: () => Promise<R>): Promise<R> {
    return this.line.run(fn);
  }

  /** One request, one answer (or a typed failure). Call inside exclusive(). */
  request(req: LinkRequest<T>): Promise<T> {
    const transport = this.port;
    if (!transport || !transport.isOpen) return Promise.reject(this.options.errors.notConnected());
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.pending === entry) this.pending = null;
        settle();
        reject(req.timeoutError());
      }, req.timeoutMs);
      const settle = () => {
        clearTimeout(timer);
        if (entry.deferredError) clearTimeout(entry.deferredError);
      };
      const entry: Pending<T> = {
        accepts: req.accepts,
        deferredError: null,
        resolve: (value) => {
          settle();
          resolve(value);
        },
        reject: (err) => {
          settle();
          reject(err);
        },
      };
      this.parser.reset();
      this.pending = entry;
      transport.write(req.bytes).catch((err: unknown) => {
        if (this.pending === entry) this.pending = null;
        entry.reject(this.options.errors.writeFailed(err));
      });
    });
  }

  private readonly onData = (chunk: Uint8Array): void => {
    this.handle(this.parser.push(chunk));
    if (this.quietTimer) clearTimeout(this.quietTimer);
    this.quietTimer = null;
    if (this.parser.pending > 0) {
      this.quietTimer = setTimeout(() => {
        this.quietTimer = null;
        this.handle(this.parser.resync());
      }, this.interByteTimeoutMs);
    }
  };

  private handle(results: Parsed<T>[]): void {
    for (const r of results) {
      const pending = this.pending;
      if (!r.ok) {
        if (!pending) this.options.onUnclaimedError?.(r.error);
        else if (!r.deferred) {
          this.pending = null;
          pending.reject(r.error);
        } else if (!pending.deferredError) {
          pending.deferredError = setTimeout(() => {
            if (this.pending !== pending) return;
            this.pending = null;
            pending.reject(r.error);
          }, this.interByteTimeoutMs);
        }
        continue;
      }
      if (!pending || !pending.accepts(r.value)) {
        this.options.onUnclaimed?.(r.value);
        continue;
      }
      this.pending = null;
      pending.resolve(r.value);
    }
  }

  private readonly onClose = (): void => {
    this.fail(this.options.errors.closed());
    this.options.onClose?.();
  };

  private readonly onError = (err: Error): void => {
    if (this.options.onTransportError) this.options.onTransportError(err);
    else this.log.warn({ err: err.message }, `${this.options.label} transport error`);
  };

  private fail(err: Error): void {
    const p = this.pending;
    this.pending = null;
    p?.reject(err);
  }
}
