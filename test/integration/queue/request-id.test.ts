/**
 * One ticket and one appointment per citizen action, over a kiosk's real device socket:
 * taps repeating a request id, sent at once or after the platform restarted on its
 * database, get the first answer; and the platform issues no ticket when the hall is closed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { enrollDevice, type StoredCredential } from '../../../electron/services/sync-credential.ts';
import type { RunningServer } from '../../../server/app.ts';
import { queueOf } from '../../../server/queue/index.ts';
import { hallInstant } from '../../../protocol/clock.ts';
import { deviceSocket, removeTempDirs, Staff, tempDir, testServer } from '../server/helpers.ts';

const servers: RunningServer[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  for (const s of servers.splice(0)) await s.close();
  removeTempDirs();
});

async function platform(dataDir: string, at: { day: string; time: string }): Promise<RunningServer> {
  const server = await testServer({ dataDir });
  servers.push(server);
  queueOf(server.ctx)!.clock.source = { now: () => hallInstant(at.day, at.time) };
  return server;
}

async function kiosk(server: RunningServer, cred: StoredCredential): Promise<Socket> {
  const socket = await deviceSocket(server.url, cred);
  sockets.push(socket);
  return socket;
}

type Answer<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string; retry: boolean } };
const ask = <T>(s: Socket, event: string, payload: unknown) => s.timeout(10_000).emitWithAck(event, payload) as Promise<Answer<T>>;
const TUESDAY = { day: '2026-09-29', time: '10:00' };

describe('request ids over the device socket', () => {
  it('answers three queue:take at once with one request id with one ticket, and again after a platform restart', async () => {
    const dataDir = tempDir();
    let server = await platform(dataDir, TUESDAY);
    const staff = await Staff.login(server.url);
    const cred = await enrollDevice({ dataDir: tempDir(), url: server.url, code: await staff.code('kiosk'), kind: 'kiosk', deviceId: 'kiosk-req' });
    let socket = await kiosk(server, cred);
    const take = { groupId: 'social', requestId: randomUUID() };
    const answers = await Promise.all([1, 2, 3].map(() => ask<{ ticket: { id: string; number: string } }>(socket, 'queue:take', take)));
    const ids = answers.map((a) => (a.ok ? a.value.ticket.id : a.error.message));
    expect(new Set(ids).size).toBe(1);
    const count = async () => Number((await server.ctx.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM queue_tickets WHERE device_id = ?', ['kiosk-req']))[0].n);
    expect(await count()).toBe(1);

    socket.disconnect();
    await server.close();
    servers.splice(0);
    server = await platform(dataDir, TUESDAY);
    socket = await kiosk(server, cred);
    const again = await ask<{ ticket: { id: string } }>(socket, 'queue:take', take);
    expect(again).toMatchObject({ ok: true, value: { ticket: { id: ids[0] } } });
    expect(await count()).toBe(1);
    const next = await ask<{ ticket: { number: string } }>(socket, 'queue:take', { ...take, requestId: randomUUID() });
    expect(next).toMatchObject({ ok: true, value: { ticket: { number: 'A002' } } });
  });

  it('books one appointment for a repeated appointments:book', async () => {
    const server = await platform(tempDir(), TUESDAY);
    const staff = await Staff.login(server.url);
    const cred = await enrollDevice({ dataDir: tempDir(), url: server.url, code: await staff.code('kiosk'), kind: 'kiosk', deviceId: 'kiosk-book' });
    const socket = await kiosk(server, cred);
    const book = { itemCode: 'GZ-SB-001', date: '2026-09-30', start: '09:00', idKey: 'a'.repeat(64), requestId: randomUUID() };
    const [a, b] = await Promise.all([ask<{ id: string }>(socket, 'appointments:book', book), ask<{ id: string }>(socket, 'appointments:book', book)]);
    expect(a.ok && b.ok && a.value.id === b.value.id).toBe(true);
    expect(await ask(socket, 'appointments:book', book)).toEqual(a);
    expect(await server.ctx.db.query('SELECT id FROM queue_appointments WHERE device_id = ?', ['kiosk-book'])).toHaveLength(1);
  });

  it('refuses queue:take on a Sunday with the reason, issuing nothing', async () => {
    const server = await platform(tempDir(), { day: '2026-10-11', time: '10:00' });
    const staff = await Staff.login(server.url);
    const cred = await enrollDevice({ dataDir: tempDir(), url: server.url, code: await staff.code('kiosk'), kind: 'kiosk', deviceId: 'kiosk-sunday' });
    const socket = await kiosk(server, cred);
    const r = await ask(socket, 'queue:take', { groupId: 'social', requestId: randomUUID() });
    expect(r).toEqual({ ok: false, error: { code: 'closed', message: expect.stringContaining('非办公日'), retry: false } });
    expect(await server.ctx.db.query('SELECT id FROM queue_tickets')).toEqual([]);
  });
});
