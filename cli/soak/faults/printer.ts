/**
 * The receipt printer's two everyday faults: the roll runs out, and the cutter jams
 * mid-job. The terminal's health must show the printer faulty; a person changes the roll
 * or clears the jam (restore), and the terminal must see it ready again by itself.
 */
import type { FaultClass, SoakHall } from '../contract.ts';
import { deviceHealth } from '../health.ts';
import { simControl } from './sim-control.ts';

/** The roll a person puts in: as long as the simulated printer takes, so only the faults empty it. */
export const FULL_ROLL = 1_000_000;

const url = (hall: SoakHall, target: string) => {
  const t = hall.terminals[target];
  if (!t) throw new Error(`no terminal ${target} in this hall`);
  return t.url;
};

const printerFaulty = async (hall: SoakHall, target: string) => (await deviceHealth(url(hall, target), 'printer'))?.state === 'faulty';
const printerReady = async (hall: SoakHall, target: string) => (await deviceHealth(url(hall, target), 'printer'))?.state === 'ok';

export function printerPaper(target = 'kiosk-1', holdMs = 8000): FaultClass {
  return {
    name: 'printer-paper',
    target,
    holdMs,
    inject: (hall) => simControl(url(hall, target), '/sim/printer/paper', { lines: 0 }),
    restore: (hall) => simControl(url(hall, target), '/sim/printer/paper', { lines: FULL_ROLL }),
    noticed: (hall) => printerFaulty(hall, target),
    recovered: (hall) => printerReady(hall, target),
  };
}

export function printerJam(target = 'teller-1', holdMs = 8000): FaultClass {
  return {
    name: 'printer-jam',
    target,
    holdMs,
    inject: (hall) => simControl(url(hall, target), '/sim/printer/condition', { jammed: true }),
    restore: (hall) => simControl(url(hall, target), '/sim/printer/condition', { jammed: false }),
    noticed: (hall) => printerFaulty(hall, target),
    recovered: (hall) => printerReady(hall, target),
  };
}

export { url as terminalUrl };
