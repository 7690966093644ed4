/**
 * postgres-restart against a platform in the cluster configuration (PostgreSQL and
 * Redis from Debian) and a kiosk's real outbox and sync client: while the database is
 * down the platform says it is not ready and the kiosk's transactions wait; once the
 * same cluster is back the pool reconnects by itself and every transaction is there once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../server/app.ts';
import { createDatabase, kiosk, online, removeTempDirs, Staff, startPostgres, startRedis, testServer, waitFor, type RestartableService, type TestKiosk } from '../server/helpers.ts';
import { postgresRestart } from '../../../cli/soak/faults/postgres-restart.ts';
import { platformReady } from '../../../cli/soak/faults/platform-recovery.ts';
import { readOutbox } from '../../../cli/soak/faults/outbox-file.ts';
import { soakHall } from '../../helpers/soak-hall.ts';

let pg: RestartableService;
let redis: RestartableService;
let node: RunningServer;
let staff: Staff;
let k: TestKiosk;

beforeAll(async () => {
  [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
  node = await testServer({ db: await createDatabase(pg.url, 'soak_pg'), redis: redis.url, nodeId: 'n1' });
  staff = await Staff.login(node.url);
  k = await kiosk(node.url, await staff.code('kiosk', 1, 'kiosk-pg'));
  await online(k.client);
});

afterAll(async () => {
  await k?.close();
  await node?.close();
  await redis?.stop();
  await pg?.stop();
  removeTempDirs();
});

const rate = (level: number) => k.outbox.append('rating', { level, reasons: [] });

/** A kiosk recording steadily, as a hall's traffic does, until stopped; resolves with how many it recorded. */
function traffic(): { stop(): Promise<number> } {
  let running = true;
  let made = 0;
  const loop = (async () => {
    while (running) {
      await rate(4);
      made++;
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return made;
    },
  };
}

describe('postgres-restart', () => {
  it('takes the database away under steady traffic and the platform comes back by itself with every transaction once', async () => {
    for (let i = 0; i < 3; i++) await rate(5);
    await k.outbox.drained();
    const hall = soakHall(node.url, { 'kiosk-pg': { url: '', dataDir: k.dataDir, pid: () => process.pid } });
    const fault = postgresRestart({ server: pg });
    expect(fault.target).toBe('central');

    // Batches are in flight when the server goes: some commits are cut half way.
    const steady = traffic();
    await waitFor('some traffic to reach the platform', async () => (await staff.call<{ count: number }>('GET', '/api/transactions/count')).body.count > 10);
    await fault.inject(hall);
    await waitFor('the platform to say it is not ready', async () => !(await platformReady(node.url)));
    const ready = await fetch(`${node.url}/api/ready`);
    expect(((await ready.json()) as { error: { detail: { down: string[] } } }).error.detail.down).toEqual(['database']);
    // Recorded at the kiosk while the database is down: they wait, they are not lost.
    await waitFor('transactions to wait at the kiosk', () => readOutbox(k.dataDir).pending > 5);
    expect(await fault.recovered(hall)).toBe(false);

    await fault.restore(hall);
    await waitFor('the platform to be ready and take batches again', () => fault.recovered(hall), 30_000);
    const made = await steady.stop();
    await k.outbox.drained();
    expect(readOutbox(k.dataDir)).toMatchObject({ pending: 0, deadLetters: 0 });
    // The pool's connections died with the server; staff reads go through new ones.
    const count = await staff.call<{ count: number }>('GET', '/api/transactions/count');
    expect(count.status).toBe(200);
    // Each transaction once: none lost with a cut commit, none doubled by the resend.
    expect(count.body.count).toBe(3 + made);
  });
});
