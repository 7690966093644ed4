/** The Db seam behaves the same on SQLite and on a PostgreSQL started for the test. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Db } from '../../../server/db/types.ts';
import { openSqlite } from '../../../server/db/sqlite.ts';
import { openPostgres } from '../../../server/db/postgres.ts';
import { createDatabase, removeTempDirs, startPostgres, tempDir, type Service } from './helpers.ts';

let pg: Service;
const dbs: Record<string, Db> = {};

beforeAll(async () => {
  pg = await startPostgres();
  dbs.sqlite = openSqlite(join(tempDir(), 'x.db'));
  dbs.postgres = openPostgres(await createDatabase(pg.url, 'seam'));
});

afterAll(async () => {
  for (const d of Object.values(dbs)) await d.close();
  await pg?.stop();
  removeTempDirs();
});

describe.each(['sqlite', 'postgres'])('%s', (kind) => {
  const db = () => dbs[kind];

  it('applies each migration step once, in order', async () => {
    const steps = ['CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER NOT NULL, note TEXT)', "INSERT INTO t (id, n, note) VALUES ('seed', 0, 'it''s ? here')"];
    await db().migrate('seam', steps);
    await db().migrate('seam', steps);
    await Promise.all([db().migrate('seam', [...steps, 'CREATE INDEX t_n ON t (n)']), db().migrate('seam', [...steps, 'CREATE INDEX t_n ON t (n)'])]);
    const rows = await db().query<{ step: number }>('SELECT step FROM schema_migrations WHERE module = ? ORDER BY step', ['seam']);
    expect(rows.map((r) => Number(r.step))).toEqual([1, 2, 3]);
    const seed = await db().query<{ note: string }>('SELECT note FROM t WHERE id = ?', ['seed']);
    expect(seed[0].note).toBe("it's ? here");
  });

  it('binds ? placeholders, returns numbers as numbers and counts changes', async () => {
    const r = await db().run('INSERT INTO t (id, n) VALUES (?, ?), (?, ?)', ['a', 1, 'b', 2]);
    expect(r.changes).toBe(2);
    const again = await db().run('INSERT INTO t (id, n) VALUES (?, ?) ON CONFLICT (id) DO NOTHING', ['a', 9]);
    expect(again.changes).toBe(0);
    const [c] = await db().query<{ n: number; s: number }>("SELECT COUNT(*) AS n, SUM(n) AS s FROM t WHERE id <> '?' AND id IN (?, ?)", ['a', 'b']);
    expect(c).toEqual({ n: 2, s: 3 });
    const returned = await db().query<{ id: string }>('INSERT INTO t (id, n) VALUES (?, ?), (?, ?) ON CONFLICT (id) DO NOTHING RETURNING id', ['a', 5, 'c', 3]);
    expect(returned.map((x) => x.id)).toEqual(['c']);
  });

  it('commits a transaction whole or not at all, with savepoints inside', async () => {
    await expect(
      db().tx(async (t) => {
        await t.run('INSERT INTO t (id, n) VALUES (?, ?)', ['d', 4]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db().query('SELECT id FROM t WHERE id = ?', ['d'])).toEqual([]);
    await db().tx(async (t) => {
      await t.run('INSERT INTO t (id, n) VALUES (?, ?)', ['e', 5]);
      await t.tx(async (inner) => {
        await inner.run('INSERT INTO t (id, n) VALUES (?, ?)', ['f', 6]);
        throw new Error('inner');
      }).catch(() => {});
    });
    expect((await db().query<{ id: string }>("SELECT id FROM t WHERE id IN ('e', 'f') ORDER BY id")).map((r) => r.id)).toEqual(['e']);
  });

  it('keeps concurrent transactions apart', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        db().tx(async (t) => {
          const [row] = await t.query<{ n: number }>("SELECT n FROM t WHERE id = 'seed'" + (kind === 'postgres' ? ' FOR UPDATE' : ''));
          // Hold the transaction open across timer turns so the others run meanwhile: without
          // isolation their read-modify-write would interleave and lose increments.
          await new Promise((r) => setTimeout(r, i % 3));
          await t.run("UPDATE t SET n = ? WHERE id = 'seed'", [Number(row.n) + 1]);
        }),
      ),
    );
    const [seed] = await db().query<{ n: number }>("SELECT n FROM t WHERE id = 'seed'");
    expect(Number(seed.n)).toBe(20);
  });
});
