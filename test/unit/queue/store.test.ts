import { afterEach, describe, expect, it } from 'vitest';
import { makeQueue } from './helpers.ts';
import { BLOCK_BASE } from '../../../server/queue/store.ts';
import { hallInstant } from '../../../protocol/clock.ts';

let env: Awaited<ReturnType<typeof makeQueue>>;
afterEach(async () => env?.close());

const staff = { id: 's1', name: '王*' };
const MIN = 60_000;

describe('issuing', () => {
  it('numbers per group with the group prefix, resetting each day', async () => {
    env = await makeQueue();
    const { store, clock } = env;
    expect((await store.issue({ groupId: 'social' })).ticket.number).toBe('A001');
    expect((await store.issue({ groupId: 'social' })).ticket.number).toBe('A002');
    expect((await store.issue({ groupId: 'fund' })).ticket.number).toBe('B001');
    const byItem = await store.issue({ itemCode: 'GZ-BDC-001' });
    expect(byItem.ticket.number).toBe('G001');
    expect(byItem.windows).toEqual(['C01', 'C02', 'C03', 'C04', 'C05', 'C06']);
    clock.set(hallInstant('2026-09-30', '09:00'));
    expect((await store.issue({ groupId: 'social' })).ticket.number).toBe('A001');
  });

  it('reports the people ahead and an estimate from the group default', async () => {
    env = await makeQueue();
    const { store } = env;
    for (let i = 0; i < 10; i++) await store.issue({ groupId: 'fund' });
    const s = await store.issue({ groupId: 'fund' });
    expect(s.ahead).toBe(10);
    // 10 people × 9 default minutes over the 3 fund windows (none open yet).
    expect(s.estimatedWaitMinutes).toBe(30);
    const p = await store.issue({ groupId: 'fund', priority: 'elderly' });
    expect(p.ahead).toBe(0);
    expect(p.ticket.cls).toBe(1);
  });

  it('refuses unknown groups and items', async () => {
    env = await makeQueue();
    await expect(env.store.issue({ groupId: 'nope' })).rejects.toMatchObject({ code: 'not-found' });
    await expect(env.store.issue({ itemCode: 'NOPE' })).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('windows', () => {
  it('tells the window the called citizen\'s service, in the hall\'s English too when it has one', async () => {
    env = await makeQueue({ config: (c) => ((c.catalogue.items.find((i) => i.code === 'GZ-BDC-001')!.nameEn = 'Real estate transfer registration'), c) });
    const { store } = env;
    await store.issue({ itemCode: 'GZ-BDC-001' });
    await store.openWindow('C01', staff);
    expect((await store.windowStatus('C01')).current).toBeNull();
    await store.callNext('C01');
    expect((await store.windowStatus('C01')).current?.service).toEqual({ code: 'GZ-BDC-001', name: '不动产转移登记', nameEn: 'Real estate transfer registration' });
  });

  it('names no service on a ticket taken for a whole line', async () => {
    env = await makeQueue();
    const { store } = env;
    await store.issue({ groupId: 'social' });
    await store.openWindow('A01', staff);
    await store.callNext('A01');
    expect((await store.windowStatus('A01')).current).toMatchObject({ number: 'A001', service: null });
  });

  it('call next, start, finish; a closed or busy window cannot call', async () => {
    env = await makeQueue();
    const { store, clock } = env;
    await store.issue({ groupId: 'social' });
    await expect(store.callNext('A01')).rejects.toMatchObject({ code: 'closed' });
    await store.openWindow('A01', staff);
    clock.advance(2 * MIN);
    const call = await store.callNext('A01');
    expect(call).toMatchObject({ number: 'A001', windowId: 'A01', state: 'called' });
    await expect(store.callNext('A01')).rejects.toMatchObject({ code: 'conflict' });
    await expect(store.finish('A01')).rejects.toMatchObject({ code: 'conflict' });
    await store.start('A01');
    clock.advance(6 * MIN);
    const w = await store.finish('A01');
    expect(w.current).toBeNull();
    expect(await store.callNext('A01')).toBeNull();
    const f = await store.figures();
    expect(f.windows.find((x) => x.windowId === 'A01')).toMatchObject({ tickets: 1, meanWaitMinutes: 2, meanServiceMinutes: 6, busyMinutes: 6, openMinutes: 8 });
  });

  it('a ticket is called at one window only, even with two windows calling', async () => {
    env = await makeQueue();
    const { store } = env;
    await store.issue({ groupId: 'social' });
    await store.openWindow('A01', staff);
    await store.openWindow('A02', staff);
    const [a, b] = await Promise.all([store.callNext('A01'), store.callNext('A02')]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
  });

  it('marks a no-show only after the configured recalls', async () => {
    env = await makeQueue();
    const { store, config } = env;
    expect(config.queue.recallsBeforeNoShow).toBe(2);
    await store.issue({ groupId: 'social' });
    await store.openWindow('A01', staff);
    await store.callNext('A01');
    await expect(store.noShow('A01')).rejects.toMatchObject({ code: 'conflict' });
    expect((await store.recall('A01')).recalls).toBe(1);
    await expect(store.noShow('A01')).rejects.toMatchObject({ code: 'conflict' });
    await store.recall('A01');
    const w = await store.noShow('A01');
    expect(w.current).toBeNull();
    expect((await store.tickets())[0].state).toBe('no-show');
    expect((await store.figures()).groups.find((g) => g.groupId === 'social')?.noShows).toBe(1);
  });

  it('a transferred ticket keeps its number and is called first at the new group', async () => {
    env = await makeQueue();
    const { store } = env;
    const a = await store.issue({ groupId: 'social' });
    await store.issue({ groupId: 'fund' });
    await store.issue({ groupId: 'fund', priority: 'military' });
    await store.openWindow('A01', staff);
    await store.openWindow('A06', staff);
    await store.callNext('A01');
    await store.start('A01');
    await expect(store.transfer('A01', 'social')).rejects.toMatchObject({ code: 'bad-request' });
    await store.transfer('A01', 'fund');
    const moved = await store.ticket(a.ticket.id);
    expect(moved).toMatchObject({ number: 'A001', groupId: 'fund', cls: 2, state: 'waiting', transfers: 1 });
    expect((await store.callNext('A06'))?.number).toBe('A001');
  });

  it('pause needs an idle window and stops calls; resume reopens', async () => {
    env = await makeQueue();
    const { store, clock } = env;
    await store.issue({ groupId: 'social' });
    await store.openWindow('A01', staff);
    await store.callNext('A01');
    await expect(store.pause('A01')).rejects.toMatchObject({ code: 'conflict' });
    await store.start('A01');
    await store.finish('A01');
    clock.advance(10 * MIN);
    await store.pause('A01');
    await store.issue({ groupId: 'social' });
    await expect(store.callNext('A01')).rejects.toMatchObject({ code: 'closed' });
    clock.advance(30 * MIN);
    await store.resume('A01');
    clock.advance(10 * MIN);
    expect((await store.callNext('A01'))?.number).toBe('A002');
    // Open 10 + 10 minutes; the 30 paused minutes do not count.
    expect((await store.figures()).windows.find((w) => w.windowId === 'A01')?.openMinutes).toBe(20);
  });

  it('interleaves priority tickets at the configured ratio', async () => {
    env = await makeQueue();
    const { store, clock } = env;
    for (let i = 0; i < 8; i++) await store.issue({ groupId: 'civil' });
    for (let i = 0; i < 3; i++) await store.issue({ groupId: 'civil', priority: 'disabled' });
    await store.openWindow('B06', staff);
    const order: string[] = [];
    for (;;) {
      const c = await store.callNext('B06');
      if (!c) break;
      const t = await store.ticket(c.ticketId);
      order.push(t!.cls ? 'p' : 'n');
      await store.start('B06');
      clock.advance(MIN);
      await store.finish('B06');
    }
    expect(order.join('')).toBe('pnnnpnnnpnn');
  });
});

describe('offline blocks', () => {
  it('reserves blocks from their own range that never meet the platform numbers', async () => {
    env = await makeQueue();
    const { store } = env;
    await store.issue({ groupId: 'social' });
    const b1 = await store.reserveBlock('kiosk-1', 'social');
    const b2 = await store.reserveBlock('teller-1', 'social');
    expect(b1).toMatchObject({ firstSeq: BLOCK_BASE, lastSeq: BLOCK_BASE + 99, prefix: 'A' });
    expect(b2.firstSeq).toBe(b1.lastSeq + 1);
    expect((await store.issue({ groupId: 'social' })).ticket.number).toBe('A002');
  });

  it('steps platform numbers over a block they reach', async () => {
    env = await makeQueue({ config: (c) => ({ ...c, queue: { ...c.queue, offlineBlockSize: 10 } }) });
    const { store, db } = env;
    const block = await store.reserveBlock('kiosk-1', 'fund');
    await db.run("UPDATE queue_counters SET next_seq = ? WHERE group_id = 'fund'", [block.firstSeq]);
    const t = await store.issue({ groupId: 'fund' });
    expect(t.ticket.seq).toBe(block.lastSeq + 1);
    const next = await store.reserveBlock('kiosk-1', 'fund');
    expect(next.firstSeq).toBeGreaterThan(t.ticket.seq);
  });

  it('imports an offline ticket once, in line by its issue time', async () => {
    env = await makeQueue();
    const { store, db, clock } = env;
    const block = await store.reserveBlock('kiosk-1', 'social');
    const issuedAt = new Date(clock.now()).toISOString();
    clock.advance(5 * MIN);
    await store.issue({ groupId: 'social' });
    const payload = { ticketId: 'b6f0c1d2-1111-4222-8333-944455556666', number: `A${block.firstSeq}`, groupId: 'social', offline: true, issuedAt, seq: block.firstSeq };
    expect(await db.tx((tx) => store.importOffline(tx, 'kiosk-1', payload))).toBe('recorded');
    expect(await db.tx((tx) => store.importOffline(tx, 'kiosk-1', payload))).toBe('duplicate');
    expect(await db.tx((tx) => store.inDeviceBlock(tx, 'kiosk-1', store.today(), 'social', block.firstSeq))).toBe(true);
    expect(await db.tx((tx) => store.inDeviceBlock(tx, 'teller-1', store.today(), 'social', block.firstSeq))).toBe(false);
    const clash = { ...payload, ticketId: 'b6f0c1d2-1111-4222-8333-944455557777' };
    expect(await db.tx((tx) => store.importOffline(tx, 'kiosk-1', clash))).toBe('collision');
    await store.openWindow('A01', staff);
    expect((await store.callNext('A01'))?.number).toBe(`A${block.firstSeq}`);
    const f = await store.figures();
    expect(f.issued.find((g) => g.groupId === 'social')).toEqual({ groupId: 'social', issued: 2, offline: 1 });
  });
});

describe('display snapshot', () => {
  it('shows current calls, recent calls and waiting counts', async () => {
    env = await makeQueue();
    const { store } = env;
    for (let i = 0; i < 3; i++) await store.issue({ groupId: 'police' });
    await store.openWindow('B02', staff);
    await store.callNext('B02');
    const s = await store.snapshot();
    expect(s.current).toEqual([expect.objectContaining({ number: 'C001', windowId: 'B02', state: 'called' })]);
    expect(s.groups.find((g) => g.groupId === 'police')).toMatchObject({ waiting: 2, prefix: 'C' });
    expect(s.windows.find((w) => w.windowId === 'B02')).toMatchObject({ state: 'open', current: 'C001' });
  });
});
