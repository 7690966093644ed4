/**
 * A byte pipe to a device. Drivers and simulators speak only this, so the same
 * protocol code runs over a serial port, a socat pty or an in-memory pair.
 */
import { EventEmitter } from 'node:events';

export interface ByteTransportEvents {
  data: [chunk: Uint8Array];
  /** The far end went away (unplugged, port closed). Emitted once. */
  close: [];
  error: [err: Error];
}

export interface ByteTransport {
  /** Resolves once the bytes are handed to the OS, rejects if the port is closed. */
  write(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
  readonly isOpen: boolean;
  /** A human-readable name for health reports and errors ('/dev/ttyUSB0', 'memory:a'). */
  readonly name: string;
  on<K extends keyof ByteTransportEvents>(event: K, listener: (...args: ByteTransportEvents[K]) => void): this;
  off<K extends keyof ByteTransportEvents>(event: K, listener: (...args: ByteTransportEvents[K]) => void): this;
  once<K extends keyof ByteTransportEvents>(event: K, listener: (...args: ByteTransportEvents[K]) => void): this;
}

export class TransportClosedError extends Error {
  override readonly name = 'TransportClosedError';
  constructor(readonly transport: string) {
    super(`${transport} is closed`);
  }
}

/** Base class giving implementations typed events and a once-only 'close'. */
export abstract class BaseTransport extends EventEmitter<ByteTransportEvents> implements ByteTransport {
  private closedEmitted = false;
  abstract readonly name: string;
  abstract readonly isOpen: boolean;
  abstract write(bytes: Uint8Array): Promise<void>;
  abstract close(): Promise<void>;

  protected emitClose(): void {
    if (this.closedEmitted) return;
    this.closedEmitted = true;
    this.emit('close');
  }

  /** 'error' without a listener would throw from EventEmitter; a device error must never do that. */
  protected emitError(err: Error): void {
    if (this.listenerCount('error') > 0) this.emit('error', err);
  }
}
