/**
 * Two platform nodes on one PostgreSQL and one Redis, with Redis (and at the end the
 * database) stopped under them: a node keeps serving its own devices, tells them of a
 * new configuration at once, lists its own sockets promptly and says it is not ready;
 * the other node's devices hear of the version as soon as Redis is back, not on the poll.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../server/app.ts';
import { createDatabase, idKeyFileFor, kiosk, online, removeTempDirs, Staff, startPostgres, startRedis, tempDir, testServer, waitFor, type RestartableService, type Service, type TestKiosk } from './helpers.ts';

let pg: Service;
let redis: RestartableService;
let node1: RunningServer;
let node2: RunningServer;
let staff1: Staff;
let k1: TestKiosk;
let k2: TestKiosk;
let dbUrl: string;
let idKeyFile: string;

beforeAll(async () => {
  [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
  const db = (dbUrl = await createDatabase(pg.url, 'outage'));
  idKeyFile = idKeyFileFor(tempDir());
  // The poll is the last resort; a ten-minute one cannot be what delivers a version here.
  [node1, node2] = await Promise.all([
    testServer({ db, redis: redis.url, nodeId: 'n1', configPollMs: 600_000, idKeyFile }),
    testServer({ db, redis: redis.url, nodeId: 'n2', configPollMs: 600_000, idKeyFile }),
  ]);
  staff1 = await Staff.login(node1.url);
  k1 = await kiosk(node1.url, await staff1.code('kiosk', 1, 'kiosk-o1'), { withConfig: true });
  k2 = await kiosk(node2.url, await staff1.code('kiosk', 1, 'kiosk-o2'), { withConfig: true });
  await Promise.all([online(k1.client), online(k2.client)]);
}, 90_000);

afterAll(async () => {
  await k1?.close();
  await k2?.close();
  await node1?.close();
  await node2?.close();
  await redis?.stop();
  await pg?.stop();
  removeTempDirs();
});

async function publishName(name: string): Promise<number> {
  const cfg = (await staff1.call('GET', '/api/config')).body;
  cfg.config.hall.name = name;
  const r = await staff1.call('POST', '/api/config', { config: cfg.config, baseVersion: cfg.version });
  expect(r.status).toBe(200);
  return r.body.version as number;
}

const get = async (url: string, path: string) => {
  const res = await fetch(`${url}${path}`);
  return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string; detail: { down: string[] } }; ok?: boolean } };
};

describe('a cluster node with Redis down', () => {
  it('tells its own kiosks at once, keeps serving, and the other node catches up when Redis returns', async () => {
    await redis.stop();
    await waitFor('node 1 to notice Redis is gone', () => !node1.ctx.redis!.ready());

    const version = await publishName('停了Redis的大厅');
    await waitFor('the kiosk on node 1 to run the new version', () => k1.client.configVersion === version);
    expect(k1.config!.config.hall.name).toBe('停了Redis的大厅');

    // Still serving: liveness, and a transaction appended on node 1's kiosk is acknowledged.
    expect((await get(node1.url, '/api/health')).status).toBe(200);
    await k1.outbox.append('rating', { level: 5, reasons: [] });
    await k1.outbox.drained();
    expect((await staff1.call('GET', '/api/transactions/count')).body.count).toBe(1);

    // Node 2 has not heard (no Redis, and its poll is ten minutes away).
    expect(node2.ctx.config.version).toBe(version - 1);
    expect(k2.client.configVersion).toBe(version - 1);

    await redis.start();
    await waitFor('the kiosk on node 2 to run the new version', () => k2.client.configVersion === version, 20_000);
    expect(k2.config!.config.hall.name).toBe('停了Redis的大厅');
    expect(node2.ctx.config.version).toBe(version);

    // Once Redis is back, announcements travel node to node again.
    await waitFor('node 1 to be linked again', () => node1.ctx.redis!.ready());
    const next = await publishName('Redis回来了');
    await waitFor('both kiosks to run the next version', () => k1.client.configVersion === next && k2.client.configVersion === next);
  });

  it('lists its own devices promptly, says so, and is not ready', async () => {
    await redis.stop();
    await waitFor('node 1 to notice Redis is gone', () => !node1.ctx.redis!.ready());
    const devices = await staff1.call('GET', '/api/devices');
    expect(devices.status, JSON.stringify(devices.body)).toBe(200);
    expect(devices.body.onlineScope).toBe('this-node');
    const byId = new Map(devices.body.devices.map((d: { id: string; online: boolean }) => [d.id, d.online]));
    expect(byId.get('kiosk-o1')).toBe(true);
    // kiosk-o2's socket is on node 2, which this node cannot ask.
    expect(byId.get('kiosk-o2')).toBe(false);

    const ready = await get(node1.url, '/api/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.error!.code).toBe('unavailable');
    expect(ready.body.error!.detail.down).toEqual(['redis']);
    expect((await get(node1.url, '/api/health')).status).toBe(200);

    await redis.start();
    await waitFor('node 1 to be ready again', async () => (await get(node1.url, '/api/ready')).status === 200);
    const all = await waitFor('node 1 to list both nodes\' devices', async () => {
      const r = await staff1.call('GET', '/api/devices');
      return r.body.onlineScope === 'all-nodes' && r.body.devices.filter((d: { online: boolean }) => d.online).length === 2 ? r : null;
    });
    expect(all!.status).toBe(200);
  });

  it('stops cleanly while Redis is down', async () => {
    const node3 = await testServer({ db: dbUrl, redis: redis.url, nodeId: 'n3', configPollMs: 600_000, idKeyFile });
    await redis.stop();
    await waitFor('node 3 to notice Redis is gone', () => !node3.ctx.redis!.ready());
    // Hung for good before: QUIT waited for a Redis that was not coming back.
    await node3.close();
    expect(node3.ctx.redis!.ready()).toBe(false);
    await redis.start();
    await waitFor('node 2 to be ready again', async () => (await get(node2.url, '/api/ready')).status === 200);
  }, 30_000);

  it('starts while Redis is down and catches up when it answers', async () => {
    await redis.stop();
    await waitFor('node 1 to notice Redis is gone', () => !node1.ctx.redis!.ready());
    // Hung before: start waited for Redis.
    const node3 = await testServer({ db: dbUrl, redis: redis.url, nodeId: 'n3', configPollMs: 600_000, idKeyFile });
    try {
      expect((await get(node3.url, '/api/health')).status).toBe(200);
      expect((await get(node3.url, '/api/ready')).body.error!.detail.down).toEqual(['redis']);
      const version = await publishName('Redis未启动时的大厅');
      expect(node3.ctx.config.version).toBe(version - 1);
      await redis.start();
      await waitFor('node 3 to catch up once Redis answers', () => node3.ctx.config.version === version);
      await waitFor('node 3 to be ready', async () => (await get(node3.url, '/api/ready')).status === 200);
    } finally {
      await node3.close();
    }
  }, 30_000);

  it('is alive but not ready while PostgreSQL is down', async () => {
    expect((await get(node2.url, '/api/ready')).status).toBe(200);
    await pg.stop();
    const ready = await waitFor('node 2 to say it is not ready', async () => {
      const r = await get(node2.url, '/api/ready');
      return r.status === 503 ? r : null;
    });
    expect(ready!.body.error!.detail.down).toEqual(['database']);
    expect(ready!.body.error!.message).toContain('database');
    const health = await get(node2.url, '/api/health');
    expect(health.status).toBe(200);
    expect(health.body.ok).toBe(true);
  });
});
