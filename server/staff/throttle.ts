/**
 * Sign-in throttling: failures are counted per account and per client address in the
 * database, so every node of a cluster sees the same counts. Past a few failures each
 * answer is slowed; at the limit the account (or address) is locked for a while that
 * doubles with each lockout. A lock refuses even the right password. Every failure,
 * lockout and unlock is written to the audit table (never the password).
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '../db/types.ts';

export const THROTTLE_MIGRATIONS = [
  `CREATE TABLE login_throttle (
     key TEXT PRIMARY KEY,
     failures INTEGER NOT NULL,
     window_start TEXT NOT NULL,
     lockouts INTEGER NOT NULL DEFAULT 0,
     locked_until TEXT
   );
   CREATE TABLE auth_audit (
     id TEXT PRIMARY KEY,
     at TEXT NOT NULL,
     event TEXT NOT NULL,
     username TEXT,
     address TEXT,
     actor TEXT,
     detail TEXT
   );
   CREATE INDEX auth_audit_at ON auth_audit (at);`,
];

export interface ThrottlePolicy {
  /** Failures per account within the window before it is locked. */
  accountFailures: number;
  /** Failures from one address within the window (higher: a hall's staff may share one NAT address). */
  addressFailures: number;
  windowMs: number;
  /** The first lockout; each further one doubles, up to maxLockMs. */
  lockMs: number;
  maxLockMs: number;
  /** Added to each failing answer past the second failure, growing with the count. */
  delayStepMs: number;
}

export const DEFAULT_THROTTLE: ThrottlePolicy = { accountFailures: 5, addressFailures: 20, windowMs: 15 * 60_000, lockMs: 60_000, maxLockMs: 60 * 60_000, delayStepMs: 250 };

export type AuditEvent = 'login-failed' | 'lockout' | 'unlock';

const accountKey = (username: string) => `account:${username}`;
const addressKey = (address: string) => `address:${address}`;

export async function audit(db: Db, e: { event: AuditEvent; username?: string; address?: string; actor?: string; detail?: string }): Promise<void> {
  await db.run('INSERT INTO auth_audit (id, at, event, username, address, actor, detail) VALUES (?, ?, ?, ?, ?, ?, ?)', [
    randomUUID(),
    new Date().toISOString(),
    e.event,
    e.username?.slice(0, 100) ?? null,
    e.address ?? null,
    e.actor ?? null,
    e.detail ?? null,
  ]);
}

export class LoginThrottle {
  readonly policy: ThrottlePolicy;
  constructor(
    private db: Db,
    policy: Partial<ThrottlePolicy> = {},
  ) {
    this.policy = { ...DEFAULT_THROTTLE, ...policy };
  }

  /** Seconds until this sign-in may be tried, or 0 when neither account nor address is locked. */
  async lockedFor(username: string, address: string): Promise<number> {
    const now = Date.now();
    const rows = await this.db.query<{ locked_until: string | null }>('SELECT locked_until FROM login_throttle WHERE key IN (?, ?)', [accountKey(username), addressKey(address)]);
    const until = Math.max(0, ...rows.map((r) => (r.locked_until ? Date.parse(r.locked_until) : 0)));
    return until > now ? Math.ceil((until - now) / 1000) : 0;
  }

  /** Count a failure against both keys, lock what reached its limit, and slow the answer. */
  async failed(username: string, address: string): Promise<void> {
    await audit(this.db, { event: 'login-failed', username, address });
    const account = await this.count(accountKey(username), this.policy.accountFailures, { username, address });
    const byAddress = await this.count(addressKey(address), this.policy.addressFailures, { address });
    const failures = Math.max(account, byAddress);
    if (failures > 2) await sleep(Math.min(2000, this.policy.delayStepMs * (failures - 2)));
  }

  /** The right password outside a lock: the account starts afresh (the address does not, or one good account would launder guesses at others). */
  async succeeded(username: string): Promise<void> {
    await this.db.run('DELETE FROM login_throttle WHERE key = ?', [accountKey(username)]);
  }

  async unlock(target: { account?: string; address?: string }, actor: string): Promise<boolean> {
    const key = target.account !== undefined ? accountKey(target.account) : addressKey(target.address!);
    const res = await this.db.run('DELETE FROM login_throttle WHERE key = ?', [key]);
    await audit(this.db, { event: 'unlock', username: target.account, address: target.address, actor });
    return res.changes > 0;
  }

  async locks(): Promise<{ account?: string; address?: string; lockedUntil: string; lockouts: number }[]> {
    const rows = await this.db.query<{ key: string; locked_until: string; lockouts: number }>(
      'SELECT key, locked_until, lockouts FROM login_throttle WHERE locked_until > ? ORDER BY locked_until DESC',
      [new Date().toISOString()],
    );
    return rows.map((r) => {
      const [kind, value] = [r.key.slice(0, r.key.indexOf(':')), r.key.slice(r.key.indexOf(':') + 1)];
      return { ...(kind === 'account' ? { account: value } : { address: value }), lockedUntil: r.locked_until, lockouts: Number(r.lockouts) };
    });
  }

  /** One upsert counts the failure (a fresh window starts at 1); the guarded UPDATE lets only one node lock per crossing. */
  private async count(key: string, limit: number, who: { username?: string; address: string }): Promise<number> {
    const now = new Date();
    const windowOpen = new Date(now.getTime() - this.policy.windowMs).toISOString();
    const [row] = await this.db.query<{ failures: number; lockouts: number }>(
      `INSERT INTO login_throttle (key, failures, window_start, lockouts, locked_until) VALUES (?, 1, ?, 0, NULL)
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN login_throttle.window_start < ? THEN 1 ELSE login_throttle.failures + 1 END,
         window_start = CASE WHEN login_throttle.window_start < ? THEN excluded.window_start ELSE login_throttle.window_start END
       RETURNING failures, lockouts`,
      [key, now.toISOString(), windowOpen, windowOpen],
    );
    const failures = Number(row.failures);
    if (failures < limit) return failures;
    const lockMs = Math.min(this.policy.maxLockMs, this.policy.lockMs * 2 ** Number(row.lockouts));
    const until = new Date(now.getTime() + lockMs).toISOString();
    const res = await this.db.run('UPDATE login_throttle SET failures = 0, lockouts = lockouts + 1, locked_until = ? WHERE key = ? AND failures >= ?', [until, key, limit]);
    if (res.changes > 0) await audit(this.db, { event: 'lockout', ...who, detail: `${key.startsWith('account:') ? 'account' : 'address'} locked until ${until}` });
    return failures;
  }
}
