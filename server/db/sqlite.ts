/**
 * SQLite behind the Db seam: one better-sqlite3 connection in WAL mode with
 * synchronous=FULL, so a commit that returned survives a power cut. better-sqlite3 is
 * synchronous; a transaction that awaits between statements holds a lock so no other
 * caller's statement lands inside it.
 */
import Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Db, RunResult } from './types.ts';
import { Mutex } from './sql.ts';
import { prepareOwnerOnlySqlite, restrictToOwner } from '../../common/private-files.ts';

type Conn = InstanceType<typeof Database>;

function bind(params: unknown[] | undefined): unknown[] {
  if (!params) return [];
  return params.map((p) => (p === undefined ? null : typeof p === 'boolean' ? (p ? 1 : 0) : p instanceof Date ? p.toISOString() : p));
}

class SqliteStatements {
  private cache = new Map<string, Statement>();
  constructor(private conn: Conn) {}

  get(sql: string): Statement {
    let stmt = this.cache.get(sql);
    if (!stmt) {
      stmt = this.conn.prepare(sql);
      if (this.cache.size > 500) this.cache.clear();
      this.cache.set(sql, stmt);
    }
    return stmt;
  }

  query<T>(sql: string, params?: unknown[]): T[] {
    const stmt = this.get(sql);
    if (!stmt.reader) {
      stmt.run(...bind(params));
      return [];
    }
    return stmt.all(...bind(params)) as T[];
  }

  run(sql: string, params?: unknown[]): RunResult {
    const stmt = this.get(sql);
    if (stmt.reader) return { changes: stmt.all(...bind(params)).length };
    return { changes: stmt.run(...bind(params)).changes };
  }
}

/** The handle a transaction body works through: statements go straight to the connection. */
class SqliteTxHandle implements Db {
  readonly kind = 'sqlite' as const;
  private depth = 0;
  constructor(
    private stmts: SqliteStatements,
    private conn: Conn,
    private owner: SqliteDb,
  ) {}

  async query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> {
    return this.stmts.query<T>(sql, params);
  }

  async run(sql: string, params?: unknown[]): Promise<RunResult> {
    return this.stmts.run(sql, params);
  }

  /** Nested transactions become savepoints. */
  async tx<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    const name = `sp${++this.depth}`;
    this.conn.exec(`SAVEPOINT ${name}`);
    try {
      const value = await fn(this);
      this.conn.exec(`RELEASE ${name}`);
      return value;
    } catch (err) {
      this.conn.exec(`ROLLBACK TO ${name}`);
      this.conn.exec(`RELEASE ${name}`);
      throw err;
    } finally {
      this.depth--;
    }
  }

  migrate(module: string, steps: string[]): Promise<void> {
    return this.owner.migrate(module, steps);
  }

  async close(): Promise<void> {
    throw new Error('close the database, not a transaction handle');
  }
}

export class SqliteDb implements Db {
  readonly kind = 'sqlite' as const;
  private conn: Conn;
  private stmts: SqliteStatements;
  private lock = new Mutex();
  private closed = false;

  constructor(readonly file: string) {
    if (file !== ':memory:') {
      mkdirSync(dirname(file), { recursive: true });
      prepareOwnerOnlySqlite(file);
    }
    this.conn = new Database(file);
    this.conn.pragma('journal_mode = WAL');
    if (file !== ':memory:') restrictToOwner(`${file}-wal`, `${file}-shm`);
    this.conn.pragma('synchronous = FULL');
    this.conn.pragma('busy_timeout = 10000');
    this.conn.pragma('foreign_keys = ON');
    this.stmts = new SqliteStatements(this.conn);
  }

  private async idle<T>(fn: () => T): Promise<T> {
    if (this.closed) throw new Error('database is closed');
    // Outside a transaction a statement runs at once; inside one it waits its turn.
    if (!this.lock.locked) return fn();
    const release = await this.lock.acquire();
    try {
      return fn();
    } finally {
      release();
    }
  }

  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> {
    return this.idle(() => this.stmts.query<T>(sql, params));
  }

  run(sql: string, params?: unknown[]): Promise<RunResult> {
    return this.idle(() => this.stmts.run(sql, params));
  }

  async tx<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    if (this.closed) throw new Error('database is closed');
    const release = await this.lock.acquire();
    try {
      this.conn.exec('BEGIN IMMEDIATE');
      try {
        const value = await fn(new SqliteTxHandle(this.stmts, this.conn, this));
        this.conn.exec('COMMIT');
        return value;
      } catch (err) {
        if (this.conn.inTransaction) this.conn.exec('ROLLBACK');
        throw err;
      }
    } finally {
      release();
    }
  }

  /** Runs several statements separated by semicolons (migrations). */
  private exec(sql: string): void {
    this.conn.exec(sql);
  }

  async migrate(module: string, steps: string[]): Promise<void> {
    await this.idle(() =>
      this.exec('CREATE TABLE IF NOT EXISTS schema_migrations (module TEXT NOT NULL, step INTEGER NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (module, step))'),
    );
    await this.tx(async (db) => {
      const done = new Set((await db.query<{ step: number }>('SELECT step FROM schema_migrations WHERE module = ?', [module])).map((r) => Number(r.step)));
      for (let i = 0; i < steps.length; i++) {
        if (done.has(i + 1)) continue;
        this.exec(steps[i]);
        await db.run('INSERT INTO schema_migrations (module, step, applied_at) VALUES (?, ?, ?)', [module, i + 1, new Date().toISOString()]);
      }
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    const release = await this.lock.acquire();
    this.closed = true;
    try {
      this.conn.close();
    } finally {
      release();
    }
  }
}

export function openSqlite(file: string): SqliteDb {
  return new SqliteDb(file);
}
