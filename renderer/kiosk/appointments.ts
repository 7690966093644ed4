/**
 * What the queue and appointment screens decide without drawing anything: which days
 * and slots a citizen can pick, which appointment is due today, when its check-in
 * opens, whether a ticket made it onto paper, and which plain sentence a refusal gets.
 * Pure, so the screens and the unit tests share it; it must not import the API bridge
 * (that opens a socket on import).
 */
import type { AppointmentDayView, AppointmentView, SlotView } from '../../protocol/ui/domains/queue.ts';
import type { DeviceHealth } from '../../protocol/ui/domains/kiosk.ts';

/** The platform's check-in window around a slot (server/queue/appointments.ts). */
export const CHECK_IN_EARLY_MINUTES = 60;
export const CHECK_IN_LATE_MINUTES = 30;

// Halls keep China Standard Time, which has no daylight saving, so a fixed offset is exact
// whatever time zone the kiosk's browser was set up with.
const CST_OFFSET_MS = 8 * 3600_000;

/** The hall's calendar day (YYYY-MM-DD) at an instant. */
export function hallDay(ms: number): string {
  return new Date(ms + CST_OFFSET_MS).toISOString().slice(0, 10);
}

export function addMinutes(hhmm: string, minutes: number): string {
  const [h, m] = hhmm.split(':').map(Number);
  const total = Math.min(24 * 60 - 1, Math.max(0, h * 60 + m + minutes));
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

export function checkInWindow(slot: { start: string; end: string }): { opens: string; closes: string } {
  return { opens: addMinutes(slot.start, -CHECK_IN_EARLY_MINUTES), closes: addMinutes(slot.end, CHECK_IN_LATE_MINUTES) };
}

export type DayStatus = 'open' | 'full' | 'closed';

export interface DayChoice {
  date: string;
  status: DayStatus;
  /** Why the hall is shut, as the platform words it (国庆节, 非办公日). */
  reason?: string;
  /** Places left over the slots that can still be booked. */
  available: number;
  slots: SlotView[];
}

/**
 * A day is closed when the hall is shut or offers no slot at all (a day that opens after
 * the last slot); it is full when every slot has started or is taken.
 */
export function dayChoices(days: AppointmentDayView[]): DayChoice[] {
  return days.map((d) => {
    if (!d.open || d.slots.length === 0) return { date: d.date, status: 'closed', reason: d.reason, available: 0, slots: d.slots };
    const available = d.slots.filter((s) => s.bookable).reduce((sum, s) => sum + s.available, 0);
    return { date: d.date, status: available > 0 ? 'open' : 'full', available, slots: d.slots };
  });
}

export interface DateParts {
  month: number;
  day: number;
  /** 0 Sunday … 6 Saturday, as Date#getUTCDay counts. */
  weekday: number;
  /** 0 today, 1 tomorrow, 2 the day after; negative for days gone by. */
  offset: number;
}

export function dateParts(date: string, today: string): DateParts {
  const at = Date.parse(`${date}T00:00:00Z`);
  const d = new Date(at);
  return {
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    weekday: d.getUTCDay(),
    offset: Math.round((at - Date.parse(`${today}T00:00:00Z`)) / 86400_000),
  };
}

/** Appointments the citizen can check in for today, earliest slot first. */
export function dueToday(list: AppointmentView[], today: string): AppointmentView[] {
  return list.filter((a) => a.state === 'booked' && a.date === today).sort((a, b) => a.slot.start.localeCompare(b.slot.start));
}

/** Booked first (soonest on top), then checked in, then cancelled: what the citizen can still act on leads. */
export function sortForList(list: AppointmentView[]): AppointmentView[] {
  const rank = { booked: 0, 'checked-in': 1, cancelled: 2 } as const;
  return [...list].sort((a, b) => rank[a.state] - rank[b.state] || a.date.localeCompare(b.date) || a.slot.start.localeCompare(b.slot.start));
}

/** Refusals a citizen can act on, each with its own plain sentence on screen. */
export type Problem = 'full' | 'closed' | 'taken' | 'not-found' | 'not-signed-in' | 'offline' | 'unavailable' | 'failed';

/**
 * The kiosk host turns a platform refusal into 'not-found', 'bad-input' or 'conflict'
 * and keeps the platform's own code in detail.reason ('full', 'closed', 'conflict').
 */
export function problemOf(err: unknown): Problem {
  if (!err || typeof err !== 'object' || !('code' in err)) return 'failed';
  const code = String((err as { code: unknown }).code);
  const detail = (err as { detail?: unknown }).detail;
  const reason = detail && typeof detail === 'object' && 'reason' in detail ? String((detail as { reason: unknown }).reason) : undefined;
  if (code === 'offline') return 'offline';
  // A terminal the platform gives no ID key (a load or display device) cannot book at all.
  if (code === 'unavailable') return 'unavailable';
  if (code === 'not-signed-in') return 'not-signed-in';
  if (code === 'not-found') return 'not-found';
  if (reason === 'full') return 'full';
  if (reason === 'closed') return 'closed';
  if (reason === 'conflict') return 'taken';
  return 'failed';
}

/** What happened to the paper ticket. */
export type PaperState = 'printed' | 'paper-out' | 'unavailable';

/**
 * Why the printer cannot take a ticket now, or null when it can. An empty roll is named
 * before anything else: the host reports a printer without paper as faulty too, and "out
 * of paper" is the sentence a citizen (and the staff they call) can act on.
 */
export function printerTrouble(devices: Pick<DeviceHealth, 'kind' | 'state' | 'paper'>[]): Exclude<PaperState, 'printed'> | null {
  const d = devices.find((x) => x.kind === 'printer');
  if (d?.paper === 'out') return 'paper-out';
  if (!d || d.state === 'absent' || d.state === 'faulty') return 'unavailable';
  return null;
}

/**
 * A ticket is on paper when the job went through. Otherwise the job's own cause (or, from
 * a terminal that sends none, its recorded reason) or the printer's health as the kiosk
 * last heard it, which may lag a moment behind, tells whether paper or the printer itself
 * is the trouble.
 */
export function paperState(job: { state: string; cause?: string; reason?: string } | undefined, trouble: Exclude<PaperState, 'printed'> | null): PaperState {
  if (job && (job.state === 'done' || job.state === 'printing' || job.state === 'queued')) return 'printed';
  if (job?.cause === 'paper-out' || (job?.reason && /缺纸|out of paper/i.test(job.reason))) return 'paper-out';
  return trouble ?? 'unavailable';
}
