/**
 * A visitor's hands on a terminal: the typed UI contract over the host's WebSocket bridge
 * (/api), the same calls the kiosk's screen makes, from Node. One socket per terminal;
 * calls made while the socket is down fail at once as 'offline' (a visitor walks away).
 */
import WebSocket from 'ws';
import type { InputOf, MethodName, OutputOf, WireMessage } from '../../protocol/ui/contract.ts';

export class TerminalCallError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'TerminalCallError';
  }
}

export class TerminalClient {
  private ws: WebSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private closed = false;
  private opening: Promise<void> | null = null;

  /** `url` is the terminal host's base (http://127.0.0.1:port). */
  constructor(private readonly url: string, private readonly callTimeoutMs = 30_000) {}

  async call<M extends MethodName>(method: M, input: InputOf<M>): Promise<OutputOf<M>> {
    const ws = await this.socket();
    const id = this.nextId++;
    return new Promise<OutputOf<M>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new TerminalCallError('timeout', `${method} had no answer within ${this.callTimeoutMs} ms`));
      }, this.callTimeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      ws.send(JSON.stringify({ t: 'call', id, method, input }));
    });
  }

  close(): void {
    this.closed = true;
    this.ws?.terminate();
    this.ws = null;
  }

  private async socket(): Promise<WebSocket> {
    if (this.closed) throw new TerminalCallError('offline', 'the soak run is over');
    if (this.ws?.readyState === WebSocket.OPEN) return this.ws;
    this.opening ??= this.open().finally(() => (this.opening = null));
    await this.opening;
    return this.ws!;
  }

  private open(): Promise<void> {
    const ws = new WebSocket(`${this.url.replace(/^http/, 'ws')}/api`);
    this.ws = ws;
    ws.on('message', (data) => {
      let msg: WireMessage;
      try {
        msg = JSON.parse(String(data)) as WireMessage;
      } catch {
        return;
      }
      if (msg.t !== 'result') return;
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      clearTimeout(p.timer);
      if (msg.ok) p.resolve(msg.value);
      else p.reject(new TerminalCallError(msg.error.code, msg.error.message));
    });
    ws.on('close', () => {
      for (const p of this.pending.values()) {
        clearTimeout(p.timer);
        p.reject(new TerminalCallError('offline', 'the terminal closed the socket'));
      }
      this.pending.clear();
    });
    return new Promise((done, fail) => {
      ws.once('open', () => done());
      ws.once('error', (err) => fail(new TerminalCallError('offline', `cannot reach the terminal: ${err.message}`)));
    });
  }
}
