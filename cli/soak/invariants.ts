/** What must hold at the end of a soak run, each with the figure behind it in words. */
import type { z } from 'zod';
import type { SoakFault, SoakInvariant } from './contract.ts';

type Invariant = z.infer<typeof SoakInvariant>;

export const NOTICE_LIMIT_S = 30;

/** The platform's own death is not the console's to show (the console is the platform): it is judged by the terminals alone. */
export const consoleCanShow = (fault: Pick<SoakFault, 'target'>): boolean => fault.target !== 'central';
export const MEMORY_GROWTH_LIMIT_MB = 1;
/** Below this many simulated days a slope of memory per day is mostly start-up noise. */
export const GROWTH_MIN_DAYS = 3;

export interface RunFigures {
  days: number;
  faults: SoakFault[];
  made: number;
  lost: number;
  doubled: number;
  reused: number;
  growth: Record<string, { rssMb: number; fds: number }>;
  /** Every process name sampled; those without a growth figure lived too short a last life to judge. */
  sampled: string[];
  outboxLeft: Record<string, number>;
  /** Rolled log files per process, and the rolling the run asked for. */
  logs?: { byProcess: Record<string, { files: number; rolls: number; largestKb: number }>; keep: number; sizeKb: number };
  pii: { files: number; hits: Record<string, number> };
}

const worst = (xs: (number | null)[]) => (xs.some((x) => x === null) ? 'never (at least once)' : `${Math.max(0, ...(xs as number[]))} s worst`);

export function evaluateInvariants(f: RunFigures): Invariant[] {
  const out: Invariant[] = [];
  out.push({
    name: `faults noticed by the terminal within ${NOTICE_LIMIT_S} s`,
    held: f.faults.length > 0 && f.faults.every((x) => x.noticedS !== null && x.noticedS <= NOTICE_LIMIT_S),
    detail: f.faults.length ? `${f.faults.filter((x) => x.noticedS !== null && x.noticedS <= NOTICE_LIMIT_S).length}/${f.faults.length} faults; ${worst(f.faults.map((x) => x.noticedS))}` : 'no fault was injected',
  });
  const showable = f.faults.filter(consoleCanShow);
  out.push({
    name: `faults shown on the console within ${NOTICE_LIMIT_S} s`,
    held: showable.every((x) => x.shownS !== null && x.shownS <= NOTICE_LIMIT_S),
    detail: showable.length ? `${showable.filter((x) => x.shownS !== null && x.shownS <= NOTICE_LIMIT_S).length}/${showable.length} faults (the platform's own kill excluded); ${worst(showable.map((x) => x.shownS))}` : 'no fault the console could show',
  });
  out.push({
    name: 'faults recovered without a person within their limit',
    held: f.faults.length > 0 && f.faults.every((x) => x.recoveredS !== null && x.recoveredS <= x.limitS),
    detail: f.faults.length ? f.faults.filter((x) => x.recoveredS === null || x.recoveredS > x.limitS).map((x) => `${x.name} at ${x.simAt}: ${x.recoveredS ?? 'never'} s of ${x.limitS} s`).join('; ') || `all ${f.faults.length} within their limits; ${worst(f.faults.map((x) => x.recoveredS))}` : 'no fault was injected',
  });
  out.push({ name: 'no citizen transaction lost', held: f.lost === 0, detail: `${f.lost} of ${f.made} transactions in the simulator's ledger missing at the platform` });
  out.push({ name: 'no citizen transaction doubled', held: f.doubled === 0, detail: `${f.doubled} held by the platform more often than made` });
  out.push({ name: 'no ticket number reused within a hall day', held: f.reused === 0, detail: `${f.reused} numbers given to two tickets` });
  const growing = Object.entries(f.growth).filter(([, g]) => g.rssMb > MEMORY_GROWTH_LIMIT_MB);
  const unjudged = f.sampled.filter((n) => !f.growth[n]);
  const figures = [...Object.entries(f.growth).map(([n, g]) => `${n} ${g.rssMb} MB/day`), ...unjudged.map((n) => `${n} not judged (no life ran half a day past its first day)`)].join(', ');
  out.push(
    f.days >= GROWTH_MIN_DAYS
      ? { name: `memory growth ≤ ${MEMORY_GROWTH_LIMIT_MB} MB per simulated day per process`, held: growing.length === 0, detail: figures || 'no samples' }
      : { name: `memory growth ≤ ${MEMORY_GROWTH_LIMIT_MB} MB per simulated day per process`, held: true, detail: `not judged: a run of ${f.days} day(s) is under ${GROWTH_MIN_DAYS} days, its slope is start-up noise (measured ${figures || 'nothing'})` },
  );
  const left = Object.entries(f.outboxLeft).filter(([, n]) => n > 0);
  out.push({ name: 'outboxes pruned of synced rows', held: left.length === 0, detail: left.length ? left.map(([id, n]) => `${id}: ${n} rows left`).join(', ') : `every terminal's outbox empty after the drain (${Object.keys(f.outboxLeft).length} terminals)` });
  if (f.logs) out.push(logsRolled(f.logs));
  const hits = Object.keys(f.pii.hits);
  out.push({ name: 'no personal data in anything written', held: hits.length === 0, detail: hits.length ? `simulated citizens' ID numbers or names in ${hits.length} of ${f.pii.files} files: ${hits.slice(0, 5).join(', ')}` : `${f.pii.files} files scanned for the simulated citizens' ID numbers and names: none found` });
  return out;
}

/**
 * Logs rolled and pruned: no process keeps more files than asked, no file grew far past the
 * size (a file rolls once its stream drains, so a burst may overrun it a little), and the
 * run logged enough that rolling actually happened.
 */
function logsRolled(l: NonNullable<RunFigures['logs']>): Invariant {
  const name = `logs rolled at ${l.sizeKb} kB and pruned to ${l.keep + 1} files per process`;
  const entries = Object.entries(l.byProcess);
  if (entries.length === 0) return { name, held: false, detail: 'no rolled log file was written' };
  const sizeCap = Math.max(4 * l.sizeKb, l.sizeKb + 64);
  const bad = entries.filter(([, e]) => e.files > l.keep + 1 || e.largestKb > sizeCap);
  const rolled = entries.reduce((n, [, e]) => n + e.rolls, 0);
  const figures = entries.map(([p, e]) => `${p} rolled ${e.rolls}×, ${e.files} kept, largest ${e.largestKb} kB`).join('; ');
  return { name, held: bad.length === 0 && rolled > 0, detail: rolled > 0 ? figures : `never rolled: ${figures}` };
}
