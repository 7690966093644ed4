/**
 * Two platform nodes sharing a PostgreSQL and a Redis started by the test, kiosks spread
 * over both: a configuration change made through node 1 reaches the kiosks on node 2,
 * revocation through node 1 drops a socket held by node 2, and every transaction lands
 * exactly once even when the same batches are replayed to the other node.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { io as connect } from 'socket.io-client';
import type { RunningServer } from '../../../server/app.ts';
import { EVENTS, type BatchAck } from '../../../protocol/sync.ts';
import { enrollDevice } from '../../../electron/services/sync-credential.ts';
import { runLoad } from '../../../cli/load.ts';
import { createDatabase, idKeyFileFor, kiosk, online, removeTempDirs, Staff, startPostgres, startRedis, tempDir, testServer, waitFor, type Service, type TestKiosk } from './helpers.ts';

let pg: Service;
let redis: Service;
let node1: RunningServer;
let node2: RunningServer;
let staff1: Staff;
let staff2: Staff;
const kiosks: TestKiosk[] = [];

beforeAll(async () => {
  [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
  const db = await createDatabase(pg.url, 'cluster');
  // Every node of a cluster is handed the same ID key file.
  const idKeyFile = idKeyFileFor(tempDir());
  [node1, node2] = await Promise.all([
    testServer({ db, redis: redis.url, nodeId: 'n1', configPollMs: 60_000, idKeyFile }),
    testServer({ db, redis: redis.url, nodeId: 'n2', configPollMs: 60_000, idKeyFile }),
  ]);
  staff1 = await Staff.login(node1.url);
  staff2 = await Staff.login(node2.url);
}, 90_000);

afterAll(async () => {
  for (const k of kiosks) await k.close();
  await node1?.close();
  await node2?.close();
  await redis?.stop();
  await pg?.stop();
  removeTempDirs();
});

describe('two nodes on PostgreSQL and Redis', () => {
  it('shares one configuration version 1 and one staff database', async () => {
    expect(node1.ctx.db.kind).toBe('postgres');
    expect(node1.ctx.config.version).toBe(1);
    expect(node2.ctx.config.version).toBe(1);
    expect((await staff2.call('GET', '/api/me')).status).toBe(200);
  });

  it('pushes a change made through node 1 to kiosks connected to node 2', async () => {
    for (let i = 0; i < 4; i++) {
      const url = i % 2 ? node2.url : node1.url;
      const k = await kiosk(url, await staff1.code('kiosk', 1, `kiosk-c${i}`), { withConfig: true });
      kiosks.push(k);
    }
    await Promise.all(kiosks.map((k) => online(k.client)));
    const cfg = (await staff1.call('GET', '/api/config')).body;
    cfg.config.hall.name = '两节点大厅';
    const { version } = (await staff1.call('POST', '/api/config', { config: cfg.config, baseVersion: cfg.version })).body;
    expect(version).toBe(2);
    await waitFor('every kiosk to run version 2', () => kiosks.every((k) => k.client.configVersion === 2), 20_000);
    for (const k of kiosks) expect(k.config!.config.hall.name).toBe('两节点大厅');
    // Node 2 learned it from node 1, not from its (one-minute) poll.
    await waitFor('node 2 to hold version 2', () => node2.ctx.config.version === 2, 5000);
    const devices = await waitFor('the console on node 2 to see all four online on version 2', async () => {
      const d = (await staff2.call('GET', '/api/devices')).body.devices.filter((x: { id: string }) => x.id.startsWith('kiosk-c'));
      return d.length === 4 && d.every((x: { online: boolean; configVersion: number }) => x.online && x.configVersion === 2) ? d : null;
    });
    expect(devices).toHaveLength(4);
  });

  it('lands every transaction exactly once, also when batches are replayed to the other node', async () => {
    await Promise.all(kiosks.map((k) => Promise.all(Array.from({ length: 300 }, (_, i) => k.outbox.append('rating', { level: (i % 5) + 1, reasons: i % 5 < 2 ? ['慢'] : [] })))));
    await Promise.all(kiosks.map((k) => k.outbox.drained()));
    const count = async () => (await staff2.call('GET', '/api/transactions/count')).body.count as number;
    expect(await count()).toBe(1200);
    const followups = (await staff1.call('GET', '/api/followups?limit=500')).body.followups.length;
    expect(followups).toBe(4 * 120);

    const cred = await enrollDevice({ dataDir: tempDir(), url: node1.url, code: await staff1.code('kiosk', 1, 'kiosk-replay'), kind: 'kiosk' });
    const txs = Array.from({ length: 100 }, (_, i) => ({ id: randomUUID(), seq: i + 1, type: 'rating', at: new Date().toISOString(), payload: { level: 4 } }));
    const sockets = [node1, node2].map((n) => connect(n.url, { transports: ['websocket'], auth: { deviceId: cred.deviceId, secret: cred.secret, protocol: 1 }, reconnection: false }));
    await Promise.all(sockets.map((s) => new Promise((r) => s.once('connect', () => r(null)))));
    await Promise.all(sockets.map((s) => s.timeout(10_000).emitWithAck(EVENTS.hello, { configVersion: 0, lastAssignedSeq: 100, pending: 100 })));
    const acks = (await Promise.all([...sockets, ...sockets].map((s) => s.timeout(10_000).emitWithAck(EVENTS.batch, { batchId: randomUUID(), txs })))) as BatchAck[];
    const statuses = acks.flatMap((a) => (a.ok ? a.results.map((r) => r.status) : ['error']));
    expect(statuses.filter((s) => s === 'applied')).toHaveLength(100);
    expect(statuses.filter((s) => s === 'duplicate')).toHaveLength(300);
    expect(await count()).toBe(1300);

    // Revoked through node 1: both sockets, one of them on node 2, are dropped.
    const dropped = sockets.map((s) => new Promise((r) => s.once('disconnect', () => r(null))));
    expect((await staff1.call('POST', '/api/devices/kiosk-replay/revoke')).status).toBe(200);
    await Promise.all(dropped);
  });

  it('takes load spread over both nodes with an exact count', async () => {
    const code = await staff1.code('load', 40);
    const before = (await staff1.call('GET', '/api/transactions/count')).body.count as number;
    const [a, b] = await Promise.all([
      runLoad({ kiosks: 20, tx: 250, server: node1.url, enrollCode: code }),
      runLoad({ kiosks: 20, tx: 250, server: node2.url, enrollCode: code }),
    ]);
    expect(a.applied + b.applied).toBe(10_000);
    expect((await staff1.call('GET', '/api/transactions/count')).body.count).toBe(before + 10_000);
  });
});
