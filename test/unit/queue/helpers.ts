/** A queue on a real in-memory SQLite database, standing at a chosen hall time. */
import { SqliteDb } from '../../../server/db/sqlite.ts';
import { loadConfigDir } from '../../../config/load.ts';
import type { HallConfig } from '../../../config/schema.ts';
import { ManualClock, hallInstant } from '../../../protocol/clock.ts';
import { QueueService } from '../../../server/queue/service.ts';
import type { Player } from '../../../server/queue/announcer.ts';

export const baseConfig = loadConfigDir();

export async function makeQueue(opts: { day?: string; time?: string; config?: (c: HallConfig) => HallConfig; player?: Player } = {}) {
  const db = new SqliteDb(':memory:');
  const config = opts.config ? opts.config(structuredClone(baseConfig)) : baseConfig;
  const clock = new ManualClock(hallInstant(opts.day ?? '2026-09-29', opts.time ?? '09:00'));
  const queue = new QueueService({ db, config: () => config, clock, tts: null, player: opts.player });
  await queue.start();
  return { db, config, clock, queue, store: queue.store, async close() { await queue.stop(); await db.close(); } };
}
