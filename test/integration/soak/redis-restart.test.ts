/**
 * redis-restart against two platform nodes on one PostgreSQL and one Redis (the cluster
 * configuration), a kiosk on each: while Redis is down a node says it is not ready and
 * keeps taking its own kiosk's batches; once Redis is back its link and the socket.io
 * adapter reconnect by themselves (a node lists the other node's devices again).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../server/app.ts';
import { createDatabase, idKeyFileFor, kiosk, online, removeTempDirs, Staff, startPostgres, startRedis, tempDir, testServer, waitFor, type RestartableService, type TestKiosk } from '../server/helpers.ts';
import { redisRestart } from '../../../cli/soak/faults/redis-restart.ts';
import { platformReady } from '../../../cli/soak/faults/platform-recovery.ts';
import { soakHall } from '../../helpers/soak-hall.ts';
import { readOutbox } from '../../../cli/soak/faults/outbox-file.ts';

let pg: RestartableService;
let redis: RestartableService;
let nodes: RunningServer[] = [];
let staff: Staff;
let kiosks: TestKiosk[] = [];

beforeAll(async () => {
  [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
  const db = await createDatabase(pg.url, 'soak_redis');
  const idKeyFile = idKeyFileFor(tempDir());
  nodes = [await testServer({ db, redis: redis.url, nodeId: 'n1', idKeyFile })];
  nodes.push(await testServer({ db, redis: redis.url, nodeId: 'n2', idKeyFile }));
  staff = await Staff.login(nodes[0].url);
  kiosks = [await kiosk(nodes[0].url, await staff.code('kiosk', 1, 'kiosk-r1')), await kiosk(nodes[1].url, await staff.code('kiosk', 1, 'kiosk-r2'))];
  await Promise.all(kiosks.map((k) => online(k.client)));
});

afterAll(async () => {
  for (const k of kiosks) await k.close();
  for (const n of nodes) await n.close();
  await redis?.stop();
  await pg?.stop();
  removeTempDirs();
});

const onlineOnNode1 = async () => {
  const r = await staff.call<{ onlineScope: string; devices: { id: string; online: boolean }[] }>('GET', '/api/devices');
  return r.body.onlineScope === 'all-nodes' ? r.body.devices.filter((d) => d.online).map((d) => d.id).sort() : null;
};

describe('redis-restart', () => {
  it('takes Redis away and the nodes link up again by themselves', async () => {
    const [k1, k2] = kiosks;
    expect(await onlineOnNode1()).toEqual(['kiosk-r1', 'kiosk-r2']);
    const hall = soakHall(nodes[0].url, { 'kiosk-r1': { url: '', dataDir: k1.dataDir, pid: () => process.pid }, 'kiosk-r2': { url: '', dataDir: k2.dataDir, pid: () => process.pid } });
    const fault = redisRestart({ server: redis });

    await fault.inject(hall);
    await waitFor('node 1 to say it is not ready', async () => !(await platformReady(nodes[0].url)));
    const ready = (await (await fetch(`${nodes[0].url}/api/ready`)).json()) as { error: { detail: { down: string[] } } };
    expect(ready.error.detail.down).toEqual(['redis']);
    // A node without Redis still takes its own kiosk's batches.
    await k1.outbox.append('rating', { level: 5, reasons: [] });
    await k1.outbox.drained();
    expect(await fault.recovered(hall)).toBe(false);

    await fault.restore(hall);
    await k2.outbox.append('rating', { level: 4, reasons: [] });
    await waitFor('node 1 to be ready and batches to go through', () => fault.recovered(hall), 30_000);
    expect(readOutbox(k2.dataDir).pending).toBe(0);
    await waitFor('node 1 to list node 2\'s kiosk again', async () => JSON.stringify(await onlineOnNode1()) === JSON.stringify(['kiosk-r1', 'kiosk-r2']));
    expect((await staff.call<{ count: number }>('GET', '/api/transactions/count')).body.count).toBe(2);
  });
});
