import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeTerminal, type CentralLink, type KioskServices } from '../../../electron/services/kiosk-services.ts';
import type { TerminalPart } from '../../../electron/services/compose.ts';
import { devicesWith, keepingPrinter, linkPart } from '../../helpers/terminal-parts.ts';
import { BlockStore, queuePart, ticketReceipt } from '../../../electron/services/queue.ts';
import { publicTicket } from '../../../server/queue/service.ts';
import { makeQueue } from './helpers.ts';
import { sessionPart } from '../../../electron/services/session.ts';
import { residentCard } from '../../../drivers/idcard/fixtures.ts';
import { decodeCardText, encodeCardText } from '../../../drivers/idcard/text.ts';
import { problemOf } from '../../../renderer/kiosk/appointments.ts';
import { checkPayload } from '../../../protocol/sync.ts';

/** The kiosk validates before its outbox append; these tests hold it to the platform's schemas. */
const refusedByPlatform = (txs: { type: string; payload: Record<string, unknown> }[]) =>
  txs.map((t) => ({ type: t.type, check: checkPayload(t.type, JSON.parse(JSON.stringify(t.payload))) })).filter((t) => !t.check.ok);
import pino from 'pino';
import { QueueError } from '../../../server/queue/errors.ts';
import { hallInstant } from '../../../protocol/clock.ts';

/** The platform's kiosk events, answered in-process by a real queue on SQLite. */
function fakeCentral(env: Awaited<ReturnType<typeof makeQueue>>, deviceId: string) {
  const listeners: ((online: boolean) => void)[] = [];
  const link = {
    online: true,
    /** Every event the kiosk sent, in order. */
    asked: [] as string[],
    async request(event: string, payload: unknown): Promise<unknown> {
      if (!link.online) throw new Error('socket disconnected');
      const p = payload as Record<string, string>;
      if (event === 'queue:reserve-block' && link.refuseBlocks.has(p.groupId)) return { ok: false, error: { code: 'conflict', message: 'this terminal already holds 2 unused blocks', retry: false } };
      link.asked.push(event);
      try {
        const value =
          event === 'queue:take'
            ? { ticket: publicTicket(env.store, await env.store.issue({ ...p, deviceId, duringHours: true } as never)), line: (await env.store.lines()).find((l) => l.groupId === p.groupId) }
            : event === 'queue:reserve-block'
              ? await env.store.reserveBlock(deviceId, p.groupId)
              : event === 'appointments:book'
                ? await env.queue.appointments.book({ ...(p as unknown as { itemCode: string; date: string; start: string; idKey: string }), deviceId })
                : null;
        return { ok: true, value };
      } catch (err) {
        // As the platform's socket answers a refusal (server/queue/routes.ts).
        if (err instanceof QueueError) return { ok: false, error: { code: err.code, message: err.message, retry: false } };
        throw err;
      }
    },
    onOnline(h: (online: boolean) => void) {
      listeners.push(h);
    },
    // This fake platform pushes nothing.
    onPush: () => () => {},
    /** What the platform's hello gave; null for device kinds that get no key. */
    key: 'unit-test-hall-secret-of-32-chars-or-more' as string | null,
    /** Groups whose blocks the platform refuses (its per-terminal limits). */
    refuseBlocks: new Set<string>(),
    idKeySecret: () => link.key,
    /** The queue is never asked anything by the platform. */
    answer: () => () => {},
    set(online: boolean) {
      link.online = online;
      for (const h of listeners) h(online);
    },
  };
  return link;
}

let dir: string;
let services: KioskServices | undefined;
let env: Awaited<ReturnType<typeof makeQueue>>;
afterEach(async () => {
  await services?.close();
  await env?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function kiosk(central: CentralLink, extra: TerminalPart[] = []) {
  const txs: { type: string; payload: Record<string, unknown> }[] = [];
  const printed: unknown[] = [];
  // Refuses what the real outbox refuses, so a payload outside the schema is lost here as there.
  const transactions = {
    append: async (type: string, payload: unknown) => {
      const check = checkPayload(type, JSON.parse(JSON.stringify(payload)));
      if (!check.ok) throw new Error(check.message);
      txs.push({ type, payload: payload as Record<string, unknown> });
      return { id: String(txs.length) };
    },
  };
  services = await composeTerminal({ kioskId: 'kiosk-1', dataDir: dir, centralUrl: 'http://central.test:4800', log: pino({ level: 'silent' }) }, [
    linkPart(transactions, central),
    devicesWith(keepingPrinter(printed)),
    sessionPart,
    ...extra,
    queuePart({ clock: env.clock }),
  ]);
  return { services, txs, printed };
}

describe('kiosk queue', () => {
  it('takes online tickets from the platform and prints them', async () => {
    dir = mkdtempSync(join(tmpdir(), 'xj-kq-'));
    env = await makeQueue();
    const central = fakeCentral(env, 'kiosk-1');
    const k = await kiosk(central);
    // Phones reach the platform at the hall's public address, never at the kiosk's own link to it.
    const config = structuredClone(k.services.context.store.config);
    config.hall.publicBaseUrl = 'https://zwfw.gz.gov.cn/xiaojin/';
    expect(k.services.context.store.apply(config)).toBeNull();
    const r = await k.services.router.dispatch('queue.take', { itemCode: 'GZ-GJJ-001', requestId: randomUUID() });
    expect(r.ok).toBe(true);
    const { ticket, printJob } = (r as { value: { ticket: { number: string; followUrl: string; offline: boolean; windows: string[] }; printJob: { state: string } } }).value;
    expect(ticket).toMatchObject({ number: 'B001', offline: false, windows: ['A06', 'A07', 'A08'] });
    expect(ticket.followUrl).toMatch(/^https:\/\/zwfw\.gz\.gov\.cn\/xiaojin\/display\/\?ticket=/);
    expect(printJob.state).toBe('done');
    const doc = JSON.stringify(k.printed[0]);
    expect(doc).toContain('B001');
    expect(doc).toContain('A06、A07、A08');
    expect(doc).toContain('"type":"qr"');
    expect(k.txs.find((t) => t.type === 'ticket')?.payload).toMatchObject({ number: 'B001', offline: false });
    expect(k.txs.map((t) => t.type).sort()).toEqual(['print', 'ticket']);
    expect(refusedByPlatform(k.txs)).toEqual([]);
  });

  it('gives a ticket no phone link, on screen or paper, while the hall has no public address', async () => {
    dir = mkdtempSync(join(tmpdir(), 'xj-kq-'));
    env = await makeQueue();
    const k = await kiosk(fakeCentral(env, 'kiosk-1'));
    const online = await k.services.router.dispatch('queue.take', { itemCode: 'GZ-GJJ-001', requestId: randomUUID() });
    expect(online.ok && (online.value as { ticket: { followUrl: string | null } }).ticket.followUrl).toBeNull();
    expect(JSON.stringify(k.printed[0])).toContain('B001');
    expect(JSON.stringify(k.printed[0])).not.toContain('"type":"qr"');
  });

  it('refuses an answer that is not what the event promises, naming the field, and issues nothing', async () => {
    dir = mkdtempSync(join(tmpdir(), 'xj-kq-'));
    env = await makeQueue();
    const central = fakeCentral(env, 'kiosk-1');
    const k = await kiosk(central);
    // A platform of another version answering without the ticket's windows.
    const real = central.request;
    central.request = async (event, payload) => {
      const answer = (await real(event, payload)) as { ok: boolean; value?: { ticket?: Record<string, unknown> } };
      if (event === 'queue:take') delete answer.value!.ticket!.windows;
      return answer;
    };
    const r = await k.services.router.dispatch('queue.take', { itemCode: 'GZ-GJJ-001', requestId: randomUUID() });
    expect(r).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(k.txs.filter((t) => t.type === 'ticket')).toEqual([]);
    expect(k.printed).toEqual([]);
  });

  it('issues from its reserved block while cut off, durably, and the platform reconciles', async () => {
    dir = mkdtempSync(join(tmpdir(), 'xj-kq-'));
    env = await makeQueue();
    const central = fakeCentral(env, 'kiosk-1');
    const k = await kiosk(central);
    await k.services.get('session').signIn(decodeCardText(encodeCardText(residentCard.text)));
    await k.services.get('queue').topUp();
    const held = k.services.get('queue').blocks.all();
    expect(held.map((b) => b.groupId).sort()).toEqual(env.config.hall.groups.map((g) => g.id).sort());
    await k.services.router.dispatch('queue.take', { groupId: 'social', print: false, requestId: randomUUID() });
    central.set(false);
    const a = await k.services.router.dispatch('queue.take', { groupId: 'social', requestId: randomUUID() });
    const b = await k.services.router.dispatch('queue.take', { groupId: 'social', priority: 'elderly', requestId: randomUUID() });
    const numbers = [a, b].map((r) => (r as { value: { ticket: { number: string; offline: boolean } } }).value.ticket);
    expect(numbers).toEqual([expect.objectContaining({ number: 'A5001', offline: true }), expect.objectContaining({ number: 'A5002', offline: true })]);
    expect(JSON.stringify(k.printed.at(-1))).toContain('网络中断');
    // A restart while still cut off goes on from where the block was.
    const again = new BlockStore(join(dir, 'queue-blocks.json'));
    expect(again.take('social', env.store.today())?.seq).toBe(5003);
    const offline = k.txs.filter((t) => t.type === 'ticket' && t.payload.offline);
    expect(offline).toHaveLength(2);
    // Offline tickets carry their block, day and sequence, and the signed-in citizen's mask: all in the schema.
    expect(offline[0].payload).toMatchObject({ seq: 5001, blockId: expect.any(String), maskedId: '4401**********0038' });
    expect(refusedByPlatform(k.txs)).toEqual([]);
    for (const t of offline) expect(await env.db.tx((db) => env.store.importOffline(db, 'kiosk-1', t.payload as never))).toBe('recorded');
    const tickets = await env.store.tickets();
    expect(tickets.map((t) => t.number).sort()).toEqual(['A001', 'A5001', 'A5002']);
    expect(tickets.find((t) => t.number === 'A5002')).toMatchObject({ origin: 'offline', priority: 'elderly', cls: 1 });
  });

  it('records a ticket whose estimated wait passes a day (one window, a long line) instead of losing its record', async () => {
    dir = mkdtempSync(join(tmpdir(), 'xj-kq-'));
    env = await makeQueue();
    const central = fakeCentral(env, 'kiosk-1');
    const k = await kiosk(central);
    const config = structuredClone(k.services.context.store.config);
    config.hall.groups.find((g) => g.id === 'social')!.defaultServiceMinutes = 20_000;
    expect(k.services.context.store.apply(config)).toBeNull();
    await k.services.get('queue').topUp();
    central.set(false);
    for (let i = 0; i < 2; i++) expect((await k.services.router.dispatch('queue.take', { groupId: 'social', print: false, requestId: randomUUID() })).ok).toBe(true);
    const tickets = k.txs.filter((t) => t.type === 'ticket');
    expect(tickets).toHaveLength(2);
    expect(tickets[1].payload.estimatedWaitMinutes).toBe(24 * 60);
  });

  it('goes on to the other groups when the platform refuses a block for one', async () => {
    dir = mkdtempSync(join(tmpdir(), 'xj-kq-'));
    env = await makeQueue();
    const central = fakeCentral(env, 'kiosk-1');
    const [first, ...rest] = env.config.hall.groups.map((g) => g.id);
    central.refuseBlocks.add(first);
    const k = await kiosk(central);
    await k.services.get('queue').topUp();
    expect(k.services.get('queue').blocks.all().map((b) => b.groupId).sort()).toEqual(rest.sort());
  });

  it('refuses offline issue once its blocks are used up, saying so plainly', async () => {
    dir = mkdtempSync(join(tmpdir(), 'xj-kq-'));
    env = await makeQueue();
    const central = fakeCentral(env, 'kiosk-1');
    central.online = false;
    const k = await kiosk(central);
    const r = await k.services.router.dispatch('queue.take', { groupId: 'social', requestId: randomUUID() });
    expect(r).toMatchObject({ ok: false, error: { code: 'offline' } });
  });

  it('says booking is not available here when the platform gave this terminal no ID key', async () => {
    dir = mkdtempSync(join(tmpdir(), 'xj-kq-'));
    env = await makeQueue();
    const central = fakeCentral(env, 'kiosk-1');
    central.key = null;
    const k = await kiosk(central);
    await k.services.get('session').signIn(decodeCardText(encodeCardText(residentCard.text)));
    const r = await k.services.router.dispatch('appointment.book', { itemCode: 'GZ-SB-001', date: '2026-09-30', start: '09:00', requestId: randomUUID() });
    expect(r).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(problemOf((r as { error: unknown }).error)).toBe('unavailable');
  });

  it('answers three taps in one instant with one request id with one ticket, one print and one ticket transaction', async () => {
    dir = mkdtempSync(join(tmpdir(), 'xj-kq-'));
    env = await makeQueue();
    const central = fakeCentral(env, 'kiosk-1');
    const k = await kiosk(central);
    const tap = { groupId: 'social', requestId: randomUUID() };
    const answers = await Promise.all([1, 2, 3].map(() => k.services.router.dispatch('queue.take', tap)));
    const tickets = answers.map((r) => (r as { ok: true; value: { ticket: { id: string; number: string } } }).value.ticket);
    expect(new Set(tickets.map((t) => t.id)).size).toBe(1);
    expect(tickets[0].number).toBe('A001');
    expect(central.asked.filter((e) => e === 'queue:take')).toHaveLength(1);
    expect(k.printed).toHaveLength(1);
    expect(k.txs.filter((t) => t.type === 'ticket')).toHaveLength(1);
    expect(k.txs.filter((t) => t.type === 'print')).toHaveLength(1);
    expect(await env.store.tickets()).toHaveLength(1);
    // A repeat after the answer finds the same ticket; the next action gets the next number.
    expect(await k.services.router.dispatch('queue.take', tap)).toMatchObject({ ok: true, value: { ticket: { id: tickets[0].id } } });
    expect(await k.services.router.dispatch('queue.take', { ...tap, requestId: randomUUID() })).toMatchObject({ ok: true, value: { ticket: { number: 'A002' } } });
    expect(k.printed).toHaveLength(2);
  });

  it('issues one offline ticket from its block for taps repeating one request id', async () => {
    dir = mkdtempSync(join(tmpdir(), 'xj-kq-'));
    env = await makeQueue();
    const central = fakeCentral(env, 'kiosk-1');
    const k = await kiosk(central);
    await k.services.get('queue').topUp();
    central.set(false);
    const tap = { groupId: 'social', requestId: randomUUID() };
    const answers = await Promise.all([1, 2, 3].map(() => k.services.router.dispatch('queue.take', tap)));
    const numbers = answers.map((r) => (r as { ok: true; value: { ticket: { number: string; offline: boolean } } }).value.ticket);
    expect(numbers).toEqual([1, 2, 3].map(() => expect.objectContaining({ number: 'A5001', offline: true })));
    const offline = k.txs.filter((t) => t.type === 'ticket' && t.payload.offline);
    expect(offline).toEqual([expect.objectContaining({ payload: expect.objectContaining({ requestId: tap.requestId, seq: 5001 }) })]);
    expect(k.printed).toHaveLength(1);
    expect(refusedByPlatform(k.txs)).toEqual([]);
    const next = await k.services.router.dispatch('queue.take', { groupId: 'social', requestId: randomUUID() });
    expect(next).toMatchObject({ ok: true, value: { ticket: { number: 'A5002' } } });
  });

  it('books one appointment for a double tap on 确认预约', async () => {
    dir = mkdtempSync(join(tmpdir(), 'xj-kq-'));
    env = await makeQueue();
    const central = fakeCentral(env, 'kiosk-1');
    const k = await kiosk(central);
    await k.services.get('session').signIn(decodeCardText(encodeCardText(residentCard.text)));
    const tap = { itemCode: 'GZ-SB-001', date: '2026-09-30', start: '09:00', requestId: randomUUID() };
    const [a, b] = await Promise.all([k.services.router.dispatch('appointment.book', tap), k.services.router.dispatch('appointment.book', tap)]);
    expect(a).toMatchObject({ ok: true, value: { state: 'booked' } });
    expect(b).toEqual(a);
    expect(await k.services.router.dispatch('appointment.book', tap)).toEqual(a);
    expect(central.asked.filter((e) => e === 'appointments:book')).toHaveLength(1);
    expect(k.txs.filter((t) => t.type === 'appointment')).toHaveLength(1);
    expect(await env.queue.appointments.forDay('2026-09-30')).toHaveLength(1);
  });

  it('refuses a ticket without a request id, issuing nothing', async () => {
    dir = mkdtempSync(join(tmpdir(), 'xj-kq-'));
    env = await makeQueue();
    const central = fakeCentral(env, 'kiosk-1');
    const k = await kiosk(central);
    expect(await k.services.router.dispatch('queue.take', { groupId: 'social' })).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(central.asked).not.toContain('queue:take');
    expect(k.printed).toEqual([]);
  });

  describe('outside opening hours', () => {
    // 2026-10-11 an ordinary Sunday, 2026-10-01 国庆节, 2026-09-29 a Tuesday (09:00–17:00).
    const closedAt = [
      { when: 'on a Sunday', day: '2026-10-11', time: '10:00', reason: 'closed-day', dayReason: '非办公日' },
      { when: 'on a statutory holiday', day: '2026-10-01', time: '10:00', reason: 'closed-day', dayReason: '国庆节' },
      { when: 'before opening', day: '2026-09-29', time: '08:59', reason: 'before-hours' },
      { when: 'at closing time', day: '2026-09-29', time: '17:00', reason: 'after-hours' },
    ] as const;
    for (const c of closedAt) {
      it(`refuses a ticket ${c.when}, online and from the block, with the reason and the hours`, async () => {
        dir = mkdtempSync(join(tmpdir(), 'xj-kq-'));
        env = await makeQueue();
        const central = fakeCentral(env, 'kiosk-1');
        const k = await kiosk(central);
        await k.services.get('queue').topUp();
        env.clock.set(hallInstant(c.day, c.time));
        const hours = await k.services.router.dispatch('queue.hours', {});
        expect(hours).toMatchObject({ ok: true, value: { reason: c.reason, usualHours: [{ open: '09:00', close: '17:00' }, { open: '09:00', close: '12:00' }] } });
        if ('dayReason' in c) expect(hours).toMatchObject({ value: { day: { open: false, reason: c.dayReason } } });
        for (const online of [true, false]) {
          central.set(online);
          const r = await k.services.router.dispatch('queue.take', { groupId: 'social', requestId: randomUUID() });
          expect(r).toMatchObject({ ok: false, error: { code: 'unavailable', message: expect.stringContaining('今日非办公时间'), detail: { reason: 'hall-closed', closed: { reason: c.reason } } } });
        }
        expect(await env.store.tickets(c.day)).toEqual([]);
        expect(k.txs.filter((t) => t.type === 'ticket')).toEqual([]);
        expect(k.printed).toEqual([]);
      });
    }

    it('issues on a weekend day worked in lieu, on weekday hours, online and from the block', async () => {
      dir = mkdtempSync(join(tmpdir(), 'xj-kq-'));
      // 2026-09-20 is a Sunday worked in lieu of National Day; 2026-10-10 a Saturday likewise, open past the usual Saturday noon.
      env = await makeQueue({ day: '2026-09-20', time: '10:00' });
      const central = fakeCentral(env, 'kiosk-1');
      const k = await kiosk(central);
      await k.services.get('queue').topUp();
      expect(await k.services.router.dispatch('queue.hours', {})).toEqual({ ok: true, value: null });
      expect(await k.services.router.dispatch('queue.take', { groupId: 'social', requestId: randomUUID() })).toMatchObject({ ok: true, value: { ticket: { number: 'A001' } } });
      central.set(false);
      expect(await k.services.router.dispatch('queue.take', { groupId: 'social', requestId: randomUUID() })).toMatchObject({ ok: true, value: { ticket: { offline: true } } });
      central.set(true);
      env.clock.set(hallInstant('2026-10-10', '15:00'));
      expect(await k.services.router.dispatch('queue.take', { groupId: 'social', requestId: randomUUID() })).toMatchObject({ ok: true, value: { ticket: { number: 'A001' } } });
    });
  });

  it('prints number, service, windows, people ahead, wait, time and a QR', () => {
    const doc = ticketReceipt(
      { id: 'x', number: 'A012', groupId: 'social', groupName: '社保医保', itemName: '社保卡申领', windows: ['A01', 'A02'], ahead: 4, estimatedWaitMinutes: 14, issuedAt: '2026-09-29T01:05:00.000Z', priority: true, offline: false, followUrl: 'http://c/display/?ticket=x' },
      { hallName: '小今政务服务中心', kioskName: '一楼1号机', hours: [{ days: [1, 2, 3, 4, 5], open: '09:00', close: '17:00' }, { days: [6], open: '09:00', close: '12:00' }] },
    );
    const text = doc.items.map((i) => ('text' in i ? i.text : 'data' in i ? `QR:${i.data}` : '')).join('\n');
    expect(text).toContain('A012');
    expect(text).toContain('社保医保（社保卡申领）');
    expect(text).toContain('A01、A02');
    expect(text).toContain('前面还有 4 人，预计等候约 14 分钟');
    expect(text).toContain('2026/9/29 09:05:00');
    expect(text).toContain('QR:http://c/display/?ticket=x');
    expect(text).toContain('优先办理');
    expect(text).toContain('大厅办公时间：周一至周五 09:00–17:00\n　　　　　　　周六 09:00–12:00');
  });
});
