/**
 * The kiosk does not trust the platform's hello answer blindly: an answer without the
 * fields it acts on is a sync error, and the outbox keeps its numbering.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server as IoServer } from 'socket.io';
import { Outbox } from '../../../electron/services/outbox.ts';
import { SyncClient } from '../../../electron/services/sync-client.ts';
import { EVENTS, type SyncError } from '../../../protocol/sync.ts';
import { tempDir } from './helpers.ts';

let cleanup: (() => Promise<void>) | null = null;
afterEach(async () => {
  await cleanup?.();
  cleanup = null;
});

/** A stand-in platform that answers every hello with the given body. */
async function platformAnswering(answer: unknown): Promise<string> {
  const http: HttpServer = createServer();
  const io = new IoServer(http);
  io.on('connection', (socket) => socket.on(EVENTS.hello, (_msg: unknown, ack: (a: unknown) => void) => ack(answer)));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  cleanup = () => new Promise<void>((r) => void io.close(() => r()));
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

describe('hello answer', () => {
  it('refuses an answer without lastSeq and keeps the outbox numbering', async () => {
    const url = await platformAnswering({ ok: true, configVersion: 1 });
    const outbox = new Outbox({ dataDir: tempDir('xj-hello-'), backoffBaseMs: 50, backoffMaxMs: 1000 });
    const seqBefore = outbox.lastAssignedSeq;
    const client = new SyncClient({ url, credential: { deviceId: 'kiosk-1', secret: 's'.repeat(32) }, outbox, reconnectDelayMs: 100, reconnectDelayMaxMs: 1000 });
    const errors: SyncError[] = [];
    let wentOnline = false;
    client.on('sync-error', (e: SyncError) => errors.push(e));
    client.on('online', (on: boolean) => (wentOnline ||= on));
    const stop = cleanup;
    cleanup = async () => {
      await client.stop();
      await outbox.close();
      await stop?.();
    };
    client.start();
    await expect.poll(() => errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatchObject({ code: 'bad-request', retry: true });
    expect(errors[0]!.message).toContain('lastSeq');
    expect(wentOnline).toBe(false);
    expect(outbox.lastAssignedSeq).toBe(seqBefore);
  });
});
