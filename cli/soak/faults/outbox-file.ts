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
    return { pending: rows.n, oldestPendingSeq: rows.oldest, lastSeq: Math.max(Number(meta?.value ?? 0), rows.newest ?? 0) };
  } finally {
    db.close();
  }
}

/**
 * Whether an outbox has written since `since` was read and sent everything that waited
 * then: the terminal records again and its backlog reached the platform.
 */
export function wroteAndDrained(since: OutboxState, now: OutboxState): boolean {
  const wrote = now.lastSeq > since.lastSeq;
  const drained = now.oldestPendingSeq === null || now.oldestPendingSeq > since.lastSeq;
  return wrote && drained;
}
