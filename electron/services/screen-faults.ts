/**
 * The screen's faults as a terminal part: a page the watchdog declared hung, or a renderer
 * its owner saw crash, opens a screen fault; the first heartbeat of the page that replaced
 * it closes it. The terminal's services keep running through both, so the records go out
 * through the outbox at once.
 */
import { definePart } from './compose.ts';
import { recordFault, SCREEN } from './fault-log.ts';

export const screenFaultsPart = definePart({
  name: 'screen-faults',
  needs: ['transactions'],
  provides: [],
  build: (rt, { transactions }) => {
    const { watchdog } = rt;
    const onHung = (h: { reason: string; screen: string; silentMs: number }) =>
      void recordFault(transactions, rt.log, { ...SCREEN, state: 'faulty', detail: `hung (${h.reason}, silent ${Math.round(h.silentMs / 1000)} s) on ${h.screen || 'no screen yet'}` });
    const onCrashed = (reason: string) => void recordFault(transactions, rt.log, { ...SCREEN, state: 'faulty', detail: reason });
    const onRecovered = () => void recordFault(transactions, rt.log, { ...SCREEN, state: 'ok' });
    watchdog.on('hung', onHung);
    watchdog.on('crashed', onCrashed);
    watchdog.on('recovered', onRecovered);
    rt.onClose(() => {
      watchdog.off('hung', onHung);
      watchdog.off('crashed', onCrashed);
      watchdog.off('recovered', onRecovered);
    });
    return { provides: {} };
  },
});
