/**
 * renderer-crash: the kiosk page's renderer is killed (SIGKILL), as the kernel's OOM
 * killer or a renderer bug ends it. Nothing is restored by hand: the browser-kiosk
 * launcher hears the crash and opens the page again. Recovered when a new page has been
 * opened since the kill and beats.
 */
import type { FaultClass } from '../contract.ts';
import { pageRenderer, screenState } from './screen.ts';

export function rendererCrash(opts: { terminal: string; holdMs?: number }): FaultClass {
  let pagesBefore: number | null = null;
  return {
    name: 'renderer-crash',
    target: opts.terminal,
    holdMs: opts.holdMs ?? 0,
    async inject(hall) {
      const before = await screenState(hall, opts.terminal);
      if (!before) throw new Error(`renderer-crash: terminal ${opts.terminal}'s host does not answer /healthz`);
      pagesBefore = before.pages;
      const pid = pageRenderer(hall, opts.terminal);
      process.kill(pid, 'SIGKILL');
      hall.note('renderer-crash', { terminal: opts.terminal, pid });
    },
    async restore() {
      // The terminal brings its screen back itself.
    },
    async noticed(hall) {
      return (await screenState(hall, opts.terminal))?.alive === false;
    },
    async recovered(hall) {
      if (pagesBefore === null) return false;
      const screen = await screenState(hall, opts.terminal);
      return !!screen && screen.alive && screen.pages > pagesBefore;
    },
  };
}
