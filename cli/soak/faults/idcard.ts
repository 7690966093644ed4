/**
 * The ID-card reader's cable pulled and put back (the serial link closed, then openable
 * again). The terminal must show the reader absent and reopen it by itself once it is back.
 */
import type { FaultClass } from '../contract.ts';
import { deviceHealth } from '../health.ts';
import { terminalUrl } from './printer.ts';
import { simControl } from './sim-control.ts';

export function idcardUnplug(target = 'kiosk-1', holdMs = 5000): FaultClass {
  return {
    name: 'idcard-unplug',
    target,
    holdMs,
    inject: (hall) => simControl(terminalUrl(hall, target), '/sim/cable/unplug', { kind: 'idcard' }),
    restore: (hall) => simControl(terminalUrl(hall, target), '/sim/cable/replug', { kind: 'idcard' }),
    noticed: async (hall) => (await deviceHealth(terminalUrl(hall, target), 'idcard'))?.state !== 'ok',
    recovered: async (hall) => (await deviceHealth(terminalUrl(hall, target), 'idcard'))?.state === 'ok',
  };
}
