/**
 * Wraps a transport so its writes take the time they would on a real serial line
 * (10 bits per byte at the given baud, 8N1). A pty moves bytes instantly, so without
 * this a benchmark over socat would measure nothing about the wire.
 */
import { BaseTransport } from './types.ts';
import type { ByteTransport } from './types.ts';

export class PacedTransport extends BaseTransport {
  private busyUntil = 0;

  constructor(
    private readonly inner: ByteTransport,
    readonly baud: number,
    /** Bytes per timed slice: smaller follows the wire more closely, at more timer cost. */
    private readonly slice = 32,
  ) {
    super();
    inner.on('data', (d) => this.emit('data', d));
    inner.on('close', () => this.emitClose());
    inner.on('error', (e) => this.emitError(e));
  }

  get name(): string {
    return `${this.inner.name}@${this.baud}`;
  }

  get isOpen(): boolean {
    return this.inner.isOpen;
  }

  /** Milliseconds the bytes occupy the line. */
  wireMs(bytes: number): number {
    return (bytes * 10 * 1000) / this.baud;
  }

  async write(bytes: Uint8Array): Promise<void> {
    const start = Math.max(performance.now(), this.busyUntil);
    this.busyUntil = start + this.wireMs(bytes.length);
    for (let at = 0; at < bytes.length; at += this.slice) {
      const piece = bytes.subarray(at, at + this.slice);
      // A slice is handed on when its last bit would have arrived.
      const due = start + this.wireMs(at + piece.length);
      await until(due);
      await this.inner.write(piece);
    }
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/**
 * Sleeps until a performance.now() deadline. Timers fire a millisecond or more late,
 * which would be charged to the code under test; the last stretch yields with
 * setImmediate instead, so I/O keeps flowing while the deadline is met closely.
 */
async function until(deadline: number): Promise<void> {
  const coarse = deadline - performance.now() - 1.5;
  if (coarse > 0) await new Promise((resolve) => setTimeout(resolve, coarse));
  while (performance.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
}
