/**
 * scanner-gone: the terminal's QR scanner disappears (its cable pulled: the simulated
 * scanner's line closes and its port is missing) and is plugged back on restore, as a
 * technician would. The terminal's device manager must notice, keep trying, and find it
 * again by itself. Recovered when the terminal's health lists the scanner ok.
 */
import type { FaultClass } from '../contract.ts';
import { deviceOf, simControl, terminalHealth } from './terminal-health.ts';

export function scannerGone(opts: { terminal: string; holdMs?: number }): FaultClass {
  return {
    name: 'scanner-gone',
    target: opts.terminal,
    holdMs: opts.holdMs ?? 5000,
    async inject(hall) {
      await simControl(hall, opts.terminal, '/sim/scanner/unplug');
      hall.note('scanner-gone', { terminal: opts.terminal });
    },
    async restore(hall) {
      await simControl(hall, opts.terminal, '/sim/scanner/plug');
      hall.note('scanner-back', { terminal: opts.terminal });
    },
    async noticed(hall) {
      const scanner = deviceOf(await terminalHealth(hall, opts.terminal), 'scanner');
      return scanner !== null && scanner.state !== 'ok';
    },
    async recovered(hall) {
      return deviceOf(await terminalHealth(hall, opts.terminal), 'scanner')?.state === 'ok';
    },
  };
}
