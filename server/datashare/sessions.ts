/**
 * Who is signed in at each terminal, as the platform learns it from the terminal's own
 * `signin` and `signout` transactions (docs/sync-protocol.md). A records query is served
 * only for the citizen whose card signed in last on the asking terminal, within the
 * hall's `dataShare.freshSignInMinutes`, with no sign-out since. The match is by the
 * masked number the sign-in carries: the platform keeps no ID number to match by.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppliedTransaction } from '../context.ts';
import type { Db } from '../db/types.ts';
import { maskIdNumber } from '../../protocol/masked-id.ts';

export { maskIdNumber as maskedIdOf };

export type SessionRefusal = 'none' | 'other-citizen' | 'signed-out' | 'stale';

type SessionTx = AppliedTransaction & { payload: { maskedId: string } };

interface SessionRow {
  masked_id: string;
  signed_in_at: string;
  ended_at: string | null;
}

/**
 * A sign-in travels through the terminal's outbox, so a citizen who taps at once can ask
 * before it is applied here: a query that finds none waits this long for it.
 */
const ARRIVAL_GRACE_MS = 3000;
const ARRIVAL_POLL_MS = 250;

export class SessionCheck {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  /** A later sign-in replaces the terminal's session; one delivered late (older) changes nothing. */
  async signedIn(tx: SessionTx, db: Db): Promise<void> {
    const [current] = await db.query<SessionRow>('SELECT masked_id, signed_in_at, ended_at FROM terminal_sessions WHERE device_id = ?', [tx.deviceId]);
    if (!current) {
      await db.run('INSERT INTO terminal_sessions (device_id, masked_id, signed_in_at, ended_at) VALUES (?, ?, ?, NULL)', [tx.deviceId, tx.payload.maskedId, tx.at]);
    } else if (Date.parse(tx.at) >= Date.parse(current.signed_in_at)) {
      await db.run('UPDATE terminal_sessions SET masked_id = ?, signed_in_at = ?, ended_at = NULL WHERE device_id = ?', [tx.payload.maskedId, tx.at, tx.deviceId]);
    }
  }

  async signedOut(tx: SessionTx, db: Db): Promise<void> {
    await db.run('UPDATE terminal_sessions SET ended_at = ? WHERE device_id = ? AND masked_id = ? AND signed_in_at <= ?', [tx.at, tx.deviceId, tx.payload.maskedId, tx.at]);
  }

  private async refusal(deviceId: string, maskedId: string, freshMinutes: number): Promise<SessionRefusal | null> {
    const [row] = await this.db.query<SessionRow>('SELECT masked_id, signed_in_at, ended_at FROM terminal_sessions WHERE device_id = ?', [deviceId]);
    if (!row) return 'none';
    if (row.masked_id !== maskedId) return 'other-citizen';
    if (row.ended_at) return 'signed-out';
    if (this.now() - Date.parse(row.signed_in_at) > freshMinutes * 60_000) return 'stale';
    return null;
  }

  /** Null when the citizen signed in here just now; else why not. */
  async check(deviceId: string, maskedId: string, freshMinutes: number): Promise<SessionRefusal | null> {
    const until = this.now() + ARRIVAL_GRACE_MS;
    for (;;) {
      const why = await this.refusal(deviceId, maskedId, freshMinutes);
      // Only a sign-in not yet seen can still arrive; a stale or ended one is final.
      if (!why || (why !== 'none' && why !== 'other-citizen') || this.now() >= until) return why;
      await sleep(ARRIVAL_POLL_MS);
    }
  }
}
