/**
 * What the soak run's parts agree on: a fault class the runner can inject and watch
 * recover, and the summary a run leaves behind (read by the report picture, the CI test
 * and bench:soak). Kept apart so the runner, the fault classes and the report can be
 * written and tested each on its own.
 */
import { z } from 'zod';

/** What a fault class may reach of the running hall (filled in by the runner). */
export interface SoakHall {
  /** The central platform's base URL as the kiosks reach it (through the network proxy). */
  centralUrl: string;
  /** Terminal ids and the base URL of each terminal's host (its /sim/ routes and typed API). */
  terminals: Record<string, { url: string; dataDir: string; pid: () => number | null }>;
  /** Wall-clock ms → simulated hall instant (ms since epoch). */
  simNow(): number;
  /** Appends a line to the run's event log (no personal data). */
  note(event: string, detail?: Record<string, unknown>): void;
  /** Optional: each terminal's network cable to the platform (the runner's loopback proxy). */
  network?: Record<string, { cut(): void; stall(): void; restore(): void }>;
  /** Optional: the platform process, to kill as the world does and start again on its port and data. */
  platform?: { kill9(): Promise<void>; start(): Promise<void> };
}

/**
 * One class of fault. inject() breaks something the way the world does (pulls a cable,
 * kills a process); restore() undoes the world's side when the fault is one a person
 * would not fix (the network coming back), or does nothing when the hall must heal by
 * itself. recovered() says whether the hall is back to normal, judged from outside
 * (the terminal's health, the platform's answers), never from the fault's own state.
 */
export interface FaultClass {
  /** Stable name: printer-paper, printer-jam, idcard-unplug, scanner-gone, renderer-crash, renderer-hang, network-cut, network-stall, platform-kill, postgres-restart, redis-restart, outbox-disk-full, robot-base-link. */
  readonly name: string;
  /** The device or process that shows the fault on the console (a terminal id or 'central'). */
  readonly target: string;
  inject(hall: SoakHall): Promise<void>;
  /** How long (wall ms) the world keeps the fault before restore() is called. */
  readonly holdMs: number;
  restore(hall: SoakHall): Promise<void>;
  recovered(hall: SoakHall): Promise<boolean>;
  /**
   * Optional: wall seconds the cause itself takes to go after restore() (a platform's cold
   * start), added to the hold before the hall's recovery time (unattended.recoverWithinSeconds)
   * starts counting.
   */
  readonly causeEndsS?: number;
  /** Optional: whether the terminal's own health shows the fault yet (noticedS stays null without it). */
  noticed?(hall: SoakHall): Promise<boolean>;
}

const iso = z.string().min(10);

export const SoakFault = z.object({
  name: z.string(),
  target: z.string(),
  /** Simulated hall time at injection. */
  simAt: iso,
  /** Wall seconds from injection until the terminal noticed it (null: never). */
  noticedS: z.number().nullable(),
  /** Wall seconds from injection until the console listed it (null: never). */
  shownS: z.number().nullable(),
  /** Wall seconds from injection until the hall was back to normal without a person (null: never). */
  recoveredS: z.number().nullable(),
  /** The hall's configured limit for this class, wall seconds. */
  limitS: z.number(),
});
export type SoakFault = z.infer<typeof SoakFault>;

export const SoakSample = z.object({
  /** Simulated day number from 0 (fractional). */
  day: z.number(),
  /** Resident memory in MB per process name. */
  rssMb: z.record(z.string(), z.number()),
  /** Open file descriptors per process name. */
  fds: z.record(z.string(), z.number()),
  /** Transactions waiting in each terminal's outbox. */
  outbox: z.record(z.string(), z.number()),
  /** Database and WAL file sizes in MB. */
  dbMb: z.record(z.string(), z.number()),
  /** Optional: the process id behind each name, so growth is not measured across a restart. */
  pids: z.record(z.string(), z.number()).optional(),
});
export type SoakSample = z.infer<typeof SoakSample>;

export const SoakInvariant = z.object({
  name: z.string(),
  held: z.boolean(),
  /** The measured figure behind it, in words with its unit. */
  detail: z.string(),
});

export const SoakSummary = z.object({
  seed: z.number().int(),
  days: z.number(),
  firstDay: z.string(),
  wallSeconds: z.number(),
  visitors: z.number().int(),
  transactions: z.object({ made: z.number().int(), atPlatform: z.number().int(), lost: z.number().int(), doubled: z.number().int() }),
  tickets: z.object({ issued: z.number().int(), reused: z.number().int() }),
  faults: z.array(SoakFault),
  samples: z.array(SoakSample),
  /** Growth per simulated day after the first day, by process: MB of RSS and descriptors. */
  growthPerDay: z.record(z.string(), z.object({ rssMb: z.number(), fds: z.number() })),
  /** Each process's rolled log files at the end: how many are kept, how many times the log rolled, the largest file. */
  logs: z.record(z.string(), z.object({ files: z.number().int(), rolls: z.number().int(), largestKb: z.number() })).optional(),
  invariants: z.array(SoakInvariant),
});
export type SoakSummary = z.infer<typeof SoakSummary>;
