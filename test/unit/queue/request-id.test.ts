/**
 * The platform's side of one result per citizen action: a device's repeated request id
 * gets the ticket or appointment its first request got, while that one is still being
 * made, and after the platform restarts on the same database.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDb } from '../../../server/db/sqlite.ts';
import { ManualClock, hallInstant } from '../../../protocol/clock.ts';
import { QueueService } from '../../../server/queue/service.ts';
import { idKeyOf } from '../../../server/queue/appointments.ts';
import { baseConfig, makeQueue } from './helpers.ts';

let env: Awaited<ReturnType<typeof makeQueue>> | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await env?.close();
  env = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const KEY = 'unit-test-hall-secret-of-32-chars-or-more';

describe('request ids on the platform', () => {
  it('issues one ticket for three concurrent requests with one id from one device', async () => {
    env = await makeQueue();
    const requestId = randomUUID();
    const issued: string[] = [];
    env.store.onEvent((ev) => ev.type === 'issued' && issued.push(ev.ticket.id));
    const all = await Promise.all([1, 2, 3].map(() => env!.store.issue({ groupId: 'social', deviceId: 'kiosk-1', requestId, duringHours: true })));
    expect(new Set(all.map((s) => s.ticket.id)).size).toBe(1);
    expect(all[0].ticket.number).toBe('A001');
    expect(await env.store.tickets()).toHaveLength(1);
    // One display update and announcement for one ticket.
    expect(issued).toEqual([all[0].ticket.id]);
    // The same id from another device is another citizen's action.
    expect((await env.store.issue({ groupId: 'social', deviceId: 'kiosk-2', requestId })).ticket.number).toBe('A002');
    // The numbers stay consecutive: a repeat takes no number.
    expect((await env.store.issue({ groupId: 'social', deviceId: 'kiosk-1', requestId: randomUUID() })).ticket.number).toBe('A003');
  });

  it('finds the first ticket of a request after a restart, even once the hall has closed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xj-req-'));
    dirs.push(dir);
    const file = join(dir, 'platform.db');
    const clock = new ManualClock(hallInstant('2026-09-29', '16:59'));
    const start = async () => {
      const db = new SqliteDb(file);
      const queue = new QueueService({ db, config: () => baseConfig, clock, tts: null });
      await queue.start();
      return { db, queue };
    };
    const requestId = randomUUID();
    const first = await start();
    const ticket = await first.queue.store.issue({ groupId: 'social', deviceId: 'kiosk-1', requestId, duringHours: true });
    await first.queue.stop();
    await first.db.close();

    clock.set(hallInstant('2026-09-29', '17:01'));
    const second = await start();
    try {
      const again = await second.queue.store.issue({ groupId: 'social', deviceId: 'kiosk-1', requestId, duringHours: true });
      expect(again.ticket).toMatchObject({ id: ticket.ticket.id, number: ticket.ticket.number });
      await expect(second.queue.store.issue({ groupId: 'social', deviceId: 'kiosk-1', requestId: randomUUID(), duringHours: true })).rejects.toMatchObject({ code: 'closed' });
      expect(await second.queue.store.tickets('2026-09-29')).toHaveLength(1);
    } finally {
      await second.queue.stop();
      await second.db.close();
    }
  });

  it('keeps the request id of a ticket issued offline, so it is one ticket too', async () => {
    env = await makeQueue();
    const requestId = randomUUID();
    const block = await env.store.reserveBlock('kiosk-1', 'social', 10);
    const offline = { ticketId: randomUUID(), number: `A${block.firstSeq}`, groupId: 'social', offline: true, issuedAt: new Date(env.clock.now()).toISOString(), seq: block.firstSeq, day: block.day, blockId: block.blockId, requestId };
    expect(await env.db.tx((db) => env!.store.importOffline(db, 'kiosk-1', offline))).toBe('recorded');
    // The kiosk asks the platform with the same id once the link is back: the offline ticket is the answer.
    expect((await env.store.issue({ groupId: 'social', deviceId: 'kiosk-1', requestId })).ticket.id).toBe(offline.ticketId);
    expect(await env.store.tickets()).toHaveLength(1);
  });

  it('queues the offline ticket a kiosk issued when the answer to its request was lost, and withdraws the unseen online one', async () => {
    env = await makeQueue();
    const requestId = randomUUID();
    const block = await env.store.reserveBlock('kiosk-1', 'social', 10);
    const unseen = await env.store.issue({ groupId: 'social', deviceId: 'kiosk-1', requestId });
    const offline = { ticketId: randomUUID(), number: `A${block.firstSeq}`, groupId: 'social', offline: true, issuedAt: new Date(env.clock.now()).toISOString(), seq: block.firstSeq, day: block.day, blockId: block.blockId, requestId };
    expect(await env.db.tx((db) => env!.store.importOffline(db, 'kiosk-1', offline))).toBe('recorded');
    expect(await env.store.ticket(unseen.ticket.id)).toMatchObject({ state: 'cancelled' });
    expect(await env.store.ticket(offline.ticketId)).toMatchObject({ state: 'waiting' });
    expect((await env.store.issue({ groupId: 'social', deviceId: 'kiosk-1', requestId })).ticket.id).toBe(offline.ticketId);
  });

  it('books one appointment for a repeated booking request, concurrent or after the answer', async () => {
    env = await makeQueue({ day: '2026-09-29', time: '10:30' });
    const idKey = idKeyOf('440106199001011234', KEY);
    const input = { itemCode: 'GZ-SB-001', date: '2026-09-30', start: '09:00', idKey, deviceId: 'kiosk-1', requestId: randomUUID() };
    const both = await Promise.all([env.queue.appointments.book(input), env.queue.appointments.book(input)]);
    expect(both[1]).toEqual(both[0]);
    expect(await env.queue.appointments.book(input)).toEqual(both[0]);
    expect(await env.queue.appointments.forDay('2026-09-30')).toHaveLength(1);
    const slot = (await env.queue.appointments.availability('GZ-SB-001')).find((d) => d.date === '2026-09-30')!.slots.find((s) => s.start === '09:00')!;
    expect(slot.booked).toBe(1);
    // Without the request id, a second booking of the same person is refused as before.
    await expect(env.queue.appointments.book({ ...input, requestId: undefined })).rejects.toMatchObject({ code: 'conflict' });
  });
});
