/** 200 kiosks × 500 transactions through real outboxes into SQLite: the platform's count is exact. */
import { afterAll, expect, it } from 'vitest';
import { runLoad } from '../../../cli/load.ts';
import { removeTempDirs, Staff, testServer } from './helpers.ts';

afterAll(() => removeTempDirs());

it('counts 200 × 500 transactions exactly', async () => {
  const server = await testServer();
  try {
    const staff = await Staff.login(server.url);
    const summary = await runLoad({ kiosks: 200, tx: 500, server: server.url, enrollCode: await staff.code('load', 200) });
    expect(summary).toMatchObject({ appended: 100_000, applied: 100_000, duplicates: 0, rejected: 0, failed: 0, pendingLeft: 0 });
    expect((await staff.call('GET', '/api/transactions/count')).body.count).toBe(100_000);
    const perDevice = await server.ctx.db.query<{ n: number; m: number }>("SELECT COUNT(*) AS n, MAX(seq) AS m FROM transactions WHERE device_id LIKE 'load-%' GROUP BY device_id");
    expect(perDevice).toHaveLength(200);
    expect(perDevice.every((r) => Number(r.n) === 500 && Number(r.m) === 500)).toBe(true);
    const followups = (await server.ctx.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM followups'))[0];
    // Every sixth transaction is a rating; levels cycle 1..5, so 2 in 5 of them are bad.
    const ratings = (await server.ctx.db.query<{ n: number }>("SELECT COUNT(*) AS n FROM transactions WHERE type = 'rating'"))[0];
    expect(Number(ratings.n)).toBe(200 * 83);
    expect(Number(followups.n)).toBeGreaterThan(0);
  } finally {
    await server.close();
  }
}, 180_000);
