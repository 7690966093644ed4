/**
 * Two platform nodes as child processes behind a tiny TCP balancer (what a hall's load
 * balancer does: each new connection to a live node), kiosks spread over both syncing
 * continuously; node 1 is killed with SIGKILL mid-stream. Its kiosks reconnect through the
 * balancer to node 2, and in PostgreSQL every transaction a kiosk appended is there
 * exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { createDatabase, idKeyFileFor, kiosk, online, removeTempDirs, spawnPlatform, Staff, startPostgres, startRedis, tempDir, waitFor, type PlatformProcess, type Service, type TestKiosk } from './helpers.ts';

/** Round-robin over the backends; a backend that refuses is skipped for the next one. */
function balancer(ports: number[]): { server: Server; url: Promise<string>; connections: Map<number, Set<Socket>> } {
  const connections = new Map(ports.map((p) => [p, new Set<Socket>()]));
  let next = 0;
  const server = createServer((client) => {
    client.pause();
    const tryBackend = (left: number) => {
      if (left === 0) return client.destroy();
      const port = ports[next++ % ports.length];
      const upstream = createConnection({ port, host: '127.0.0.1' });
      const refused = () => {
        upstream.destroy();
        tryBackend(left - 1);
      };
      upstream.once('error', refused);
      upstream.once('connect', () => {
        upstream.off('error', refused);
        connections.get(port)!.add(client);
        client.once('close', () => connections.get(port)!.delete(client));
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
        upstream.once('close', () => client.destroy());
        client.once('close', () => upstream.destroy());
        client.pipe(upstream).pipe(client);
        client.resume();
      });
    };
    tryBackend(ports.length);
  });
  const url = new Promise<string>((r) => server.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${(server.address() as { port: number }).port}`)));
  return { server, url, connections };
}

let pgService: Service;
let redis: Service;
let dbUrl: string;
const nodes: PlatformProcess[] = [];
let lb: ReturnType<typeof balancer>;
const kiosks: TestKiosk[] = [];

beforeAll(async () => {
  [pgService, redis] = await Promise.all([startPostgres(), startRedis()]);
  dbUrl = await createDatabase(pgService.url, 'failover');
  // One after the other: the first creates the schema and version 1.
  const idKeyFile = idKeyFileFor(tempDir());
  for (const id of ['n1', 'n2']) nodes.push(await spawnPlatform({ args: ['--db', dbUrl, '--redis', redis.url, '--node-id', id, '--id-key-file', idKeyFile] }));
  lb = balancer(nodes.map((n) => Number(new URL(n.url).port)));
}, 120_000);

afterAll(async () => {
  for (const k of kiosks) await k.close();
  for (const n of nodes) await n.kill('SIGKILL');
  lb?.server.close();
  await redis?.stop();
  await pgService?.stop();
  removeTempDirs();
});

describe('a node killed with SIGKILL under load', () => {
  it('moves its kiosks to the other node and loses or doubles nothing', async () => {
    const url = await lb.url;
    const staff = await Staff.login(url);
    for (let i = 0; i < 6; i++) kiosks.push(await kiosk(url, await staff.code('kiosk', 1, `kiosk-f${i}`)));
    await Promise.all(kiosks.map((k) => online(k.client)));
    const [p1, p2] = nodes.map((n) => Number(new URL(n.url).port));
    expect(lb.connections.get(p1)!.size).toBeGreaterThan(0);
    expect(lb.connections.get(p2)!.size).toBeGreaterThan(0);

    const db = new pg.Client({ connectionString: dbUrl });
    await db.connect();
    const stored = async () => Number((await db.query('SELECT COUNT(*) AS n FROM transactions')).rows[0].n);
    try {
      // Every kiosk appends in rounds and waits for each round to be acknowledged, on and on.
      const ROUNDS = 40;
      const PER_ROUND = 10;
      const appended = new Map<string, string[]>();
      const streams = kiosks.map(async (k) => {
        const ids: string[] = [];
        appended.set(k.deviceId, ids);
        for (let r = 0; r < ROUNDS; r++) {
          const round = await Promise.all(Array.from({ length: PER_ROUND }, (_, i) => k.outbox.append('rating', { level: ((r + i) % 3) + 3, reasons: [] })));
          ids.push(...round.map((a) => a.id));
          await k.outbox.drained();
        }
      });

      const total = kiosks.length * ROUNDS * PER_ROUND;
      await waitFor('a third of the load to be stored', async () => (await stored()) >= total / 3, 60_000);
      await nodes[0].kill('SIGKILL');
      expect(nodes[0].proc.signalCode).toBe('SIGKILL');

      await Promise.all(streams);
      await waitFor('every kiosk to be back online through the balancer', () => kiosks.every((k) => k.client.online));
      expect(lb.connections.get(p1)!.size).toBe(0);

      const rows = (await db.query<{ id: string; device_id: string; seq: string }>('SELECT id, device_id, seq FROM transactions')).rows;
      expect(rows).toHaveLength(total);
      expect(new Set(rows.map((r) => r.id)).size).toBe(total);
      const want = new Set([...appended.values()].flat());
      expect(want.size).toBe(total);
      for (const r of rows) expect(want.has(r.id)).toBe(true);
      for (const k of kiosks) {
        const seqs = rows.filter((r) => r.device_id === k.deviceId).map((r) => Number(r.seq)).sort((a, b) => a - b);
        expect(seqs).toEqual(Array.from({ length: ROUNDS * PER_ROUND }, (_, i) => i + 1));
      }
      // Node 2 took over: it stored what came after the kill.
      const byNode = (await db.query<{ node_id: string; n: string }>('SELECT node_id, COUNT(*) AS n FROM transactions GROUP BY node_id')).rows;
      expect(byNode.find((r) => r.node_id === 'n2')).toBeDefined();
    } finally {
      await db.end();
    }
  });
});
