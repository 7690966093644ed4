/**
 * On PostgreSQL a node commits batches of different devices side by side (several commit
 * streams from its pool), never two batches of one device at once, and every transaction
 * still lands exactly once in each device's order.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { randomUUID } from 'node:crypto';
import { io as connect, type Socket } from 'socket.io-client';
import type { RunningServer } from '../../../server/app.ts';
import { EVENTS, type BatchAck } from '../../../protocol/sync.ts';
import { enrollDevice } from '../../../electron/services/sync-credential.ts';
import { createDatabase, removeTempDirs, Staff, startPostgres, tempDir, testServer, type Service } from './helpers.ts';

let pg: Service;
let server: RunningServer;
let staff: Staff;
const sockets: Socket[] = [];

beforeAll(async () => {
  pg = await startPostgres();
  server = await testServer({ db: await createDatabase(pg.url, 'streams'), commitStreams: 4 });
  staff = await Staff.login(server.url);
}, 60_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  await server?.close();
  await pg?.stop();
  removeTempDirs();
});

async function socketFor(deviceId: string, secret: string): Promise<Socket> {
  const s = connect(server.url, { transports: ['websocket'], auth: { deviceId, secret, protocol: 1 }, reconnection: false });
  sockets.push(s);
  await new Promise((r) => s.once('connect', () => r(null)));
  // Batches are refused before a hello on the socket.
  const hello = (await s.timeout(10_000).emitWithAck(EVENTS.hello, { configVersion: 0, lastAssignedSeq: 0, pending: 0 })) as { ok: boolean };
  if (!hello.ok) throw new Error(`hello refused: ${JSON.stringify(hello)}`);
  return s;
}

describe('commit streams on PostgreSQL', () => {
  it('commits different devices side by side and one device one batch at a time', async () => {
    // Counts commits in flight, from inside the database transaction that records them.
    const inFlight = new Map<string, number>();
    let total = 0;
    let most = 0;
    let mostForOneDevice = 0;
    server.ctx.onTransaction('rating', async (tx, t) => {
      if ((tx.payload as { level: number }).level !== 4) return;
      inFlight.set(tx.deviceId, (inFlight.get(tx.deviceId) ?? 0) + 1);
      total++;
      most = Math.max(most, total);
      mostForOneDevice = Math.max(mostForOneDevice, inFlight.get(tx.deviceId)!);
      try {
        // Hold this commit open until another is in flight beside it (once seen, no more
        // holding); with one commit stream that never happens and `most` stays 1.
        if (most < 2) await vi.waitFor(() => expect(total).toBeGreaterThan(1), { timeout: 5_000, interval: 5 }).catch(() => {});
        await t.query('SELECT 1');
      } finally {
        inFlight.set(tx.deviceId, inFlight.get(tx.deviceId)! - 1);
        total--;
      }
    });

    const DEVICES = 8;
    const BATCHES = 15;
    const PER_BATCH = 20;
    const devices = await Promise.all(
      Array.from({ length: DEVICES }, async (_, d) => enrollDevice({ dataDir: tempDir(), url: server.url, code: await staff.code('kiosk', 1, `kiosk-s${d}`), kind: 'kiosk' })),
    );
    const run = async (cred: (typeof devices)[number], sameDeviceSockets: number) => {
      const batches = Array.from({ length: BATCHES }, (_, b) => ({
        batchId: randomUUID(),
        // The first transaction of each batch is the probe (level 4); the rest plain ratings.
        txs: Array.from({ length: PER_BATCH }, (_, i) => ({ id: randomUUID(), seq: b * PER_BATCH + i + 1, type: 'rating', at: new Date().toISOString(), payload: { level: i === 0 ? 4 : 5 } })),
      }));
      const own = await Promise.all(Array.from({ length: sameDeviceSockets }, () => socketFor(cred.deviceId, cred.secret)));
      // Every socket of the device sends the same batches in order: the second is a replay.
      const acks = await Promise.all(own.map(async (s) => {
        const out: BatchAck[] = [];
        for (const b of batches) out.push((await s.timeout(30_000).emitWithAck(EVENTS.batch, b)) as BatchAck);
        return out;
      }));
      return acks.flat();
    };
    const acks = (await Promise.all(devices.map((c, d) => run(c, d === 0 ? 2 : 1)))).flat();
    const statuses = acks.flatMap((a) => (a.ok ? a.results.map((r) => r.status) : ['error']));
    expect(statuses.filter((s) => s === 'applied')).toHaveLength(DEVICES * BATCHES * PER_BATCH);
    expect(statuses.filter((s) => s === 'duplicate')).toHaveLength(BATCHES * PER_BATCH);

    expect(most).toBeGreaterThan(1);
    expect(mostForOneDevice).toBe(1);

    const rows = await server.ctx.db.query<{ device_id: string; n: number; top: number }>(
      "SELECT device_id, COUNT(*) AS n, MAX(seq) AS top FROM transactions WHERE device_id LIKE 'kiosk-s%' GROUP BY device_id ORDER BY device_id",
    );
    expect(rows).toHaveLength(DEVICES);
    for (const r of rows) expect([Number(r.n), Number(r.top)]).toEqual([BATCHES * PER_BATCH, BATCHES * PER_BATCH]);
  });
});
