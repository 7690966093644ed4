/**
 * A terminal's outbox as the soak sees it from outside: the SQLite file on the terminal's
 * disk, opened read-only. Several fault classes judge recovery by it (the outbox writes
 * again; what waited has reached the platform), so they all read it the same way.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface OutboxState {
  /** Transactions waiting for the platform's acknowledgement. */
  pending: number;
  /** The oldest waiting transaction's sequence number (null: nothing waits). */
  oldestPendingSeq: number | null;
  /** The highest sequence number the outbox has assigned: it grows with every committed write. */
  lastSeq: number;
  /** Transactions the platform refused for good (set aside; they leave the outbox without being recorded). */
  deadLetters: number;
}

export function outboxFile(dataDir: string): string {
  return join(dataDir, 'outbox.db');
}

/** Reads the outbox without writing to it (a WAL reader needs no free space). */
export function readOutbox(dataDir: string): OutboxState {
  const file = outboxFile(dataDir);
  if (!existsSync(file)) throw new Error(`no outbox at ${file}: is ${dataDir} a terminal's data folder?`);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 2000');
    const rows = db.prepare('SELECT COUNT(*) AS n, MIN(seq) AS oldest, MAX(seq) AS newest FROM outbox').get() as { n: number; oldest: number | null; newest: number | null };
    const meta = db.prepare("SELECT value FROM meta WHERE key = 'last_seq'").get() as { value: string } | undefined;
    const dead = db.prepare('SELECT COUNT(*) AS n FROM dead_letter').get() as { n: number };
    return { pending: rows.n, oldestPendingSeq: rows.oldest, lastSeq: Math.max(Number(meta?.value ?? 0), rows.newest ?? 0), deadLetters: dead.n };
  } finally {
    db.close();
  }
}

/** Everything that waited at `since` has been acknowledged by the platform (none of it refused). */
export function backlogSent(since: OutboxState, now: OutboxState): boolean {
  return (now.oldestPendingSeq ?? Infinity) > since.lastSeq && now.deadLetters === since.deadLetters;
}

/**
 * The outbox has recorded a transaction since `since` and the platform has acknowledged
 * it: the outbox sends in sequence order, so the first transaction recorded after `since`
 * is gone only once everything before it has gone too.
 */
export function sentSince(since: OutboxState, now: OutboxState): boolean {
  return (now.oldestPendingSeq ?? now.lastSeq + 1) > since.lastSeq + 1 && now.deadLetters === since.deadLetters;
}
