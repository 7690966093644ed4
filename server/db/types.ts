/**
 * The storage seam of the central platform. SQLite (embedded, WAL) and PostgreSQL both
 * sit behind it; SQL is written portably with `?` placeholders, which the PostgreSQL
 * adapter renumbers to $1, $2, ….
 */
export interface RunResult {
  changes: number;
}

export interface Db {
  readonly kind: 'sqlite' | 'postgres';
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  run(sql: string, params?: unknown[]): Promise<RunResult>;
  /** Runs fn in one transaction; everything it does commits or none of it does. */
  tx<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  /**
   * Applies the named module's migrations in order, each once, recorded in a
   * schema_migrations table; modules (sync, console, queue) own their own tables.
   */
  migrate(module: string, steps: string[]): Promise<void>;
  close(): Promise<void>;
}
