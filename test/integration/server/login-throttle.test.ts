/**
 * Sign-in throttling against a guessing run: per account and per address, lockouts that
 * refuse even the right password, expire and grow, agree between two nodes on one
 * database, and leave an audit trail the console lists and can lift.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { RunningServer, StartServerOptions } from '../../../server/app.ts';
import { ADMIN, createDatabase, idKeyFileFor, removeTempDirs, Staff, startPostgres, tempDir, testServer, waitFor } from './helpers.ts';

const servers: RunningServer[] = [];
async function server(extra: Partial<StartServerOptions> = {}): Promise<RunningServer> {
  const s = await testServer({ loginThrottle: { delayStepMs: 1 }, ...extra });
  servers.push(s);
  return s;
}

afterAll(async () => {
  for (const s of servers) await s.close();
  removeTempDirs();
});

async function login(s: RunningServer, password: string, from = '127.0.0.1', username = ADMIN.username) {
  const res = await s.ctx.app.inject({ method: 'POST', url: '/api/login', payload: { username, password }, remoteAddress: from });
  return { status: res.statusCode, retryAfter: res.headers['retry-after'], body: res.json() as { error?: { code: string; message: string } } };
}

describe('login throttling', () => {
  it('refuses the right password after 300 wrong ones, and says when to come back', async () => {
    const s = await server();
    const statuses: number[] = [];
    for (let i = 0; i < 300; i++) statuses.push((await login(s, `wrong-${i}`)).status);
    expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401]);
    expect(statuses.filter((x) => x === 429).length).toBeGreaterThanOrEqual(295);
    const right = await login(s, ADMIN.password);
    expect(right.status).toBe(429);
    expect(right.body.error?.code).toBe('rate-limited');
    expect(Number(right.retryAfter)).toBeGreaterThan(0);
  });

  it('lets the lockout expire, then locks longer the next time', async () => {
    const s = await server({ loginThrottle: { delayStepMs: 1, lockMs: 1000 } });
    for (let i = 0; i < 5; i++) await login(s, 'wrong');
    const first = await login(s, ADMIN.password);
    expect(first.status).toBe(429);
    // A wrong password answered 401 again (not 429) means the lock is over; it counts as the first new failure.
    await waitFor('the lock to expire', async () => (await login(s, 'still wrong')).status === 401, 10_000, 100);
    for (let i = 0; i < 4; i++) await login(s, 'wrong');
    const second = await login(s, ADMIN.password);
    expect(second.status).toBe(429);
    expect(Number(second.retryAfter)).toBeGreaterThan(Number(first.retryAfter));
  });

  it('throttles an address on its own: guesses at many accounts lock that address, not another', async () => {
    const s = await server({ loginThrottle: { delayStepMs: 1, addressFailures: 10 } });
    for (let i = 0; i < 10; i++) expect((await login(s, 'wrong', '10.0.0.7', `user${i}`)).status).toBe(401);
    expect((await login(s, ADMIN.password, '10.0.0.7')).status).toBe(429);
    expect((await login(s, ADMIN.password, '10.0.0.8')).status).toBe(200);
  });

  it('keeps the lock in the database, so a second node on it refuses too', async () => {
    const dataDir = tempDir();
    const idKeyFile = idKeyFileFor(tempDir());
    const a = await server({ dataDir, idKeyFile });
    const b = await server({ db: join(dataDir, 'central.db'), idKeyFile });
    for (let i = 0; i < 5; i++) await login(a, 'wrong');
    expect((await login(b, ADMIN.password)).status).toBe(429);
  });

  it('agrees between two nodes on PostgreSQL', async () => {
    const postgres = await startPostgres();
    try {
      const db = await createDatabase(postgres.url, 'throttle');
      const idKeyFile = idKeyFileFor(tempDir());
      const [a, b] = [await server({ db, idKeyFile }), await server({ db, idKeyFile })];
      for (let i = 0; i < 4; i++) expect((await login(i % 2 ? a : b, 'wrong', '10.9.9.9')).status).toBe(401);
      expect((await login(a, 'wrong', '10.9.9.9')).status).toBe(401);
      const refused = await login(b, ADMIN.password, '10.9.9.10');
      expect(refused.status).toBe(429);
      expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    } finally {
      for (const s of servers.splice(-2)) await s.close();
      await postgres.stop();
    }
  });

  it('audits failures and the lockout without the password, lists them in the console and lets a manager unlock', async () => {
    const s = await server();
    const staff = await Staff.login(s.url);
    for (let i = 0; i < 5; i++) await login(s, 'hunter2-secret', '10.1.2.3');
    expect((await login(s, ADMIN.password, '10.1.2.3')).status).toBe(429);

    const listed = await staff.call('GET', '/api/auth-audit');
    expect(listed.status).toBe(200);
    const entries = listed.body.entries as { event: string; username: string; address: string }[];
    expect(entries.filter((e) => e.event === 'login-failed' && e.username === 'admin' && e.address === '10.1.2.3')).toHaveLength(5);
    expect(entries.some((e) => e.event === 'lockout' && e.username === 'admin')).toBe(true);
    expect(JSON.stringify(listed.body)).not.toContain('hunter2');
    expect(listed.body.locks).toContainEqual(expect.objectContaining({ account: 'admin' }));

    expect((await staff.call('POST', '/api/login-locks/unlock', { account: 'admin' })).status).toBe(200);
    expect((await login(s, ADMIN.password, '10.1.2.3')).status).toBe(200);
    expect((await staff.call('GET', '/api/auth-audit')).body.entries.some((e: { event: string }) => e.event === 'unlock')).toBe(true);
    expect((await staff.call('POST', '/api/login-locks/unlock', { password: 'x' })).status).toBe(400);
  });
});
