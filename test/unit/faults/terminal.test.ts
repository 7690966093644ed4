/** What a terminal notices of its own faults: outages timed, a crashed screen's recovery, an outbox whose disk is full. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { OutageClock } from '../../../electron/services/fault-log.ts';
import { ScreenWatchdog } from '../../../electron/services/watchdog.ts';
import { Outbox } from '../../../electron/services/outbox.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('outage clock', () => {
  it('hands over an outage once it is over, from its first loss, and ignores one shorter than the minimum', () => {
    let now = Date.parse('2026-12-01T02:00:00.000Z');
    const over: { since: string; until: string; detail: string }[] = [];
    const clock = new OutageClock(5000, (o) => over.push(o), () => now);
    clock.lost('unreachable');
    now += 3000;
    clock.back();
    expect(over).toEqual([]);
    clock.lost('first');
    now += 4000;
    clock.lost('second loss while down');
    now += 8000;
    expect(clock.down).toBe(true);
    clock.back();
    clock.back();
    expect(over).toEqual([{ since: '2026-12-01T02:00:03.000Z', until: '2026-12-01T02:00:15.000Z', detail: 'first' }]);
  });
});

describe('screen watchdog and crashes', () => {
  it('reports a crash once and its recovery at the first beat of the reloaded page', () => {
    vi.useFakeTimers();
    const dog = new ScreenWatchdog({ silenceMs: 5000, checkMs: 100 });
    cleanups.push(() => dog.stop());
    const seen: string[] = [];
    dog.on('crashed', (r) => seen.push(`crashed: ${r}`));
    dog.on('recovered', () => seen.push('recovered'));
    dog.beat('home');
    dog.crashed('renderer crashed');
    dog.crashed('renderer crashed');
    dog.reset();
    expect(seen).toEqual(['crashed: renderer crashed']);
    dog.beat('home');
    dog.beat('home');
    expect(seen).toEqual(['crashed: renderer crashed', 'recovered']);
  });
});

describe('outbox on a full disk', () => {
  it('holds appends the disk refuses, commits them in order once it can, and says when it could not write', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xj-outbox-full-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const outbox = new Outbox({ dataDir: dir, writeRetryBaseMs: 20, writeRetryMaxMs: 50 });
    cleanups.push(() => outbox.close());
    await outbox.append('rating', { level: 5 });
    // SQLite's page limit refuses the next write with SQLITE_FULL, as a full disk does.
    const db = (outbox as unknown as { db: Database.Database }).db;
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
    const events: string[] = [];
    let unwritable: { since: string; error: string } | undefined;
    let writable: { since: string; until: string } | undefined;
    outbox.on('unwritable', (u) => {
      unwritable = u;
      events.push('unwritable');
    });
    outbox.on('writable', (w) => {
      writable = w;
      events.push('writable');
    });

    const held = [outbox.append('test.misc', { s: 'x'.repeat(8000) }), outbox.append('test.misc', { s: 'y'.repeat(8000) })];
    let settled = false;
    void Promise.allSettled(held).then(() => (settled = true));
    // Several retries fail while the disk stays full; nothing is dropped or resolved meanwhile.
    await vi.waitFor(() => expect(outbox.writeFailing).toBe(true));
    expect(unwritable?.error).toMatch(/^SQLITE_FULL/);
    // What the terminal's health check shows a technician (and the soak run) meanwhile.
    expect(outbox.status()).toMatchObject({ writable: false, pending: 1 });
    expect(settled).toBe(false);
    expect(outbox.pending).toBe(1);

    db.pragma('max_page_count = 1073741823');
    const done = await Promise.all(held);
    expect(done.map((d) => d.seq)).toEqual([2, 3]);
    expect(outbox.pending).toBe(3);
    expect(events).toEqual(['unwritable', 'writable']);
    expect(Date.parse(writable!.until)).toBeGreaterThanOrEqual(Date.parse(writable!.since));
    expect(writable!.since).toBe(unwritable!.since);
    expect(outbox.writeFailing).toBe(false);
    expect(outbox.status()).toMatchObject({ writable: true, pending: 3 });
  });
});
