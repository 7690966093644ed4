/** Typed events the host pushes to every connected screen, whatever the transport. */
import { EventEmitter } from 'node:events';
import type { EventName, Events } from '../../protocol/ui/contract.ts';

export class EventHub {
  private emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(100);
  }

  emit<E extends EventName>(name: E, payload: Events[E]): void {
    this.emitter.emit('event', name, payload);
  }

  /** Every event, for transports that forward them all. */
  subscribe(listener: (name: EventName, payload: unknown) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }

  on<E extends EventName>(name: E, listener: (payload: Events[E]) => void): () => void {
    const wrapped = (n: EventName, p: unknown) => {
      if (n === name) listener(p as Events[E]);
    };
    return this.subscribe(wrapped);
  }
}
