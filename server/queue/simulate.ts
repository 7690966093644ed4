/**
 * A simulated hall day on a real queue: visitors arrive at random (seeded), windows call,
 * recall, start, finish, transfer and pause as staff do, on a manual clock so a day takes
 * seconds. It keeps its own record of what it saw (who waited when each call was made,
 * when each window was open) so tests and benchmarks can recompute the figures
 * independently and check the queue's rules held.
 */
import type { ManualClock } from '../../protocol/clock.ts';
import { hallInstant } from '../../protocol/clock.ts';
import type { AppointmentBook } from './appointments.ts';
import { idKeyOf } from '../../protocol/id-key.ts';
import type { PriorityReason, TicketClass } from '../../protocol/queue-views.ts';
import type { QueueStore } from './store.ts';

/** mulberry32: small, fast and the same on every machine for a seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SimOptions {
  store: QueueStore;
  clock: ManualClock;
  appointments?: AppointmentBook;
  day: string;
  tickets: number;
  seed: number;
  /** Shares of visitors: priority (elderly, disabled, military), no-shows, transfers. */
  priorityShare?: number;
  noShowShare?: number;
  transferShare?: number;
  /** Visitors who booked ahead and check in on the day. */
  appointmentCount?: number;
  /** Windows that take a lunch pause 12:00–13:00. */
  lunchPauses?: number;
  stepMs?: number;
  /** Service time scale against each group's default minutes. */
  serviceScale?: number;
}

/** What waited (for the calling window) just before a call, earliest of each class. */
export interface CallWitness {
  windowId: string;
  ticketId: string;
  cls: TicketClass;
  earliest: Partial<Record<TicketClass, string>>;
}

export interface SimResult {
  issued: { id: string; number: string; homeGroupId: string; priority: PriorityReason | null; issuedAt: number }[];
  witnesses: CallWitness[];
  /** The simulator's own account of each call. */
  calls: { ticketId: string; windowId: string; groupId: string; queuedAt: number; calledAt: number; startedAt: number | null; endedAt: number; outcome: 'done' | 'no-show' | 'transfer' }[];
  open: { windowId: string; start: number; end: number }[];
  /** Windows that held a ticket another window also held at the same moment. */
  doubleHeld: number;
  noShows: number;
  transfers: number;
  checkIns: number;
  end: number;
  /** Wall-clock milliseconds spent in queue operations, and how many there were. */
  opsMs: number;
  ops: number;
}

interface Waiting {
  id: string;
  groupId: string;
  cls: TicketClass;
  queuedAt: number;
  seq: number;
}

type WindowSim =
  | { state: 'idle' }
  | { state: 'called'; ticketId: string; groupId: string; queuedAt: number; calledAt: number; recalls: number; noShow: boolean; transfer: boolean; serviceMs: number }
  | { state: 'serving'; ticketId: string; groupId: string; queuedAt: number; calledAt: number; startedAt: number; transfer: boolean; serviceMs: number }
  | { state: 'paused' };

const MIN = 60_000;
/** Simulated citizens' keys: any fixed secret will do, the numbers are made up. */
const SIMULATION_KEY = 'xiaojin-simulated-hall-secret-0000000';

export async function simulateDay(o: SimOptions): Promise<SimResult> {
  const { store, clock } = o;
  const rand = rng(o.seed);
  const step = o.stepMs ?? 15_000;
  const config = store.config;
  const groups = config.hall.groups;
  const windows = config.hall.windows;
  const weights = groups.map((g) => windows.filter((w) => w.groups.includes(g.id)).length);
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const pickGroup = () => {
    let r = rand() * totalWeight;
    for (let i = 0; i < groups.length; i++) if ((r -= weights[i]) < 0) return groups[i];
    return groups[groups.length - 1];
  };
  const serviceMs = (groupId: string) => {
    const g = groups.find((x) => x.id === groupId)!;
    // Log-normal around the scaled default, with the odd case that takes far longer.
    const z = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    const factor = rand() < 0.01 ? 6 : Math.exp(0.35 * z);
    return Math.max(MIN, g.defaultServiceMinutes * (o.serviceScale ?? 0.5) * factor * MIN);
  };

  const result: SimResult = { issued: [], witnesses: [], calls: [], open: [], doubleHeld: 0, noShows: 0, transfers: 0, checkIns: 0, end: 0, opsMs: 0, ops: 0 };
  const timed = async <T>(fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      result.opsMs += performance.now() - t0;
      result.ops++;
    }
  };

  const open = hallInstant(o.day, '09:00');
  const lastArrival = hallInstant(o.day, '16:30');

  // Appointments are booked the day before, then checked in on arrival.
  const appointmentCount = Math.min(o.appointmentCount ?? 0, o.tickets);
  const checkIns: { at: number; idKey: string }[] = [];
  if (appointmentCount && o.appointments) {
    const saved = clock.now();
    clock.set(open - 24 * 3600_000);
    const items = ['GZ-SB-001', 'GZ-GJJ-001', 'GZ-GA-001', 'GZ-MZ-001', 'GZ-BDC-001', 'GZ-SC-001'];
    let n = 0;
    for (let i = 0; n < appointmentCount && i < appointmentCount * 4; i++) {
      const itemCode = items[i % items.length];
      const slots = config.appointments.slots;
      const slot = slots[Math.floor(rand() * slots.length)];
      const idKey = idKeyOf(`44010619800101${String(1000 + i).padStart(4, '0')}`, SIMULATION_KEY);
      try {
        await o.appointments.book({ itemCode, date: o.day, start: slot.start, idKey });
        checkIns.push({ at: hallInstant(o.day, slot.start) - Math.floor(rand() * 30) * MIN, idKey });
        n++;
      } catch {
        // A full slot: this visitor books another one.
      }
    }
    clock.set(saved);
  }

  const walkIns = o.tickets - checkIns.length;
  const arrivals: { at: number; kind: 'walk-in' | 'check-in'; idKey?: string }[] = [];
  for (let i = 0; i < walkIns; i++) arrivals.push({ at: open + Math.floor(rand() * (lastArrival - open)), kind: 'walk-in' });
  for (const c of checkIns) arrivals.push({ at: Math.max(open, c.at), kind: 'check-in', idKey: c.idKey });
  arrivals.sort((a, b) => a.at - b.at);

  const waiting = new Map<string, Waiting>();
  const sims = new Map<string, WindowSim>(windows.map((w) => [w.id, { state: 'idle' }]));
  const openSince = new Map<string, number>();
  const holder = new Map<string, string>();
  const fate = new Map<string, { noShow: boolean; transfer: boolean }>();

  clock.set(open);
  for (const w of windows) {
    await timed(() => store.openWindow(w.id, { id: 'sim', name: '模拟' }));
    openSince.set(w.id, open);
  }
  const lunchPausers = new Set(windows.slice(0, o.lunchPauses ?? 0).map((w) => w.id));
  const lunch = hallInstant(o.day, '12:00');
  const afterLunch = hallInstant(o.day, '13:00');

  let next = 0;
  for (let now = open; ; now = clock.advance(step)) {
    while (next < arrivals.length && arrivals[next].at <= now) {
      const a = arrivals[next++];
      let status;
      if (a.kind === 'check-in' && o.appointments) {
        try {
          status = (await timed(() => o.appointments!.checkIn(a.idKey!))).ticket;
          result.checkIns++;
        } catch {
          status = await timed(() => store.issue({ groupId: pickGroup().id }));
        }
      } else {
        const priority: PriorityReason | undefined = rand() < (o.priorityShare ?? 0.08) ? (['elderly', 'disabled', 'military'] as const)[Math.floor(rand() * 3)] : undefined;
        status = await timed(() => store.issue({ groupId: pickGroup().id, priority }));
      }
      const t = status.ticket;
      result.issued.push({ id: t.id, number: t.number, homeGroupId: t.homeGroupId, priority: t.priority, issuedAt: t.issuedAt });
      waiting.set(t.id, { id: t.id, groupId: t.groupId, cls: t.cls, queuedAt: t.queuedAt, seq: t.seq });
      fate.set(t.id, { noShow: rand() < (o.noShowShare ?? 0.03), transfer: rand() < (o.transferShare ?? 0.02) });
    }

    for (const w of windows) {
      const sim = sims.get(w.id)!;
      if (sim.state === 'paused') {
        if (now >= afterLunch) {
          await timed(() => store.resume(w.id));
          openSince.set(w.id, now);
          sims.set(w.id, { state: 'idle' });
        }
        continue;
      }
      if (sim.state === 'idle') {
        if (lunchPausers.has(w.id) && now >= lunch && now < afterLunch) {
          await timed(() => store.pause(w.id));
          result.open.push({ windowId: w.id, start: openSince.get(w.id)!, end: now });
          openSince.delete(w.id);
          sims.set(w.id, { state: 'paused' });
          continue;
        }
        const mine = [...waiting.values()].filter((x) => w.groups.includes(x.groupId));
        if (!mine.length) continue;
        const earliest: Partial<Record<TicketClass, string>> = {};
        for (const cls of [0, 1, 2] as TicketClass[]) {
          const first = mine.filter((x) => x.cls === cls).sort((a, b) => a.queuedAt - b.queuedAt || a.seq - b.seq)[0];
          if (first) earliest[cls] = first.id;
        }
        const call = await timed(() => store.callNext(w.id));
        if (!call) throw new Error(`window ${w.id} found nobody while ${mine.length} waited for it`);
        const t = waiting.get(call.ticketId);
        if (!t) throw new Error(`window ${w.id} called ${call.number}, which was not waiting`);
        waiting.delete(call.ticketId);
        if (holder.has(call.ticketId)) result.doubleHeld++;
        holder.set(call.ticketId, w.id);
        result.witnesses.push({ windowId: w.id, ticketId: call.ticketId, cls: t.cls, earliest });
        const f = fate.get(call.ticketId)!;
        sims.set(w.id, {
          state: 'called',
          ticketId: call.ticketId,
          groupId: t.groupId,
          queuedAt: t.queuedAt,
          calledAt: now,
          recalls: 0,
          noShow: f.noShow,
          transfer: f.transfer && t.cls !== 2,
          serviceMs: serviceMs(t.groupId),
        });
        continue;
      }
      if (sim.state === 'called') {
        const since = now - sim.calledAt;
        if (!sim.noShow) {
          if (since >= 30_000) {
            await timed(() => store.start(w.id));
            sims.set(w.id, { state: 'serving', ticketId: sim.ticketId, groupId: sim.groupId, queuedAt: sim.queuedAt, calledAt: sim.calledAt, startedAt: now, transfer: sim.transfer, serviceMs: sim.serviceMs });
          }
        } else if (sim.recalls < config.queue.recallsBeforeNoShow) {
          if (since >= (sim.recalls + 1) * MIN) {
            await timed(() => store.recall(w.id));
            sim.recalls++;
          }
        } else if (since >= (sim.recalls + 1) * MIN) {
          await timed(() => store.noShow(w.id));
          result.calls.push({ ticketId: sim.ticketId, windowId: w.id, groupId: sim.groupId, queuedAt: sim.queuedAt, calledAt: sim.calledAt, startedAt: null, endedAt: now, outcome: 'no-show' });
          result.noShows++;
          holder.delete(sim.ticketId);
          sims.set(w.id, { state: 'idle' });
        }
        continue;
      }
      if (sim.state === 'serving' && now - sim.startedAt >= sim.serviceMs) {
        holder.delete(sim.ticketId);
        if (sim.transfer) {
          const others = groups.filter((g) => g.id !== sim.groupId);
          const to = others[Math.floor(rand() * others.length)];
          await timed(() => store.transfer(w.id, to.id));
          result.calls.push({ ticketId: sim.ticketId, windowId: w.id, groupId: sim.groupId, queuedAt: sim.queuedAt, calledAt: sim.calledAt, startedAt: sim.startedAt, endedAt: now, outcome: 'transfer' });
          result.transfers++;
          const t = (await store.ticket(sim.ticketId))!;
          waiting.set(t.id, { id: t.id, groupId: t.groupId, cls: t.cls, queuedAt: t.queuedAt, seq: t.seq });
          fate.set(t.id, { noShow: false, transfer: false });
        } else {
          await timed(() => store.finish(w.id));
          result.calls.push({ ticketId: sim.ticketId, windowId: w.id, groupId: sim.groupId, queuedAt: sim.queuedAt, calledAt: sim.calledAt, startedAt: sim.startedAt, endedAt: now, outcome: 'done' });
        }
        sims.set(w.id, { state: 'idle' });
      }
    }

    const busy = [...sims.values()].some((s) => s.state === 'called' || s.state === 'serving');
    if (next >= arrivals.length && !waiting.size && !busy && now >= afterLunch) break;
    if (now > hallInstant(o.day, '23:00')) throw new Error(`the simulated day did not end: ${waiting.size} still waiting`);
  }

  const end = clock.now();
  for (const w of windows) {
    const since = openSince.get(w.id);
    if (since !== undefined) result.open.push({ windowId: w.id, start: since, end });
    if (sims.get(w.id)!.state === 'paused') await timed(() => store.resume(w.id));
    await timed(() => store.closeWindow(w.id));
  }
  result.end = end;
  return result;
}
