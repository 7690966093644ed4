/**
 * PostgreSQL behind the Db seam, through a pg Pool. Placeholders are written `?` and
 * renumbered here; bigint and numeric come back as JavaScript numbers so callers see the
 * same values as on SQLite. Migrations take an advisory lock so nodes starting together
 * apply each step once.
 */
import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { Db, RunResult } from './types.ts';
import { renumberPlaceholders } from './sql.ts';

const numeric = (v: string) => (v === null ? null : Number(v));
const types = {
  getTypeParser(oid: number, format?: string) {
    // 20 int8, 1700 numeric: counts and averages, well inside double precision here.
    if (oid === 20 || oid === 1700) return numeric;
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

const converted = new Map<string, string>();
function toPg(sql: string): string {
  let out = converted.get(sql);
  if (out === undefined) {
    out = renumberPlaceholders(sql);
    if (converted.size > 2000) converted.clear();
    converted.set(sql, out);
  }
  return out;
}

function bind(params: unknown[] | undefined): unknown[] {
  return (params ?? []).map((p) => (p === undefined ? null : p));
}

type Queryable = pg.Pool | pg.PoolClient;

class PgTxHandle implements Db {
  readonly kind = 'postgres' as const;
  private depth = 0;
  constructor(
    private client: pg.PoolClient,
    private owner: PostgresDb,
  ) {}

  async query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> {
    return (await this.client.query(toPg(sql), bind(params))).rows as T[];
  }

  async run(sql: string, params?: unknown[]): Promise<RunResult> {
    return { changes: (await this.client.query(toPg(sql), bind(params))).rowCount ?? 0 };
  }

  async tx<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    const name = `sp${++this.depth}`;
    await this.client.query(`SAVEPOINT ${name}`);
    try {
      const value = await fn(this);
      await this.client.query(`RELEASE SAVEPOINT ${name}`);
      return value;
    } catch (err) {
      await this.client.query(`ROLLBACK TO SAVEPOINT ${name}`);
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

/** 'connection-lost': an idle client lost its server (PostgreSQL restarted or went away). */
export class PostgresDb extends EventEmitter<{ 'connection-lost': [Error] }> implements Db {
  readonly kind = 'postgres' as const;
  readonly pool: pg.Pool;

  constructor(url: string, max = 10) {
    super();
    this.pool = new pg.Pool({ connectionString: url, max, types });
    // An idle client losing its server must not crash the process; the next query reconnects.
    this.pool.on('error', (err) => this.emit('connection-lost', err));
  }

  private q(on: Queryable, sql: string, params?: unknown[]) {
    return on.query(toPg(sql), bind(params));
  }

  async query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> {
    return (await this.q(this.pool, sql, params)).rows as T[];
  }

  async run(sql: string, params?: unknown[]): Promise<RunResult> {
    return { changes: (await this.q(this.pool, sql, params)).rowCount ?? 0 };
  }

  async tx<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    // The pool listens for a lost server only while a client is idle; a restart that cuts
    // a checked-out connection would otherwise be an uncaught 'error' event. The query in
    // flight fails on its own; this client is not given back.
    const lost = () => (broken = true);
    client.on('error', lost);
    try {
      await client.query('BEGIN');
      try {
        const value = await fn(new PgTxHandle(client, this));
        await client.query('COMMIT');
        return value;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
        throw err;
      }
    } finally {
      client.off('error', lost);
      client.release(broken);
    }
  }

  async migrate(module: string, steps: string[]): Promise<void> {
    await this.tx(async (db) => {
      // One lock for every module: CREATE TABLE IF NOT EXISTS is not safe to race.
      await db.query('SELECT pg_advisory_xact_lock(72190331)');
      await db.run('CREATE TABLE IF NOT EXISTS schema_migrations (module TEXT NOT NULL, step INTEGER NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (module, step))');
      const done = new Set((await db.query<{ step: number }>('SELECT step FROM schema_migrations WHERE module = ?', [module])).map((r) => Number(r.step)));
      for (let i = 0; i < steps.length; i++) {
        if (done.has(i + 1)) continue;
        await db.run(steps[i]);
        await db.run('INSERT INTO schema_migrations (module, step, applied_at) VALUES (?, ?, ?)', [module, i + 1, new Date().toISOString()]);
      }
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

export function openPostgres(url: string, max?: number): PostgresDb {
  return new PostgresDb(url, max);
}
