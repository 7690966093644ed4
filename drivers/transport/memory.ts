/**
 * Two linked in-memory transports: what one writes the other reads. Used for the
 * in-process simulators (`npm start` without socat) and for fast unit tests.
 * Delivery is asynchronous, as on a real port, so drivers cannot rely on a reply
 * arriving inside their own write call.
 */
import { BaseTransport, TransportClosedError } from './types.ts';

export class MemoryTransport extends BaseTransport {
  peer: MemoryTransport | null = null;
  private open = true;

  constructor(readonly name: string) {
    super();
  }

  get isOpen(): boolean {
    return this.open;
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (!this.open) throw new TransportClosedError(this.name);
    const peer = this.peer;
    // Copy: the writer may reuse its buffer once the write resolves.
    const copy = Uint8Array.from(bytes);
    setImmediate(() => {
      if (peer && peer.open && copy.length > 0) peer.emit('data', copy);
    });
  }

  /** Closing either end is an unplug: both ends see 'close'. */
  async close(): Promise<void> {
    this.shutdown();
    this.peer?.shutdown();
  }

  private shutdown(): void {
    if (!this.open) return;
    this.open = false;
    setImmediate(() => this.emitClose());
  }
}

export function createMemoryPair(name = 'memory'): [MemoryTransport, MemoryTransport] {
  const a = new MemoryTransport(`${name}:a`);
  const b = new MemoryTransport(`${name}:b`);
  a.peer = b;
  b.peer = a;
  return [a, b];
}
