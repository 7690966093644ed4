/**
 * The queue's rules as pure functions over plain rows: who is called next, how numbers
 * read, how long a wait is likely to be and what the day's figures are. The store feeds
 * them rows from the database; tests feed them rows directly.
 */
import type { CallOutcome, PriorityReason, TicketClass } from '../../protocol/queue-views.ts';

export interface WaitingTicket {
  id: string;
  groupId: string;
  cls: TicketClass;
  /** When the ticket joined its current group's line (issue time, or transfer time). */
  queuedAt: number;
  seq: number;
}

export function classOf(priority: PriorityReason | null | undefined): TicketClass {
  return priority ? 1 : 0;
}

/** A01 style: at least three digits, more once a day passes 999. */
export function ticketNumber(prefix: string, seq: number): string {
  return `${prefix}${String(seq).padStart(3, '0')}`;
}

const byArrival = (a: WaitingTicket, b: WaitingTicket) => a.queuedAt - b.queuedAt || a.seq - b.seq || (a.id < b.id ? -1 : 1);

export interface NextChoice {
  ticket: WaitingTicket;
  /** Normal calls since the window last called a priority ticket, after this call. */
  streak: number;
}

/**
 * Picks the next ticket for a window serving `groups`. Returned (transferred) tickets go
 * first: they have already waited once. Between priority and normal tickets, one
 * priority ticket is called for every `ratio` normal ones while both wait, so priority
 * visitors skip the line without the line ever stopping. `streak` counts normal calls
 * since the window's last priority call; a window starts with streak = ratio so a
 * waiting priority visitor is first.
 */
export function chooseNext(waiting: readonly WaitingTicket[], groups: readonly string[], streak: number, ratio: number): NextChoice | null {
  const serves = new Set(groups);
  let returned: WaitingTicket | null = null;
  let priority: WaitingTicket | null = null;
  let normal: WaitingTicket | null = null;
  for (const t of waiting) {
    if (!serves.has(t.groupId)) continue;
    if (t.cls === 2) {
      if (!returned || byArrival(t, returned) < 0) returned = t;
    } else if (t.cls === 1) {
      if (!priority || byArrival(t, priority) < 0) priority = t;
    } else if (!normal || byArrival(t, normal) < 0) normal = t;
  }
  if (returned) return { ticket: returned, streak };
  if (priority && (!normal || streak >= ratio)) return { ticket: priority, streak: 0 };
  if (normal) return { ticket: normal, streak: streak + 1 };
  return null;
}

/**
 * How many waiting tickets of the same group stand before `t` in the order calls take:
 * every returned ticket, the priority tickets before it (for a priority ticket) or all
 * earlier tickets of its class (for a normal one, plus the priority tickets waiting).
 */
export function peopleAhead(waiting: readonly WaitingTicket[], t: Pick<WaitingTicket, 'groupId' | 'cls' | 'queuedAt' | 'seq' | 'id'>): number {
  let n = 0;
  for (const w of waiting) {
    if (w.id === t.id || w.groupId !== t.groupId) continue;
    if (w.cls > t.cls) n++;
    else if (w.cls === t.cls && byArrival(w, t as WaitingTicket) < 0) n++;
  }
  return n;
}

export function median(values: readonly number[]): number {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Nearest-rank percentile (p in 0..100) of a sample; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * s.length));
  return s[Math.min(rank, s.length) - 1];
}

export const MIN_SAMPLES = 5;

/**
 * Minutes a window spends per visitor in a group, from recent service times. The median
 * ignores the one two-hour property transfer that would drag a mean up for the rest of
 * the morning; before the hall has MIN_SAMPLES of its own, the configured default holds.
 */
export function serviceMinutes(recentMs: readonly number[], defaultMinutes: number): number {
  const valid = recentMs.filter((ms) => Number.isFinite(ms) && ms >= 0);
  if (valid.length < MIN_SAMPLES) return defaultMinutes;
  return median(valid) / 60_000;
}

/** Expected wait for someone with `ahead` people before them, served by `servers` windows. */
export function estimateWaitMinutes(ahead: number, perVisitorMinutes: number, servers: number): number {
  return Math.round((ahead * perVisitorMinutes) / Math.max(1, servers));
}

// ---------------------------------------------------------------- figures

export interface CallRecord {
  ticketId: string;
  windowId: string;
  groupId: string;
  queuedAt: number;
  calledAt: number;
  startedAt: number | null;
  endedAt: number | null;
  outcome: CallOutcome | null;
}

/** An interval when a window was open for business (not paused, not closed). */
export interface OpenInterval {
  windowId: string;
  start: number;
  end: number | null;
}

export interface Figures {
  /** Tickets completed. */
  tickets: number;
  calls: number;
  noShows: number;
  transfers: number;
  meanWaitMinutes: number | null;
  p95WaitMinutes: number | null;
  meanServiceMinutes: number | null;
}

export interface WindowFigures extends Figures {
  windowId: string;
  busyMinutes: number;
  openMinutes: number;
  /** busy time / open time, 0..1; null when the window never opened. */
  utilisation: number | null;
}

export interface GroupFigures extends Figures {
  groupId: string;
}

export interface DayFigures {
  windows: WindowFigures[];
  groups: GroupFigures[];
  total: Figures;
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const minutes = (ms: number) => ms / 60_000;

function figuresOf(calls: readonly CallRecord[]): Figures {
  const waits = calls.map((c) => minutes(c.calledAt - c.queuedAt));
  const services = calls.filter((c) => c.outcome === 'done' && c.startedAt !== null && c.endedAt !== null).map((c) => minutes(c.endedAt! - c.startedAt!));
  const mean = (v: number[]) => (v.length ? round2(v.reduce((a, b) => a + b, 0) / v.length) : null);
  return {
    tickets: calls.filter((c) => c.outcome === 'done').length,
    calls: calls.length,
    noShows: calls.filter((c) => c.outcome === 'no-show').length,
    transfers: calls.filter((c) => c.outcome === 'transfer').length,
    meanWaitMinutes: mean(waits),
    p95WaitMinutes: waits.length ? round2(percentile(waits, 95)) : null,
    meanServiceMinutes: mean(services),
  };
}

/**
 * The day's figures. Waits are from joining a line to being called (a transferred
 * ticket's second line counts as its own wait); service is start to finish; a window is
 * busy from calling a ticket until it ends, and open while staffed and not paused.
 */
export function computeFigures(calls: readonly CallRecord[], open: readonly OpenInterval[], windowIds: readonly string[], groupIds: readonly string[], now: number): DayFigures {
  const windows = windowIds.map((windowId): WindowFigures => {
    const mine = calls.filter((c) => c.windowId === windowId);
    const busyMs = mine.reduce((s, c) => s + Math.max(0, (c.endedAt ?? now) - c.calledAt), 0);
    const openMs = open.filter((o) => o.windowId === windowId).reduce((s, o) => s + Math.max(0, (o.end ?? now) - o.start), 0);
    return {
      windowId,
      ...figuresOf(mine),
      busyMinutes: round2(minutes(busyMs)),
      openMinutes: round2(minutes(openMs)),
      utilisation: openMs > 0 ? Math.round((busyMs / openMs) * 1000) / 1000 : null,
    };
  });
  const groups = groupIds.map((groupId): GroupFigures => ({ groupId, ...figuresOf(calls.filter((c) => c.groupId === groupId)) }));
  return { windows, groups, total: figuresOf(calls) };
}
