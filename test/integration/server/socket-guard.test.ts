/**
 * The guard every device socket event passes: bounded arguments, a device still enrolled
 * on every event (a revocation made on another node reaches this one through the
 * database), and listeners that cannot throw out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { enrollDevice } from '../../../electron/services/sync-credential.ts';
import { EVENTS } from '../../../protocol/sync.ts';
import type { RunningServer } from '../../../server/app.ts';
import { deviceSocket, removeTempDirs, Staff, tempDir, testServer, waitFor } from './helpers.ts';
import { queueOf } from '../../../server/queue/index.ts';
import { openHallClock } from '../../helpers/open-hall-clock.ts';

let server: RunningServer;
let staff: Staff;
const sockets: Socket[] = [];

beforeAll(async () => {
  server = await testServer();
  // A weekday morning: the hall issues tickets only while open.
  queueOf(server.ctx)!.clock.source = openHallClock();
  staff = await Staff.login(server.url);
  // Listeners that fall over, as a module's bug would.
  server.ctx.onDeviceSocket((socket) => {
    socket.on('test:throws', () => {
      throw new Error('a listener bug');
    });
    socket.on('test:rejects', async () => {
      await Promise.resolve();
      throw new Error('an async listener bug');
    });
  });
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await server?.close();
  removeTempDirs();
});

async function device(deviceId: string): Promise<Socket> {
  const cred = await enrollDevice({ dataDir: tempDir(), url: server.url, code: await staff.code('kiosk'), kind: 'kiosk', deviceId });
  const socket = await deviceSocket(server.url, cred);
  sockets.push(socket);
  return socket;
}

type Answer = { ok: boolean; error?: { code: string; message: string; retry: boolean } };
const ask = (s: Socket, event: string, ...args: unknown[]) => s.timeout(10_000).emitWithAck(event, ...args) as Promise<Answer>;

function nested(depth: number): unknown {
  let v: unknown = 'x';
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

describe('device socket guard', () => {
  it('refuses arguments nested past the limit before any listener sees them', async () => {
    const s = await device('kiosk-deep');
    for (const event of [EVENTS.batch, 'queue:take', EVENTS.health, EVENTS.configFetch]) {
      const r = await ask(s, event, nested(40));
      expect(r, event).toEqual({ ok: false, error: { code: 'too-large', message: expect.stringContaining('deeper than the limit of 32'), retry: false } });
    }
    expect(s.connected).toBe(true);
    expect((await ask(s, 'queue:lines', {})).ok).toBe(true);
  });

  it('answers an event nobody listens for, or sent without a value or with two, instead of leaving it unanswered', async () => {
    const s = await device('kiosk-unknown');
    expect(await ask(s, 'no:such-event', {})).toMatchObject({ ok: false, error: { code: 'bad-request', retry: false } });
    expect(await ask(s, EVENTS.health)).toMatchObject({ ok: false, error: { code: 'bad-request', retry: false } });
    expect(await ask(s, 'queue:lines')).toMatchObject({ ok: true });
    expect(await ask(s, 'queue:lines', {}, {})).toEqual({ ok: false, error: { code: 'bad-request', message: 'queue:lines takes one argument', retry: false } });
  });

  it('catches a listener that throws or rejects, answers internal and keeps serving', async () => {
    const s = await device('kiosk-buggy');
    expect(await ask(s, 'test:throws', {})).toEqual({ ok: false, error: { code: 'internal', message: expect.any(String), retry: true } });
    expect(await ask(s, 'test:rejects', {})).toEqual({ ok: false, error: { code: 'internal', message: expect.any(String), retry: true } });
    s.emit('test:throws', {});
    expect((await ask(s, 'queue:lines', {})).ok).toBe(true);
  });

  it('refuses every event of a device revoked in the database by another node, disconnects it and issues no ticket', async () => {
    const s = await device('kiosk-revoked-elsewhere');
    const groupId = server.ctx.config.config.hall.groups[0].id;
    const errors: { code: string }[] = [];
    s.on(EVENTS.error, (e: { code: string }) => errors.push(e));
    const tickets = async () => Number((await server.ctx.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM queue_tickets WHERE device_id = ?', ['kiosk-revoked-elsewhere']))[0].n);
    expect((await ask(s, 'queue:take', { groupId })).ok).toBe(true);
    expect(await tickets()).toBe(1);
    // As another node would: the row changes, and this node hears nothing about it.
    await server.ctx.db.run('UPDATE devices SET revoked_at = ? WHERE id = ?', [new Date().toISOString(), 'kiosk-revoked-elsewhere']);
    expect(await ask(s, 'queue:take', { groupId })).toEqual({ ok: false, error: { code: 'revoked', message: expect.any(String), retry: false } });
    await waitFor('the revoked device to be disconnected', () => !s.connected);
    expect(errors).toEqual([expect.objectContaining({ code: 'revoked' })]);
    expect(await tickets()).toBe(1);
  });
});
