/**
 * The bridge the sandboxed preload exposes as `window.xiaojin`: the KioskBridge the
 * renderer uses, built over the two IPC channels and nothing else. The page never
 * holds ipcRenderer itself, so it cannot invoke channels or listen to messages beyond
 * these two.
 */
import { IPC, encodeIpcError, type IpcReply } from '../../protocol/ui/ipc-wire.ts';
import type { EventName, Events, InputOf, KioskBridge, MethodName, OutputOf } from '../../protocol/ui/contract.ts';
import type { IpcRenderer } from './electron-api.ts';

type Listener = (payload: unknown) => void;

export function createPreloadBridge(ipc: IpcRenderer): KioskBridge {
  const listeners = new Map<string, Set<Listener>>();
  // One IPC listener for all events: the page adding and removing handlers never touches ipcRenderer.
  ipc.on(IPC.event, (_event, name, payload) => {
    if (typeof name !== 'string') return;
    for (const l of listeners.get(name) ?? []) {
      try {
        l(payload);
      } catch (err) {
        // One screen's broken handler must not stop the others from hearing the event.
        console.error(`xiaojin: handler for ${name} failed`, err);
      }
    }
  });

  return Object.freeze({
    async call<M extends MethodName>(method: M, input: InputOf<M>): Promise<OutputOf<M>> {
      const reply = (await ipc.invoke(IPC.call, String(method), input ?? {})) as IpcReply;
      if (reply && reply.ok) return reply.value as OutputOf<M>;
      const error = reply && !reply.ok ? reply.error : { code: 'internal' as const, message: 'no reply from the kiosk service' };
      throw new Error(encodeIpcError(error));
    },
    audio(pcm: Int16Array): boolean {
      if (!(pcm instanceof Int16Array) || pcm.length === 0) return false;
      // Fire-and-forget: a frame is worth nothing late, and the host counts what it drops.
      ipc.send(IPC.audio, pcm.slice().buffer);
      return true;
    },
    on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
      if (typeof listener !== 'function') return () => {};
      const set = listeners.get(event) ?? new Set<Listener>();
      set.add(listener as Listener);
      listeners.set(event, set);
      return () => {
        set.delete(listener as Listener);
      };
    },
  });
}
