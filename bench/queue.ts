/**
 * Queue benchmarks: ticket latency from the kiosk's queue.take to the ESC/POS bytes of
 * the printed ticket, and queue throughput over a simulated 2,000-visitor day. Each
 * figure has a baseline measured in the same run. Writes its section of
 * docs/benchmarks.md between the bench:queue markers.
 *
 *   node --import tsx bench/queue.ts
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { startServer, enrollLocal } from '../server/app.ts';
import { queueOf } from '../server/queue/index.ts';
import { QueueService } from '../server/queue/service.ts';
import { ManualClock, hallInstant } from '../protocol/clock.ts';
import { percentile, median } from '../server/queue/engine.ts';
import { simulateDay } from '../server/queue/simulate.ts';
import { SqliteDb } from '../server/db/sqlite.ts';
import { loadConfigDir } from '../config/load.ts';
import { Outbox } from '../electron/services/outbox.ts';
import { SyncClient } from '../electron/services/sync-client.ts';
import { composeTerminal } from '../electron/services/kiosk-services.ts';
import { centralLinkOf } from '../electron/services/sync.ts';
import { queuePart } from '../electron/services/queue.ts';
import { sessionPart } from '../electron/services/session.ts';
import { devicesWith, linkPart } from '../test/helpers/terminal-parts.ts';
import { openHallClock } from '../test/helpers/open-hall-clock.ts';
import { encodeReceipt } from '../drivers/printer/escpos.ts';
import { parseReceipt } from '../drivers/printer/receipt.ts';
import { writeSection } from './report.ts';

const TAKES = 200;
const WARMUP = 20;

const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

async function latency() {
  const dir = mkdtempSync(join(tmpdir(), 'xj-bench-queue-'));
  const server = await startServer({ port: 0, dataDir: join(dir, 'central'), logLevel: 'error', staticDir: join(dir, 'none'), seedAdmin: { username: 'admin', password: 'bench-password-1' } });
  // Tickets are issued only while the hall is open: both ends run on a weekday morning.
  const clock = openHallClock();
  queueOf(server.ctx)!.clock.source = clock;
  const credential = await enrollLocal(server.ctx, 'kiosk-1', 'kiosk');
  const outbox = new Outbox({ dataDir: join(dir, 'kiosk') });
  const client = new SyncClient({ url: server.url, credential, outbox });
  let printedAt = 0;
  let bytes = 0;
  const link = centralLinkOf(client);
  const transactions = { append: async (type: string, payload: unknown) => ({ id: (await outbox.append(type, payload)).id }) };
  // The simulated printer's end of the line: the ESC/POS bytes the driver would send.
  const printer = devicesWith({
    available: true,
    print: async (doc) => {
      bytes = encodeReceipt(parseReceipt(doc)).length;
      printedAt = performance.now();
      return { jobId: 'bench', state: 'done' };
    },
    job: () => undefined,
    cancel: () => false,
  });
  const kiosk = await composeTerminal({ kioskId: 'kiosk-1', dataDir: join(dir, 'kiosk'), centralUrl: server.url, log: pino({ level: 'silent' }) }, [
    linkPart(transactions, link),
    printer,
    sessionPart,
    queuePart({ clock }),
  ]);
  client.start();
  while (!client.online) await new Promise((r) => setTimeout(r, 20));
  await kiosk.get('queue').topUp();
  const groups = server.ctx.config.config.hall.groups.map((g) => g.id);

  const measure = async (n: number): Promise<number[]> => {
    const out: number[] = [];
    for (let i = 0; i < n + WARMUP; i++) {
      const t0 = performance.now();
      const r = await kiosk.router.dispatch('queue.take', { groupId: groups[i % groups.length], requestId: randomUUID() });
      if (!r.ok) throw new Error(r.error.message);
      if (i >= WARMUP) out.push(printedAt - t0);
    }
    return out;
  };
  const online = await measure(TAKES);
  await client.stop();
  const offline = await measure(TAKES);
  await kiosk.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
  return { online, offline, bytes };
}

async function throughput(file: string | ':memory:') {
  const db = new SqliteDb(file);
  const config = loadConfigDir();
  const clock = new ManualClock(hallInstant('2026-09-29', '08:00'));
  const queue = new QueueService({ db, config: () => config, clock, tts: null });
  await queue.start();
  const t0 = performance.now();
  const sim = await simulateDay({ store: queue.store, appointments: queue.appointments, clock, day: '2026-09-29', tickets: 2000, seed: 20260929, appointmentCount: 60, lunchPauses: 10 });
  const wall = performance.now() - t0;
  const figures = await queue.store.figures('2026-09-29');
  await queue.stop();
  await db.close();
  return { sim, wall, figures };
}

async function main() {
  const lat = await latency();
  const dir = mkdtempSync(join(tmpdir(), 'xj-bench-day-'));
  const onDisk = await throughput(join(dir, 'central.db'));
  const inMemory = await throughput(':memory:');
  rmSync(dir, { recursive: true, force: true });

  const p = (v: number[], q: number) => fmt(percentile(v, q));
  const opsPerS = (r: typeof onDisk) => Math.round(r.sim.ops / (r.sim.opsMs / 1000));
  const util = onDisk.figures.windows.map((w) => w.utilisation ?? 0);
  const date = new Date().toISOString().slice(0, 10);
  const section = [
    '## Queue: ticket latency and a simulated day',
    '',
    `Command: \`node --import tsx bench/queue.ts\` (${date}, Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, load average ${loadavg()[0].toFixed(2)} when written)`,
    '',
    `Ticket latency: the kiosk's \`queue.take\` (group rotating over the 8 groups) until the ESC/POS bytes of the printed`,
    `ticket (${lat.bytes} bytes with its QR) are handed to the simulated printer. Online goes over the real socket.io link to a`,
    'real platform (SQLite WAL, synchronous=FULL) and records the ticket transaction in the kiosk outbox; the baseline is the',
    `same kiosk cut off, issuing from its reserved block. ${TAKES} takes each after ${WARMUP} warm-up takes.`,
    '',
    '| figure | median | p95 | max |',
    '|---|---|---|---|',
    `| online: take → printed bytes | ${fmt(median(lat.online))} | ${p(lat.online, 95)} | ${fmt(Math.max(...lat.online))} |`,
    `| baseline, offline from the block | ${fmt(median(lat.offline))} | ${p(lat.offline, 95)} | ${fmt(Math.max(...lat.offline))} |`,
    `| **platform round trip (median difference)** | **${fmt(median(lat.online) - median(lat.offline))}** | | |`,
    '',
    'Simulated day (server/queue/simulate.ts, seed 20260929): 2,000 visitors (60 booked, checked in on arrival) over the',
    '30 windows of the default hall, 10 windows pausing for lunch, ~3 % no-shows after two recalls, ~2 % transfers; every',
    'operation is a real queue transaction. The baseline is the same day on an in-memory SQLite database (no disk).',
    '',
    '| figure | SQLite file (WAL, FULL) | baseline: in-memory |',
    '|---|---|---|',
    `| queue operations | ${onDisk.sim.ops} | ${inMemory.sim.ops} |`,
    `| time in queue operations | ${(onDisk.sim.opsMs / 1000).toFixed(2)} s | ${(inMemory.sim.opsMs / 1000).toFixed(2)} s |`,
    `| **throughput** | **${opsPerS(onDisk)} ops/s** | ${opsPerS(inMemory)} ops/s |`,
    `| whole simulated day, wall clock | ${(onDisk.wall / 1000).toFixed(2)} s | ${(inMemory.wall / 1000).toFixed(2)} s |`,
    '',
    `The day itself: ${onDisk.figures.total.tickets} served, ${onDisk.figures.total.noShows} no-shows, ${onDisk.figures.total.transfers} transfers; mean wait ${onDisk.figures.total.meanWaitMinutes} min,`,
    `p95 wait ${onDisk.figures.total.p95WaitMinutes} min; window utilisation median ${median(util).toFixed(2)} (min ${Math.min(...util).toFixed(2)}, max ${Math.max(...util).toFixed(2)}).`,
  ].join('\n');

  writeSection('queue', section);
  console.log(section);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
