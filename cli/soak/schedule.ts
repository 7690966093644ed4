/**
 * When each fault strikes and how it is measured: a seeded schedule spread over the run
 * (every class the same number of times, in shuffled order), and one fault's life from
 * outside — injected, noticed by the terminal, listed on the console, the world restored
 * after its hold, the hall back to normal by itself — in wall seconds from injection.
 */
import { rng } from '../../server/queue/simulate.ts';
import type { FaultClass, SoakFault, SoakHall } from './contract.ts';

export interface Planned {
  /** Wall ms after the run's start. */
  atMs: number;
  fault: FaultClass;
}

/** Each class `repeats` times at seeded instants between 10 % and 90 % of the run's wall length. */
export function faultSchedule(classes: FaultClass[], repeats: number, runMs: number, seed: number): Planned[] {
  const rand = rng(seed ^ 0x5eed);
  const plan: Planned[] = [];
  for (const fault of classes) for (let i = 0; i < repeats; i++) plan.push({ atMs: Math.floor(runMs * (0.1 + 0.8 * rand())), fault });
  return plan.sort((a, b) => a.atMs - b.atMs);
}

export interface MeasureOptions {
  limitS: number;
  /** Whether the console lists the fault yet (null: the console cannot show this one). */
  shown: (fault: FaultClass, injectedAtMs: number) => Promise<boolean | null>;
  /** How often the terminal and console are asked, wall ms. */
  pollMs?: number;
}

const answer = async (probe: (() => Promise<boolean>) | undefined): Promise<boolean> => {
  if (!probe) return false;
  try {
    return await probe();
  } catch {
    // A terminal that does not answer has not shown anything.
    return false;
  }
};

export async function measureFault(hall: SoakHall, fault: FaultClass, o: MeasureOptions): Promise<SoakFault> {
  const pollMs = o.pollMs ?? 250;
  const t0 = Date.now();
  const simAt = new Date(hall.simNow()).toISOString();
  const seconds = () => Math.round((Date.now() - t0) / 100) / 10;
  hall.note('fault injected', { fault: fault.name, target: fault.target, simAt });
  await fault.inject(hall);
  let noticedS: number | null = null;
  let shownS: number | null = null;
  let shownPossible = true;
  let recoveredS: number | null = null;
  let restored = false;
  let lastShownAsk = 0;
  // Watched past its limit, so a slow recovery is reported with its figure rather than as never.
  const giveUpAt = t0 + Math.max(o.limitS * 1000, fault.holdMs) + 60_000;
  let recoveredAt = 0;
  while (Date.now() < giveUpAt) {
    if (noticedS === null && (await answer(fault.noticed ? () => fault.noticed!(hall) : undefined))) noticedS = seconds();
    if (shownS === null && shownPossible && Date.now() - lastShownAsk >= 1000) {
      lastShownAsk = Date.now();
      const shown = await o.shown(fault, t0).catch(() => false);
      if (shown === null) shownPossible = false;
      else if (shown) shownS = seconds();
    }
    if (!restored && Date.now() - t0 >= fault.holdMs) {
      await fault.restore(hall);
      restored = true;
      hall.note('fault restored', { fault: fault.name, target: fault.target });
    }
    if (restored && recoveredS === null && (await answer(() => fault.recovered(hall)))) {
      recoveredS = seconds();
      recoveredAt = Date.now();
    }
    // Once back, the console is given a little longer to list what it missed, then the next fault may come.
    if (recoveredS !== null && (shownS !== null || !shownPossible || Date.now() - recoveredAt > 15_000)) break;
    await new Promise((done) => setTimeout(done, pollMs));
  }
  if (!restored) await fault.restore(hall);
  hall.note('fault measured', { fault: fault.name, noticedS, shownS, recoveredS });
  return { name: fault.name, target: fault.target, simAt, noticedS, shownS, recoveredS, limitS: o.limitS };
}
