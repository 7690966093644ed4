/** Fault episodes at the platform: opened by a non-ok state, closed by the next ok, counted per device and day. */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite, type SqliteDb } from '../../../server/db/sqlite.ts';
import { applyDeviceFault, faultHistory, FAULT_MIGRATIONS } from '../../../server/faults/store.ts';
import { parseDayRange } from '../../../server/day-range.ts';
import { checkPayload, DeviceFault } from '../../../protocol/sync.ts';
import { hallInstant } from '../../../protocol/clock.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function db(): Promise<SqliteDb> {
  const dir = mkdtempSync(join(tmpdir(), 'xj-faults-'));
  const d = openSqlite(join(dir, 'central.db'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }), () => d.close());
  await d.migrate('faults', FAULT_MIGRATIONS);
  return d;
}

/** An instant on a hall day, as ISO. */
const on = (day: string, hhmm: string, seconds = 0) => new Date(hallInstant(day, hhmm) + seconds * 1000).toISOString();

let n = 0;
async function apply(d: SqliteDb, terminal: string, at: string, fault: DeviceFault): Promise<void> {
  await applyDeviceFault(d, { id: `tx-${++n}`, deviceId: terminal, at }, DeviceFault.parse(fault));
}

describe('device-fault payloads', () => {
  it('still accepts what older kiosks send, and the new kinds with when the fault began', () => {
    const old = [
      { device: 'printer', kind: 'printer', state: 'faulty', paper: 'out', detail: '缺纸 (paper out)' },
      { device: 'idcard', kind: 'idcard', state: 'absent' },
      { device: 'p1', kind: 'printer', state: 'ok' },
    ];
    for (const p of old) expect(checkPayload('device-fault', p)).toMatchObject({ ok: true });
    for (const kind of ['link', 'screen', 'base', 'disk']) {
      expect(checkPayload('device-fault', { device: kind, kind, state: 'faulty', since: '2026-12-01T02:00:00.000Z' })).toMatchObject({ ok: true });
    }
  });

  it('refuses a start that is not a time, and a kind nobody knows', () => {
    expect(checkPayload('device-fault', { device: 'screen', kind: 'screen', state: 'faulty', since: 'yesterday' })).toMatchObject({ ok: false, code: 'bad-payload' });
    expect(checkPayload('device-fault', { device: 'x', kind: 'toaster', state: 'faulty' })).toMatchObject({ ok: false, code: 'bad-payload' });
  });
});

describe('fault episodes', () => {
  it('opens on a non-ok state, keeps one episode while it stays wrong, and closes on the next ok', async () => {
    const d = await db();
    await apply(d, 'kiosk-1', on('2026-12-01', '09:00'), { device: 'printer', kind: 'printer', state: 'faulty', paper: 'out', detail: '缺纸 (paper out)' });
    await apply(d, 'kiosk-1', on('2026-12-01', '09:01'), { device: 'printer', kind: 'printer', state: 'faulty', detail: 'jammed' });
    // Another terminal's printer is its own episode.
    await apply(d, 'teller-1', on('2026-12-01', '09:02'), { device: 'printer', kind: 'printer', state: 'absent' });
    await apply(d, 'kiosk-1', on('2026-12-01', '09:05', 30), { device: 'printer', kind: 'printer', state: 'ok', paper: 'ok' });
    // An ok with nothing open (near end of paper is not a fault) changes nothing.
    await apply(d, 'kiosk-1', on('2026-12-01', '09:06'), { device: 'printer', kind: 'printer', state: 'ok', paper: 'near-end' });

    const h = await faultHistory(d, parseDayRange({ from: '2026-12-01', to: '2026-12-01' }, 30));
    expect(h.episodes).toEqual([
      { terminal: 'teller-1', device: 'printer', kind: 'printer', startedAt: on('2026-12-01', '09:02'), noticedAt: on('2026-12-01', '09:02'), recoveredAt: null, recoverSeconds: null, detail: 'absent' },
      {
        terminal: 'kiosk-1',
        device: 'printer',
        kind: 'printer',
        startedAt: on('2026-12-01', '09:00'),
        noticedAt: on('2026-12-01', '09:00'),
        recoveredAt: on('2026-12-01', '09:05', 30),
        recoverSeconds: 330,
        detail: '缺纸 (paper out)',
      },
    ]);
  });

  it('dates an outage recorded late from when the terminal saw it begin and end', async () => {
    const d = await db();
    const lost = on('2026-12-02', '23:59', 50);
    const back = on('2026-12-03', '00:00', 40);
    const recorded = on('2026-12-03', '00:00', 41);
    await apply(d, 'kiosk-1', recorded, { device: 'central-link', kind: 'link', state: 'faulty', since: lost, detail: 'central platform unreachable' });
    await apply(d, 'kiosk-1', recorded, { device: 'central-link', kind: 'link', state: 'ok', since: back });
    const h = await faultHistory(d, parseDayRange({ from: '2026-12-01', to: '2026-12-03' }, 30));
    expect(h.episodes).toHaveLength(1);
    expect(h.episodes[0]).toMatchObject({ startedAt: lost, noticedAt: recorded, recoveredAt: back, recoverSeconds: 50 });
    // Counted on the hall day it began, not the day it was recorded.
    expect(h.days).toEqual(['2026-12-01', '2026-12-02', '2026-12-03']);
    expect(h.byDevice).toEqual([{ terminal: 'kiosk-1', device: 'central-link', kind: 'link', perDay: [0, 1, 0] }]);
  });

  it('counts episodes per device and hall day and lists a fault still open from before the range', async () => {
    const d = await db();
    await apply(d, 'robot-1', on('2026-11-20', '10:00'), { device: 'base', kind: 'base', state: 'faulty', detail: 'link lost' });
    for (const [day, times] of [['2026-12-01', 3], ['2026-12-03', 1]] as const) {
      for (let i = 0; i < times; i++) {
        await apply(d, 'kiosk-1', on(day, '10:00', i * 60), { device: 'screen', kind: 'screen', state: 'faulty', detail: 'hung' });
        await apply(d, 'kiosk-1', on(day, '10:00', i * 60 + 20), { device: 'screen', kind: 'screen', state: 'ok' });
      }
    }
    const h = await faultHistory(d, parseDayRange({ from: '2026-12-01', to: '2026-12-03' }, 30));
    expect(h.byDevice).toEqual([{ terminal: 'kiosk-1', device: 'screen', kind: 'screen', perDay: [3, 0, 1] }]);
    expect(h.episodes.map((e) => [e.terminal, e.startedAt, e.recoverSeconds])).toEqual([
      ['kiosk-1', on('2026-12-03', '10:00'), 20],
      ['kiosk-1', on('2026-12-01', '10:00', 120), 20],
      ['kiosk-1', on('2026-12-01', '10:00', 60), 20],
      ['kiosk-1', on('2026-12-01', '10:00'), 20],
      ['robot-1', on('2026-11-20', '10:00'), null],
    ]);
  });

  it('defaults to the last 30 hall days and refuses a range backwards', () => {
    const r = parseDayRange({}, 30, hallInstant('2026-12-31', '12:00'));
    expect([r.from, r.to]).toEqual(['2026-12-02', '2026-12-31']);
    expect(() => parseDayRange({ from: '2026-12-05', to: '2026-12-01' }, 30)).toThrow(/after/);
  });
});
