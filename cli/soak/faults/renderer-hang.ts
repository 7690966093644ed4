/**
 * renderer-hang: the kiosk page's renderer stops (SIGSTOP), the way a page frozen in a
 * runaway loop or a swapped-out process stops: no beat, no worker to report it. The
 * terminal's watchdog should notice the silence and open the page anew; restore lets
 * the process run again (SIGCONT) if it still exists. Recovered when the page has beaten
 * after restore.
 */
import type { FaultClass } from '../contract.ts';
import { pageRenderer, screenState } from './screen.ts';

function signal(pid: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch (err) {
    // The browser may already have killed the frozen renderer when it closed its tab.
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
}

export function rendererHang(opts: { terminal: string; holdMs?: number }): FaultClass {
  let stopped: number | null = null;
  let restoredAt: number | null = null;
  return {
    name: 'renderer-hang',
    target: opts.terminal,
    // Past the watchdog's default 20 s of silence, so the terminal must act, not the restore.
    holdMs: opts.holdMs ?? 30_000,
    async inject(hall) {
      restoredAt = null;
      stopped = pageRenderer(hall, opts.terminal);
      signal(stopped, 'SIGSTOP');
      hall.note('renderer-hang', { terminal: opts.terminal, pid: stopped });
    },
    async restore(hall) {
      const resumed = stopped !== null && signal(stopped, 'SIGCONT');
      restoredAt = Date.now();
      hall.note('renderer-resumed', { terminal: opts.terminal, pid: stopped, stillThere: resumed });
      stopped = null;
    },
    async noticed(hall) {
      return (await screenState(hall, opts.terminal))?.alive === false;
    },
    async recovered(hall) {
      if (restoredAt === null) return false;
      const screen = await screenState(hall, opts.terminal);
      return !!screen && screen.alive && screen.lastBeatAt !== null && screen.lastBeatAt > restoredAt;
    },
  };
}
