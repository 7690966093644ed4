/**
 * A kiosk cut off from the platform mid-day: it goes on issuing from its reserved
 * blocks, and once the link is back the platform's queue and figures add up. Real
 * platform, real kiosk sync client and outbox, real sockets.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { startServer, enrollLocal, type RunningServer } from '../../../server/app.ts';
import { queueOf } from '../../../server/queue/index.ts';
import { Outbox } from '../../../electron/services/outbox.ts';
import { SyncClient } from '../../../electron/services/sync-client.ts';
import { composeTerminal, type KioskServices } from '../../../electron/services/kiosk-services.ts';
import { centralLinkOf } from '../../../electron/services/sync.ts';
import { queuePart } from '../../../electron/services/queue.ts';
import { sessionPart } from '../../../electron/services/session.ts';
import { devicesWith, keepingPrinter, linkPart } from '../../helpers/terminal-parts.ts';
import type { TicketView } from '../../../protocol/ui/domains/queue.ts';
import { openHallClock } from '../../helpers/open-hall-clock.ts';

const clock = openHallClock();

let server: RunningServer;
let dir: string;
let client: SyncClient;
let outbox: Outbox;
let kiosk: KioskServices;
const printed: unknown[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xj-netcut-'));
  server = await startServer({ port: 0, dataDir: join(dir, 'central'), logLevel: 'warn', staticDir: join(dir, 'none'), seedAdmin: { username: 'admin', password: 'correct-horse-9' } });
  // Both ends on a weekday morning: the hall issues tickets only while open.
  queueOf(server.ctx)!.clock.source = clock;
  const credential = await enrollLocal(server.ctx, 'kiosk-1', 'kiosk');
  outbox = new Outbox({ dataDir: join(dir, 'kiosk') });
  client = new SyncClient({ url: server.url, credential, outbox });
  const link = centralLinkOf(client);
  const transactions = { append: async (type: string, payload: unknown) => ({ id: (await outbox.append(type, payload)).id }) };
  kiosk = await composeTerminal({ kioskId: 'kiosk-1', dataDir: join(dir, 'kiosk'), centralUrl: server.url, log: pino({ level: 'silent' }) }, [
    linkPart(transactions, link),
    devicesWith(keepingPrinter(printed)),
    sessionPart,
    queuePart({ clock }),
  ]);
  client.start();
  await vi.waitFor(() => expect(client.online, 'the kiosk online').toBe(true), { timeout: 15_000 });
  await kiosk.get('queue').topUp();
});

afterAll(async () => {
  await kiosk?.close();
  await client?.stop();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const take = async (groupId: string, priority?: 'elderly') => {
  const r = await kiosk.router.dispatch('queue.take', { groupId, priority, requestId: randomUUID() });
  if (!r.ok) throw new Error(r.error.message);
  return (r.value as { ticket: TicketView }).ticket;
};

describe('a network cut during the day', () => {
  it('keeps issuing from the reserved block and reconciles when the link returns', async () => {
    const store = queueOf(server.ctx)!.store;
    const blocks = kiosk.get('queue').blocks.all();
    expect(blocks.length).toBe(server.ctx.config.config.hall.groups.length);

    const online = [await take('social'), await take('social'), await take('fund')];
    expect(online.map((t) => [t.number, t.offline])).toEqual([['A001', false], ['A002', false], ['B001', false]]);

    // The windows go on working at the platform while the kiosk is cut off.
    await store.openWindow('A01', { id: 's', name: '窗口' });
    await client.stop();
    expect(kiosk.get('central')!.online).toBe(false);
    expect((await store.callNext('A01'))?.number).toBe('A001');

    const offline = [await take('social'), await take('social', 'elderly'), await take('fund'), await take('police')];
    expect(offline.map((t) => [t.number, t.offline])).toEqual([['A5001', true], ['A5002', true], ['B5001', true], ['C5001', true]]);
    expect(offline[0].ahead).toBeGreaterThanOrEqual(1);
    expect(printed).toHaveLength(7);
    expect((await store.tickets()).length).toBe(3);

    // Meanwhile the platform issued its own numbers: they do not meet the kiosk's.
    const other = await store.issue({ groupId: 'social' });
    expect(other.ticket.number).toBe('A003');

    client.start();
    await expect.poll(async () => (await store.tickets()).length, { message: 'offline tickets reconciled' }).toBe(8);
    const tickets = await store.tickets();
    expect(new Set(tickets.map((t) => t.number)).size).toBe(8);
    expect(tickets.filter((t) => t.origin === 'offline').map((t) => t.number).sort()).toEqual(['A5001', 'A5002', 'B5001', 'C5001']);
    expect(tickets.find((t) => t.number === 'A5002')).toMatchObject({ priority: 'elderly', cls: 1, state: 'waiting', deviceId: 'kiosk-1' });

    const f = await store.figures();
    const issued = Object.fromEntries(f.issued.map((g) => [g.groupId, g]));
    expect(issued.social).toEqual({ groupId: 'social', issued: 5, offline: 2 });
    expect(issued.fund).toEqual({ groupId: 'fund', issued: 2, offline: 1 });
    expect(issued.police).toEqual({ groupId: 'police', issued: 1, offline: 1 });
    const lines = Object.fromEntries((await store.lines()).map((l) => [l.groupId, l.waiting]));
    expect(lines).toMatchObject({ social: 4, fund: 2, police: 1 });

    // The reconciled tickets are called like any other: the priority one first.
    await store.start('A01');
    await store.finish('A01');
    expect((await store.callNext('A01'))?.number).toBe('A5002');

    // Sending the same transactions again changes nothing (exactly once).
    expect((await store.tickets()).length).toBe(8);
  });
});
