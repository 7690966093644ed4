/**
 * Whether the central platform is back to work after one of the servers it stands on
 * came back, judged the way its devices and its load balancer judge it: `/api/ready`
 * answers (its database answers a query, its Redis link is up) and the terminals'
 * transactions reach it again (what waited in their outboxes is acknowledged, and at
 * least one batch recorded after the server returned went through).
 */
import type { SoakHall } from '../contract.ts';
import { backlogSent, readOutbox, sentSince, type OutboxState } from './outbox-file.ts';
import { linkedToPlatform } from '../health.ts';

const READY_TIMEOUT_MS = 3000;

/** `/api/ready` as a balancer reads it: 200 or not. */
export async function platformReady(centralUrl: string): Promise<boolean> {
  try {
    const res = await fetch(new URL('/api/ready', centralUrl), { signal: AbortSignal.timeout(READY_TIMEOUT_MS) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

export type OutboxSnapshot = Record<string, OutboxState>;

export function snapshotOutboxes(hall: SoakHall): OutboxSnapshot {
  return Object.fromEntries(Object.entries(hall.terminals).map(([id, t]) => [id, readOutbox(t.dataDir)]));
}

/**
 * Every terminal's backlog from `since` acknowledged, and then either a transaction
 * recorded since acknowledged too, or every terminal linked to the platform again: in a
 * quiet hour (the hall closed at night) there is nothing new to send, and a live link
 * with nothing waiting is all there is to see.
 */
export async function batchesAcceptedSince(hall: SoakHall, since: OutboxSnapshot): Promise<boolean> {
  let someSent = false;
  for (const [id, t] of Object.entries(hall.terminals)) {
    const before = since[id];
    if (!before) continue;
    const now = readOutbox(t.dataDir);
    if (!backlogSent(before, now)) return false;
    if (sentSince(before, now)) someSent = true;
  }
  if (someSent) return true;
  const linked = await Promise.all(Object.values(hall.terminals).map((t) => (t.url ? linkedToPlatform(t.url) : false)));
  return linked.length > 0 && linked.every(Boolean);
}
