/**
 * The platform's PostgreSQL pool across a restart of the server: a transaction whose
 * connection the restart cuts fails with an error its caller can handle (it used to
 * reach the process as an uncaught 'error' event), and the pool serves again from new
 * connections once the same cluster is back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type PostgresDb } from '../../../server/db/postgres.ts';
import { createDatabase, removeTempDirs, startPostgres, waitFor, type RestartableService } from './helpers.ts';

let pg: RestartableService;
let db: PostgresDb;

beforeAll(async () => {
  pg = await startPostgres();
  db = openPostgres(await createDatabase(pg.url, 'restart'));
  await db.run('CREATE TABLE t (n INTEGER NOT NULL)');
});

afterAll(async () => {
  await db?.close();
  await pg?.stop();
  removeTempDirs();
});

describe('PostgreSQL pool across a server restart', () => {
  it('fails the open transaction cleanly and serves again from new connections', async () => {
    let stopped!: () => void;
    const serverGone = new Promise<void>((r) => (stopped = r));
    const open = db.tx(async (t) => {
      await t.run('INSERT INTO t (n) VALUES (1)');
      await serverGone;
      await t.run('INSERT INTO t (n) VALUES (2)');
    });
    const outcome = open.then(() => 'committed', (err: Error) => err.message);
    // Hold the transaction's connection while the server shuts down under it.
    await waitFor('the transaction to hold its connection', () => db.pool.totalCount > db.pool.idleCount);
    await pg.stop();
    stopped();
    expect(await outcome).toMatch(/terminat|connection/i);
    await pg.start();
    await waitFor('the pool to answer again', async () => (await db.query('SELECT 1 AS one').catch(() => null)) !== null, 20_000, 200);
    await db.tx(async (t) => t.run('INSERT INTO t (n) VALUES (3)'));
    const rows = await db.query<{ n: number }>('SELECT n FROM t ORDER BY n');
    // The cut transaction left nothing behind.
    expect(rows.map((r) => r.n)).toEqual([3]);
  });
});
