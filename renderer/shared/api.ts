/**
 * The renderer's side of the kiosk contract. In Electron the preload script exposes
 * `window.xiaojin` over IPC; in a browser kiosk the same calls travel over the host's
 * WebSocket bridge. Screens import `api` and never know which one they got.
 */
import type { EventName, Events, InputOf, KioskBridge, MethodName, OutputOf, WireMessage } from '../../protocol/ui/contract.ts';
import type { WireError } from '../../protocol/ui/errors.ts';
import { decodeIpcError } from '../../protocol/ui/ipc-wire.ts';

declare global {
  interface Window {
    xiaojin?: KioskBridge;
  }
}

export class ApiCallError extends Error {
  constructor(readonly code: WireError['code'], message: string, readonly detail?: unknown) {
    super(message);
    this.name = 'ApiCallError';
  }
}

type Listener = (payload: unknown) => void;

/** Bytes of microphone audio allowed to wait in the socket: 0.25 s of 16 kHz int16. */
const MAX_AUDIO_BACKLOG = 8000;

/** WebSocket transport with reconnect; calls made while disconnected wait for the link. */
export class WsBridge implements KioskBridge {
  private ws: WebSocket | null = null;
  private nextId = 1;
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private listeners = new Map<string, Set<Listener>>();
  private ready: Promise<void>;
  private markReady!: () => void;
  private retryMs = 250;

  constructor(private readonly url: string) {
    this.ready = new Promise((r) => (this.markReady = r));
    this.connect();
  }

  private connect(): void {
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onopen = () => {
      this.retryMs = 250;
      this.markReady();
      this.emitLocal('bridge.open', {});
    };
    ws.onmessage = (ev) => {
      let msg: WireMessage;
      try {
        msg = JSON.parse(String(ev.data)) as WireMessage;
      } catch {
        return;
      }
      if (msg.t === 'event') this.emitLocal(msg.name, msg.payload);
      else if (msg.t === 'result') {
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        if (msg.ok) p.resolve(msg.value);
        else p.reject(new ApiCallError(msg.error.code, msg.error.message, msg.error.detail));
      }
    };
    ws.onclose = () => {
      this.ready = new Promise((r) => (this.markReady = r));
      for (const p of this.pending.values()) p.reject(new ApiCallError('offline', 'The kiosk service restarted; please try again.'));
      this.pending.clear();
      this.emitLocal('bridge.closed', {});
      setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 5000);
    };
  }

  private emitLocal(name: string, payload: unknown): void {
    for (const l of this.listeners.get(name) ?? []) l(payload);
  }

  async call<M extends MethodName>(method: M, input: InputOf<M>): Promise<OutputOf<M>> {
    await this.ready;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.ws!.send(JSON.stringify({ t: 'call', id, method, input }));
    });
  }

  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
    return this.onAny(event, listener as Listener);
  }

  /** Microphone frames not sent because the link was down or backed up. */
  droppedFrames = 0;

  /**
   * One microphone frame as a binary message. The socket's own buffer is the bounded
   * queue: past a quarter second of audio waiting, frames are dropped, since a late frame
   * is worth less than a current one.
   */
  audio(pcm: Int16Array): boolean {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN || ws.bufferedAmount > MAX_AUDIO_BACKLOG) {
      this.droppedFrames++;
      return false;
    }
    ws.send(pcm.slice().buffer);
    return true;
  }

  /** Transport events too ('bridge.open', 'bridge.closed'), which are not part of the contract. */
  onAny(event: string, listener: Listener): () => void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener);
    this.listeners.set(event, set);
    return () => set.delete(listener);
  }
}

function wsUrl(): string {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${location.host}/api`;
}

/**
 * Electron's preload bridge, with its failures turned back into ApiCallError: an Error
 * crossing contextBridge keeps only its message, so the wire error rides inside it.
 */
export function fromPreload(bridge: KioskBridge): KioskBridge {
  return {
    async call(method, input) {
      try {
        return await bridge.call(method, input);
      } catch (err) {
        const wire = decodeIpcError(err instanceof Error ? err.message : String(err));
        if (wire) throw new ApiCallError(wire.code, wire.message, wire.detail);
        throw new ApiCallError('internal', 'The kiosk hit an internal problem; please try again.');
      }
    },
    on: (event, listener) => bridge.on(event, listener),
    ...(bridge.audio ? { audio: (pcm: Int16Array) => bridge.audio!(pcm) } : {}),
  };
}

/**
 * What the host holds while it renders the kiosk's home screen into HTML: effects never
 * run there, so nothing calls it; if something did, it would fail plainly.
 */
const serverBridge: KioskBridge = {
  call: () => Promise.reject(new ApiCallError('unavailable', 'the kiosk bridge exists only in the page')),
  on: () => () => {},
};

export const api: KioskBridge = typeof window === 'undefined' ? serverBridge : window.xiaojin ? fromPreload(window.xiaojin) : new WsBridge(wsUrl());
