/**
 * The queue's time source. Everything that reads "now" takes a Clock, so a simulated
 * day can run in milliseconds and tests can stand at 09:00 on a chosen date.
 */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** The variable a soak run sets so every process of the hall reads one sped-up hall clock. */
export const SIM_CLOCK_ENV = 'XIAOJIN_SIM_CLOCK';

export interface SimClockSpec {
  /** The hall instant the simulated clock showed at realStartMs. */
  simStartMs: number;
  /** The wall instant (ms since epoch) the simulation started. */
  realStartMs: number;
  /** Simulated ms per wall ms. */
  speed: number;
}

/** A hall clock running `speed` times faster than the wall from a common start. */
export function scaledClock(spec: SimClockSpec, wall: Clock = systemClock): Clock {
  return { now: () => Math.floor(spec.simStartMs + (wall.now() - spec.realStartMs) * spec.speed) };
}

/** "simStartMs,realStartMs,speed" as the soak runner writes it into XIAOJIN_SIM_CLOCK. */
export function formatSimClock(spec: SimClockSpec): string {
  return `${spec.simStartMs},${spec.realStartMs},${spec.speed}`;
}

export function parseSimClock(value: string): SimClockSpec {
  const parts = value.split(',').map((p) => Number(p.trim()));
  const [simStartMs, realStartMs, speed] = parts;
  if (parts.length !== 3 || !Number.isSafeInteger(simStartMs) || !Number.isSafeInteger(realStartMs) || !(speed > 0 && speed <= 100_000)) {
    throw new Error(`${SIM_CLOCK_ENV} must be "simStartMs,realStartMs,speed" (whole milliseconds since 1970 and a speed from above 0 to 100000), got "${value}"`);
  }
  return { simStartMs, realStartMs, speed };
}

let processClockCache: Clock | undefined;

/**
 * The clock this process's hall runs on: the wall clock, or the soak run's shared sped-up
 * clock when XIAOJIN_SIM_CLOCK is set. Read once; screens (no `process`) get the wall clock.
 */
export function processClock(): Clock {
  if (processClockCache) return processClockCache;
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const value = env?.[SIM_CLOCK_ENV];
  processClockCache = value ? scaledClock(parseSimClock(value)) : systemClock;
  return processClockCache;
}

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
 * ManualClock without restarting the server. By default it is the process's clock.
 */
export class SwitchableClock implements Clock {
  constructor(public source: Clock = processClock()) {}
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
