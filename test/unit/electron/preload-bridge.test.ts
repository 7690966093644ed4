import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPreloadBridge } from '../../../electron/shell/preload-bridge.ts';
import { IPC, decodeIpcError, encodeIpcError, type IpcReply } from '../../../protocol/ui/ipc-wire.ts';
import type { IpcRenderer, IpcRendererEvent } from '../../../electron/shell/electron-api.ts';

function fakeIpc(reply: (channel: string, method: unknown, input: unknown) => IpcReply) {
  const listeners = new Map<string, ((event: IpcRendererEvent, ...args: unknown[]) => void)[]>();
  const invoke = vi.fn(async (channel: string, method: unknown, input: unknown) => reply(channel, method, input));
  const sent: unknown[][] = [];
  const ipc: IpcRenderer = {
    invoke: invoke as IpcRenderer['invoke'],
    send: (channel, ...args) => void sent.push([channel, ...args]),
    on: (channel, listener) => listeners.set(channel, [...(listeners.get(channel) ?? []), listener]),
  };
  const push = (name: string, payload: unknown) => listeners.get(IPC.event)?.forEach((l) => l({}, name, payload));
  return { ipc, invoke, push, listeners, sent };
}

describe('preload bridge', () => {
  it('exposes audio, call and on only, and listens on the event channel alone', () => {
    const { ipc, listeners } = fakeIpc(() => ({ ok: true, value: null }));
    const bridge = createPreloadBridge(ipc);
    expect(Object.keys(bridge).sort()).toEqual(['audio', 'call', 'on']);
    expect(Object.isFrozen(bridge)).toBe(true);
    expect([...listeners.keys()]).toEqual([IPC.event]);
  });

  it('sends a microphone frame on the audio channel as a copy of its bytes, and refuses anything else', () => {
    const { ipc, sent } = fakeIpc(() => ({ ok: true, value: null }));
    const bridge = createPreloadBridge(ipc);
    const pcm = Int16Array.from([1, -2, 3]);
    expect(bridge.audio!(pcm)).toBe(true);
    expect(sent).toHaveLength(1);
    expect(sent[0][0]).toBe(IPC.audio);
    expect(Array.from(new Int16Array(sent[0][1] as ArrayBuffer))).toEqual([1, -2, 3]);
    expect(bridge.audio!(new Int16Array(0))).toBe(false);
    expect(bridge.audio!([1, 2] as unknown as Int16Array)).toBe(false);
    expect(sent).toHaveLength(1);
  });

  it('invokes the call channel with the method and input and returns the value', async () => {
    const { ipc, invoke } = fakeIpc((_c, method) => ({ ok: true, value: { method } }));
    const bridge = createPreloadBridge(ipc);
    await expect(bridge.call('kiosk.speak', { text: '您好' })).resolves.toEqual({ method: 'kiosk.speak' });
    expect(invoke).toHaveBeenCalledWith(IPC.call, 'kiosk.speak', { text: '您好' });
  });

  it('rejects with the wire error carried in the message', async () => {
    const { ipc } = fakeIpc(() => ({ ok: false, error: { code: 'paper-out', message: '打印机缺纸', detail: { jobId: 'j1' } } }));
    const err = await createPreloadBridge(ipc).call('kiosk.info', {}).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect(decodeIpcError((err as Error).message)).toEqual({ code: 'paper-out', message: '打印机缺纸', detail: { jobId: 'j1' } });
  });

  it('delivers events by name, stops after unsubscribe, and survives a throwing handler', () => {
    const { ipc, push } = fakeIpc(() => ({ ok: true, value: null }));
    const bridge = createPreloadBridge(ipc);
    const seen: unknown[] = [];
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    bridge.on('kiosk.reset', () => {
      throw new Error('broken screen');
    });
    const off = bridge.on('kiosk.reset', (p) => seen.push(p));
    push('kiosk.reset', { reason: 'watchdog' });
    push('kiosk.config', { version: 2 });
    off();
    push('kiosk.reset', { reason: 'again' });
    expect(seen).toEqual([{ reason: 'watchdog' }]);
    expect(quiet).toHaveBeenCalledTimes(2);
    quiet.mockRestore();
  });
});

describe('wire errors across contextBridge', () => {
  it('survive a prefix added to the message', () => {
    const message = `Error: ${encodeIpcError({ code: 'not-found', message: '没有这个事项' })}`;
    expect(decodeIpcError(message)).toEqual({ code: 'not-found', message: '没有这个事项', detail: undefined });
    expect(decodeIpcError('plain failure')).toBeNull();
    expect(decodeIpcError('xiaojin-api-error:{broken')).toBeNull();
  });
});

describe('renderer api over the preload', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it('turns preload failures back into ApiCallError with their code', async () => {
    const { ipc } = fakeIpc((_c, method) =>
      method === 'kiosk.info' ? { ok: true, value: { kioskId: 'kiosk-1' } } : { ok: false, error: { code: 'device-absent', message: '打印机未连接' } },
    );
    vi.stubGlobal('window', { xiaojin: createPreloadBridge(ipc) });
    const { api, ApiCallError } = await import('../../../renderer/shared/api.ts');
    await expect(api.call('kiosk.info', {})).resolves.toEqual({ kioskId: 'kiosk-1' });
    const err = await api.call('kiosk.speak', { text: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiCallError);
    expect(err).toMatchObject({ code: 'device-absent', message: '打印机未连接' });
  });
});
