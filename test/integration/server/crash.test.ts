/**
 * kill -9, repeatedly, of the kiosk host and of the platform while they sync: every
 * transaction a kiosk confirmed reaches the platform, and none reaches it twice.
 */
import { afterAll, describe, expect, it, onTestFailed } from 'vitest';
import fc from 'fast-check';
import { randomInt } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { Outbox } from '../../../electron/services/outbox.ts';
import { SyncClient } from '../../../electron/services/sync-client.ts';
import { enrollDevice } from '../../../electron/services/sync-credential.ts';
import { freePort, removeTempDirs, spawnPlatform, Staff, tempDir, testServer, waitFor } from './helpers.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const FIXTURE = join(import.meta.dirname, 'fixtures/kiosk-proc.ts');
const children: ChildProcess[] = [];

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  removeTempDirs();
});

// Here a pause is the point: it decides when the kill lands, not how long something takes.
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Each run kills at other moments, all drawn from one seed that a failure prints:
// XIAOJIN_CRASH_SEED=<seed> replays the same kill times (the machine's pace still varies).
const SEED = Number(process.env.XIAOJIN_CRASH_SEED ?? randomInt(2 ** 31 - 1));

/** count pauses in [min, max) ms from the run's seed; offset keeps the draws of one test apart. */
function pauses(offset: number, count: number, min: number, max: number): number[] {
  return fc.sample(fc.integer({ min, max: max - 1 }), { seed: SEED + offset, numRuns: count });
}

function printSeedOnFailure(): void {
  onTestFailed(() => console.error(`crash test failed with seed ${SEED}; XIAOJIN_CRASH_SEED=${SEED} replays its kill times`));
}

function runKiosk(dataDir: string, first: number, count: number, confirmed: Set<number>): { proc: ChildProcess; done: Promise<number | null> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', FIXTURE, dataDir, String(first), String(count)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(proc);
  let buf = '';
  proc.stdout!.on('data', (chunk: Buffer) => {
    buf += chunk.toString();
    const lines = buf.split('\n');
    buf = lines.pop()!;
    for (const l of lines) if (l.startsWith('c ')) confirmed.add(Number(l.slice(2)));
  });
  const done = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  return { proc, done };
}

function numbersOn(rows: { payload: string }[]): number[] {
  return rows.map((r) => (JSON.parse(r.payload) as { n: number }).n);
}

describe('crashes during sync', () => {
  it('loses and doubles nothing when the kiosk host is killed with SIGKILL again and again', async () => {
    printSeedOnFailure();
    const killAfter = pauses(0, 5, 100, 700);
    const server = await testServer();
    try {
      const staff = await Staff.login(server.url);
      const dataDir = tempDir('xj-crash-kiosk-');
      const cred = await enrollDevice({ dataDir, url: server.url, code: await staff.code('kiosk', 1, 'kiosk-crash'), kind: 'kiosk' });
      const confirmed = new Set<number>();
      for (let round = 0; round < 5; round++) {
        const { proc, done } = runKiosk(dataDir, round * 100_000, 50_000, confirmed);
        const before = confirmed.size;
        await waitFor('the kiosk to commit something', () => confirmed.size > before + 50, 30_000, 10);
        await sleep(killAfter[round]);
        proc.kill('SIGKILL');
        await done;
      }
      const last = runKiosk(dataDir, 900_000, 200, confirmed);
      expect(await last.done).toBe(0);
      const rows = await server.ctx.db.query<{ payload: string }>('SELECT payload FROM transactions WHERE device_id = ?', [cred.deviceId]);
      const ns = numbersOn(rows);
      expect(new Set(ns).size).toBe(ns.length);
      const onServer = new Set(ns);
      const lost = [...confirmed].filter((n) => !onServer.has(n));
      expect(lost).toEqual([]);
      expect(confirmed.size).toBeGreaterThan(400);
      const seqs = await server.ctx.db.query<{ seq: number }>('SELECT seq FROM transactions WHERE device_id = ? ORDER BY seq', [cred.deviceId]);
      // Nothing was skipped: the sequence is 1..N without holes.
      expect(seqs.map((r) => Number(r.seq))).toEqual(seqs.map((_, i) => i + 1));
    } finally {
      await server.close();
    }
  });

  it('loses and doubles nothing when the platform is killed with SIGKILL again and again', async () => {
    printSeedOnFailure();
    const killAfter = pauses(1, 4, 700, 1500);
    const restartAfter = pauses(2, 4, 50, 400);
    const dataDir = tempDir('xj-crash-server-');
    const dbFile = join(dataDir, 'central.db');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const startPlatform = async () => {
      const p = await spawnPlatform({ dataDir, port, args: ['--db', dbFile] });
      children.push(p.proc);
      return p.proc;
    };

    let platform = await startPlatform();
    const staff = await Staff.login(url);
    const kioskDir = tempDir('xj-crash-kiosk2-');
    const cred = await enrollDevice({ dataDir: kioskDir, url, code: await staff.code('kiosk', 1, 'kiosk-survivor'), kind: 'kiosk' });
    const outbox = new Outbox({ dataDir: kioskDir, maxBatch: 100, backoffBaseMs: 50, backoffMaxMs: 500 });
    const client = new SyncClient({ url, credential: cred, outbox, reconnectDelayMs: 100, reconnectDelayMaxMs: 400, ackTimeoutMs: 3000 });
    client.start();
    let n = 0;
    let appending = true;
    const appender = (async () => {
      while (appending) {
        await Promise.all(Array.from({ length: 50 }, () => outbox.append('test.crash', { n: n++ })));
        // Leave the event loop to the client between bursts, as a kiosk between citizens.
        await sleep(5);
      }
    })();
    try {
      for (let round = 0; round < 4; round++) {
        await sleep(killAfter[round]);
        platform.kill('SIGKILL');
        await new Promise((r) => platform.once('exit', r));
        await sleep(restartAfter[round]);
        platform = await startPlatform();
      }
      appending = false;
      await appender;
      await waitFor('the outbox to drain', () => outbox.pending === 0, 60_000, 100);
      const appended = n;
      expect(appended).toBeGreaterThan(1000);
      await client.stop();
      await outbox.close();
      platform.kill('SIGTERM');
      await new Promise((r) => platform.once('exit', r));
      const db = new Database(dbFile, { readonly: true });
      const rows = db.prepare('SELECT payload FROM transactions WHERE device_id = ?').all(cred.deviceId) as { payload: string }[];
      db.close();
      const ns = numbersOn(rows).sort((a, b) => a - b);
      expect(ns.length).toBe(appended);
      expect(ns).toEqual(Array.from({ length: appended }, (_, i) => i));
    } finally {
      appending = false;
      if (platform.exitCode === null) platform.kill('SIGKILL');
    }
  }, 120_000);
});
