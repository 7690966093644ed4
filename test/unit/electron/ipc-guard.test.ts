import { describe, expect, it, vi } from 'vitest';
import { ApiRouter } from '../../../electron/api/router.ts';
import { createIpcHandler, eventPayload, senderProblem, type IpcSender } from '../../../electron/shell/ipc-guard.ts';

const page: IpcSender = { frameUrl: 'xiaojin://app/kiosk/index.html', isMainFrame: true, fromKioskWindow: true };

function setup() {
  const speak = vi.fn((input: { text: string }) => ({ queued: input.text.length > 0 }));
  const heartbeat = vi.fn(() => ({ ok: true as const, at: new Date('2026-03-01T08:00:00Z') }));
  const router = new ApiRouter().register({ 'kiosk.speak': speak, 'kiosk.heartbeat': heartbeat as never });
  const refused = vi.fn();
  return { handle: createIpcHandler(router, refused), speak, heartbeat, refused };
}

describe('IPC guard', () => {
  it('passes a valid call from the kiosk page to the router', async () => {
    const { handle, speak } = setup();
    expect(await handle(page, 'kiosk.speak', { text: '您好' })).toEqual({ ok: true, value: { queued: true } });
    expect(speak).toHaveBeenCalledWith({ text: '您好' });
  });

  it('rejects a method that is not in the contract without dispatching', async () => {
    const { handle, speak } = setup();
    for (const method of ['kiosk.shutdown', '__proto__', 'constructor', 'toString', 42, null]) {
      const reply = await handle(page, method, {});
      expect(reply.ok).toBe(false);
      expect(!reply.ok && reply.error.code).toBe('unknown-method');
    }
    expect(speak).not.toHaveBeenCalled();
  });

  it('rejects input the method schema refuses, naming the field', async () => {
    const { handle, speak } = setup();
    const empty = await handle(page, 'kiosk.speak', { text: '' });
    expect(empty).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(!empty.ok && empty.error.message).toContain('text');
    expect(await handle(page, 'kiosk.speak', { text: 'x'.repeat(501) })).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(await handle(page, 'kiosk.speak', { text: 12 })).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(speak).not.toHaveBeenCalled();
  });

  it('refuses calls from other origins, frames and windows before looking at the method', async () => {
    const { handle, speak, refused } = setup();
    const senders: IpcSender[] = [
      { ...page, frameUrl: 'https://evil.example/kiosk/index.html' },
      { ...page, frameUrl: 'file:///work/main/dist/renderer/kiosk/index.html' },
      { ...page, frameUrl: 'xiaojin://app.evil/kiosk/index.html' },
      { ...page, frameUrl: 'xiaojin://user@app/kiosk/index.html' },
      { ...page, frameUrl: 'http://127.0.0.1:4801/kiosk/' },
      { ...page, frameUrl: null },
      { ...page, isMainFrame: false },
      { ...page, fromKioskWindow: false },
    ];
    for (const sender of senders) {
      const reply = await handle(sender, 'kiosk.speak', { text: '您好' });
      expect(reply, JSON.stringify(sender)).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    }
    expect(speak).not.toHaveBeenCalled();
    expect(refused).toHaveBeenCalledTimes(senders.length);
  });

  it('accepts every page of the app origin, robot included', () => {
    expect(senderProblem({ ...page, frameUrl: 'xiaojin://app/robot/index.html#ask' })).toBeNull();
  });

  it('answers in JSON terms, as the WebSocket bridge does', async () => {
    const { handle } = setup();
    const reply = await handle(page, 'kiosk.heartbeat', { screen: 'kiosk' });
    expect(reply).toEqual({ ok: true, value: { ok: true, at: '2026-03-01T08:00:00.000Z' } });
    expect(eventPayload({ when: new Date(0), gone: undefined })).toEqual({ when: '1970-01-01T00:00:00.000Z' });
  });

  it('refuses input that is not plain data', async () => {
    const { handle } = setup();
    const loop: Record<string, unknown> = { text: 'a' };
    loop.self = loop;
    expect(await handle(page, 'kiosk.speak', loop)).toMatchObject({ ok: false, error: { code: 'bad-input' } });
  });
});
