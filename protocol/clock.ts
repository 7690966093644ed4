/**
 * The queue's time source. Everything that reads "now" takes a Clock, so a simulated
 * day can run in milliseconds and tests can stand at 09:00 on a chosen date.
 */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to. */
export class ManualClock implements Clock {
  constructor(private ms: number) {}
  now(): number {
    return this.ms;
  }
  set(ms: number): void {
    this.ms = ms;
  }
  advance(ms: number): number {
    this.ms += ms;
    return this.ms;
  }
}

/**
 * The clock a running platform reads through: tests and benchmarks swap in a
 * ManualClock without restarting the server.
 */
export class SwitchableClock implements Clock {
  constructor(public source: Clock = systemClock) {}
  now(): number {
    return this.source.now();
  }
}

// Halls run on China Standard Time, which has no daylight saving: a fixed offset is exact.
const CST_OFFSET_MS = 8 * 3600_000;

/** The hall's calendar day (YYYY-MM-DD) at an instant; ticket numbers reset with it. */
export function hallDay(ms: number): string {
  return new Date(ms + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/** HH:MM in hall time at an instant. */
export function hallTime(ms: number): string {
  return new Date(ms + CST_OFFSET_MS).toISOString().slice(11, 16);
}

/** The instant of a hall-local date and HH:MM. */
export function hallInstant(day: string, hhmm = '00:00'): number {
  return Date.parse(`${day}T${hhmm}:00.000Z`) - CST_OFFSET_MS;
}

/** ISO weekday (1 Monday … 7 Sunday) of a hall-local date. */
export function isoWeekday(day: string): number {
  const d = new Date(`${day}T00:00:00.000Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + n * 86400_000).toISOString().slice(0, 10);
}
