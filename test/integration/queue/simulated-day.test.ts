/**
 * A whole hall day on the real platform (SQLite, HTTP): about 2,000 visitors over the 30
 * windows, checked against the simulator's own record of what happened.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../../server/app.ts';
import { queueOf } from '../../../server/queue/index.ts';
import { ManualClock, hallInstant } from '../../../protocol/clock.ts';
import { percentile } from '../../../server/queue/engine.ts';
import { simulateDay, type SimResult } from '../../../server/queue/simulate.ts';
import type { TicketClass } from '../../../protocol/queue-views.ts';

const DAY = '2026-09-29';
let server: RunningServer;
let dir: string;
let sim: SimResult;
let cookie: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xj-simday-'));
  server = await startServer({ port: 0, dataDir: dir, logLevel: 'warn', staticDir: join(dir, 'none'), seedAdmin: { username: 'admin', password: 'correct-horse-9' } });
  const queue = queueOf(server.ctx)!;
  const clock = new ManualClock(hallInstant(DAY, '08:00'));
  queue.clock.source = clock;
  sim = await simulateDay({ store: queue.store, appointments: queue.appointments, clock, day: DAY, tickets: 2000, seed: 20260929, appointmentCount: 60, lunchPauses: 10 });
  const login = await fetch(`${server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'correct-horse-9' }) });
  cookie = login.headers.get('set-cookie')!.split(';')[0];
}, 300_000);

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const figures = async () => {
  const r = await fetch(`${server.url}/api/queue/figures?day=${DAY}`, { headers: { cookie } });
  expect(r.status).toBe(200);
  return (await r.json()) as {
    windows: { windowId: string; tickets: number; noShows: number; meanWaitMinutes: number | null; p95WaitMinutes: number | null; busyMinutes: number; openMinutes: number; utilisation: number | null }[];
    groups: { groupId: string; tickets: number; meanWaitMinutes: number | null; p95WaitMinutes: number | null }[];
    total: { tickets: number; calls: number; noShows: number; transfers: number };
    issued: { groupId: string; issued: number; offline: number }[];
  };
};

describe('a simulated day', () => {
  it('ran the planned day: 2,000 visitors, check-ins, no-shows and transfers', () => {
    expect(sim.issued).toHaveLength(2000);
    expect(sim.checkIns).toBeGreaterThan(30);
    expect(sim.noShows).toBeGreaterThan(20);
    expect(sim.transfers).toBeGreaterThan(10);
  });

  it('lost no ticket: every one ended served or as a no-show', async () => {
    const tickets = await queueOf(server.ctx)!.store.tickets(DAY);
    expect(tickets).toHaveLength(2000);
    const states = new Map<string, number>();
    for (const t of tickets) states.set(t.state, (states.get(t.state) ?? 0) + 1);
    expect(states.get('done')! + states.get('no-show')!).toBe(2000);
    expect(states.get('no-show')).toBe(sim.noShows);
  });

  it('issued no number twice', async () => {
    const tickets = await queueOf(server.ctx)!.store.tickets(DAY);
    expect(new Set(tickets.map((t) => t.number)).size).toBe(tickets.length);
    for (const t of tickets) expect(t.number.startsWith(queueOf(server.ctx)!.store.group(t.homeGroupId).prefix)).toBe(true);
  });

  it('called each ticket at one window at a time', async () => {
    expect(sim.doubleHeld).toBe(0);
    const calls = await queueOf(server.ctx)!.store.calls(DAY);
    const byTicket = new Map<string, { calledAt: number; endedAt: number | null }[]>();
    for (const c of calls) byTicket.set(c.ticketId, [...(byTicket.get(c.ticketId) ?? []), c]);
    for (const list of byTicket.values()) {
      list.sort((a, b) => a.calledAt - b.calledAt);
      for (let i = 1; i < list.length; i++) expect(list[i].calledAt).toBeGreaterThanOrEqual(list[i - 1].endedAt!);
    }
  });

  it('held the priority ratio at every window', () => {
    const ratio = server.ctx.config.config.queue.priorityRatio;
    const streak = new Map<string, number>();
    let priorityCalls = 0;
    for (const w of sim.witnesses) {
      const s = streak.get(w.windowId) ?? ratio;
      let expected: TicketClass;
      if (w.earliest[2]) expected = 2;
      else if (w.earliest[1] && (!w.earliest[0] || s >= ratio)) expected = 1;
      else expected = 0;
      expect({ window: w.windowId, cls: w.cls }).toEqual({ window: w.windowId, cls: expected });
      expect(w.ticketId).toBe(w.earliest[expected]);
      if (expected === 1) {
        streak.set(w.windowId, 0);
        priorityCalls++;
      } else if (expected === 0) streak.set(w.windowId, s + 1);
    }
    expect(priorityCalls).toBeGreaterThan(100);
  });

  it('computes waits, service counts and utilisation as an independent recount does', async () => {
    const f = await figures();
    const round = (x: number) => Math.round(x * 100) / 100;
    for (const w of f.windows) {
      const mine = sim.calls.filter((c) => c.windowId === w.windowId);
      const busy = mine.reduce((s, c) => s + (c.endedAt - c.calledAt), 0) / 60_000;
      const open = sim.open.filter((o) => o.windowId === w.windowId).reduce((s, o) => s + (o.end - o.start), 0) / 60_000;
      const waits = mine.map((c) => (c.calledAt - c.queuedAt) / 60_000);
      expect(w.tickets).toBe(mine.filter((c) => c.outcome === 'done').length);
      expect(w.noShows).toBe(mine.filter((c) => c.outcome === 'no-show').length);
      expect(w.busyMinutes).toBeCloseTo(round(busy), 2);
      expect(w.openMinutes).toBeCloseTo(round(open), 2);
      expect(w.utilisation!).toBeCloseTo(busy / open, 2);
      expect(w.utilisation!).toBeLessThanOrEqual(1);
      if (waits.length) {
        expect(w.meanWaitMinutes!).toBeCloseTo(round(waits.reduce((a, b) => a + b, 0) / waits.length), 2);
        expect(w.p95WaitMinutes!).toBeCloseTo(round(percentile(waits, 95)), 2);
      }
    }
    for (const g of f.groups) {
      const waits = sim.calls.filter((c) => c.groupId === g.groupId).map((c) => (c.calledAt - c.queuedAt) / 60_000);
      if (waits.length) expect(g.p95WaitMinutes!).toBeCloseTo(round(percentile(waits, 95)), 2);
    }
    expect(f.total.tickets).toBe(2000 - sim.noShows);
    expect(f.total.transfers).toBe(sim.transfers);
    expect(f.issued.reduce((s, g) => s + g.issued, 0)).toBe(2000);
  });

  it('serves the display state and the figures only to staff', async () => {
    const display = await fetch(`${server.url}/api/queue/display`);
    expect(display.status).toBe(200);
    const body = (await display.json()) as { recent: unknown[]; groups: { waiting: number }[] };
    expect(body.recent.length).toBeGreaterThan(0);
    expect(body.groups.every((g) => g.waiting === 0)).toBe(true);
    expect((await fetch(`${server.url}/api/queue/figures`)).status).toBe(401);
  });
});
