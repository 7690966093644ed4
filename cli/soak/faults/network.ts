/**
 * A terminal's network to the platform cut (the cable out: connections refused and
 * dropped) or stalled (up but carrying nothing). The terminal must notice it is offline,
 * keep working on its outbox, and be linked again by itself once the network is back.
 */
import type { FaultClass, SoakHall } from '../contract.ts';
import { linkedToPlatform } from '../health.ts';
import { terminalUrl } from './printer.ts';

function cable(hall: SoakHall, target: string) {
  const link = hall.network?.[target];
  if (!link) throw new Error(`the runner gave no network control for ${target}`);
  return link;
}

function networkFault(name: 'network-cut' | 'network-stall', target: string, holdMs: number): FaultClass {
  return {
    name,
    target,
    holdMs,
    inject: async (hall) => (name === 'network-cut' ? cable(hall, target).cut() : cable(hall, target).stall()),
    restore: async (hall) => cable(hall, target).restore(),
    noticed: async (hall) => !(await linkedToPlatform(terminalUrl(hall, target))),
    recovered: (hall) => linkedToPlatform(terminalUrl(hall, target)),
  };
}

export const networkCut = (target = 'teller-1', holdMs = 10_000) => networkFault('network-cut', target, holdMs);
// Held past the platform's ping interval and timeout (10 s + 10 s), so the stall is seen.
export const networkStall = (target = 'kiosk-1', holdMs = 25_000) => networkFault('network-stall', target, holdMs);
