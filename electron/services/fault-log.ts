/**
 * How a terminal records its faults: each change of a device's or part's health goes into
 * the outbox as a device-fault transaction (a non-ok state opens an episode at the
 * platform, the next ok closes it). A fault that stops the terminal from recording while it
 * lasts (the link to the platform, the outbox's disk) is recorded whole once it is over,
 * with the times it began and ended, so the console's history is right even when late.
 */
import type { Logger } from 'pino';
import { OUTBOX_FAULT, type DeviceFault, type FaultKind } from '../../protocol/sync.ts';
import type { BaseLink } from '../../drivers/base/link.ts';
import type { TransactionLog } from './compose.ts';

/** A part of the terminal that is not a configured device, named as the console lists it. */
export interface FaultPart {
  device: string;
  kind: FaultKind;
}

export const CENTRAL_LINK: FaultPart = { device: 'central-link', kind: 'link' };
export const SCREEN: FaultPart = { device: 'screen', kind: 'screen' };
export const ROBOT_BASE: FaultPart = { device: 'base', kind: 'base' };
export const OUTBOX_DISK: FaultPart = OUTBOX_FAULT;

/** Appends one record; a record that cannot be made is logged, never thrown at the part that noticed. */
export async function recordFault(transactions: TransactionLog, log: Logger, fault: DeviceFault): Promise<void> {
  try {
    await transactions.append('device-fault', fault.detail ? { ...fault, detail: fault.detail.slice(0, 500) } : fault);
  } catch (err) {
    log.warn({ device: fault.device, state: fault.state, err: (err as Error).message }, 'fault not recorded');
  }
}

/** A fault already over: its start and its end, appended together so they commit in order. */
export async function recordOutage(transactions: TransactionLog, log: Logger, part: FaultPart, outage: { since: string; until: string; detail: string }): Promise<void> {
  await Promise.all([
    recordFault(transactions, log, { ...part, state: 'faulty', since: outage.since, detail: outage.detail }),
    recordFault(transactions, log, { ...part, state: 'ok', since: outage.until }),
  ]);
}

/**
 * Times the outages of something that goes down and comes back, and hands over each one
 * that lasted at least `minMs` once it is over; a blip shorter than that is no fault.
 */
export class OutageClock {
  private since: number | null = null;
  private reason = '';

  constructor(
    private readonly minMs: number,
    private readonly over: (outage: { since: string; until: string; detail: string }) => void,
    private readonly now: () => number = Date.now,
  ) {}

  get down(): boolean {
    return this.since !== null;
  }

  /** It went down (again: the first time counts). */
  lost(reason: string): void {
    if (this.since !== null) return;
    this.since = this.now();
    this.reason = reason;
  }

  /** It is back: the outage is handed over if it was long enough. */
  back(): void {
    if (this.since === null) return;
    const since = this.since;
    const until = this.now();
    this.since = null;
    if (until - since >= this.minMs) this.over({ since: new Date(since).toISOString(), until: new Date(until).toISOString(), detail: this.reason });
  }
}

/** The robot base's link as fault episodes: lost opens one, up again closes it; the attempts to reconnect between are no news. */
export function recordBaseLink(base: Pick<BaseLink, 'on'>, transactions: TransactionLog, log: Logger): void {
  let down = false;
  base.on('link', (state, reason) => {
    if (state === 'down' && !down) {
      down = true;
      void recordFault(transactions, log, { ...ROBOT_BASE, state: 'faulty', detail: reason ?? 'base link lost' });
    } else if (state === 'up' && down) {
      down = false;
      void recordFault(transactions, log, { ...ROBOT_BASE, state: 'ok' });
    }
  });
}
