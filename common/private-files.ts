/**
 * Files holding secrets or personal data (databases, credentials) readable by their owner
 * only. The mode given at creation is cut by the umask and ignored for a file that
 * already exists, so the mode is set again after the fact.
 */
import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';

export const OWNER_ONLY = 0o600;

export function restrictToOwner(...files: string[]): void {
  for (const f of files) if (existsSync(f)) chmodSync(f, OWNER_ONLY);
}

/**
 * Before SQLite opens the file: SQLite gives a database's -wal and -shm files the
 * database file's own mode, so the database is made 0600 first; companions left by an
 * earlier run are set too.
 */
export function prepareOwnerOnlySqlite(file: string): void {
  closeSync(openSync(file, 'a', OWNER_ONLY));
  restrictToOwner(file, `${file}-wal`, `${file}-shm`, `${file}-journal`);
}
