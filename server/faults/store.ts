/**
 * Fault episodes: one row from the state that opened a fault of a terminal's device to the
 * ok that closed it. Terminals report changes of health as device-fault transactions; the
 * platform's own faults (its database going away) are written here directly, under the
 * terminal 'central'. Nothing personal is stored: device ids, kinds, times and the
 * driver's or part's own words for the state.
 */
import type { Db } from '../db/types.ts';
import { FAULT_EPISODES_SHOWN, type FaultEpisode, type FaultHistoryAnswer } from '../../protocol/platform-http.ts';
import { OUTBOX_FAULT, type DeviceFault, type OutboxHealth } from '../../protocol/sync.ts';
import type { DayRange } from '../day-range.ts';
import { addDays, hallDay } from '../../protocol/clock.ts';

export const FAULT_MIGRATIONS = [
  `CREATE TABLE device_faults (
     id TEXT PRIMARY KEY,
     terminal TEXT NOT NULL,
     device TEXT NOT NULL,
     kind TEXT NOT NULL,
     started_at TEXT NOT NULL,
     noticed_at TEXT NOT NULL,
     recovered_at TEXT,
     detail TEXT NOT NULL
   );
   CREATE INDEX device_faults_started ON device_faults (started_at);
   CREATE INDEX device_faults_open ON device_faults (terminal, device, recovered_at);`,
];

/** A fault as it is opened: who, what, when it began and when it was noticed. */
export interface FaultOpening {
  /** Unique: the opening transaction's id (so a replay cannot open it twice). */
  id: string;
  terminal: string;
  device: string;
  kind: string;
  startedAt: string;
  noticedAt: string;
  detail: string;
}

/** What the console shows of a fault: the device's or part's own words, else its state (and the paper's). */
export function faultDetail(f: DeviceFault): string {
  if (f.detail) return f.detail.slice(0, 500);
  return f.paper && f.paper !== 'ok' ? `${f.state}, paper ${f.paper}` : f.state;
}

/**
 * Opens an episode, unless one of that terminal's device is open already (a printer out of
 * paper that then jams is one fault until it prints again) or one began at that very instant
 * (the same outage told twice: live in a health report, then from the outbox). Returns whether it opened.
 */
export async function openFault(db: Db, f: FaultOpening): Promise<boolean> {
  const open = await db.query<{ id: string }>('SELECT id FROM device_faults WHERE terminal = ? AND device = ? AND (recovered_at IS NULL OR started_at = ?) LIMIT 1', [
    f.terminal,
    f.device,
    f.startedAt,
  ]);
  if (open.length) return false;
  await db.run('INSERT INTO device_faults (id, terminal, device, kind, started_at, noticed_at, recovered_at, detail) VALUES (?, ?, ?, ?, ?, ?, NULL, ?) ON CONFLICT (id) DO NOTHING', [
    f.id,
    f.terminal,
    f.device,
    f.kind,
    f.startedAt,
    f.noticedAt,
    f.detail,
  ]);
  return true;
}

/** Closes the terminal's open episode of that device, if any; an ok with nothing open is no news. */
export async function closeFault(db: Db, terminal: string, device: string, recoveredAt: string): Promise<boolean> {
  const r = await db.run('UPDATE device_faults SET recovered_at = ? WHERE terminal = ? AND device = ? AND recovered_at IS NULL', [recoveredAt, terminal, device]);
  return r.changes > 0;
}

/** Applies one device-fault transaction: a non-ok state opens, an ok closes. */
export async function applyDeviceFault(db: Db, tx: { id: string; deviceId: string; at: string }, f: DeviceFault): Promise<void> {
  const when = f.since ?? tx.at;
  if (f.state === 'ok') await closeFault(db, tx.deviceId, f.device, when);
  else await openFault(db, { id: tx.id, terminal: tx.deviceId, device: f.device, kind: f.kind, startedAt: when, noticedAt: tx.at, detail: faultDetail(f) });
}

/**
 * The outbox's disk as a health report tells it: unwritable opens the episode from when it
 * began, writable again closes it. The outbox's own record of the outage comes later and
 * finds the episode already there.
 */
export async function applyOutboxHealth(db: Db, terminal: string, h: OutboxHealth, now: string): Promise<void> {
  if (h.writable) {
    await closeFault(db, terminal, OUTBOX_FAULT.device, now);
    return;
  }
  const since = h.since ?? now;
  await openFault(db, { id: `${terminal}|${OUTBOX_FAULT.device}|${since}`, terminal, device: OUTBOX_FAULT.device, kind: OUTBOX_FAULT.kind, startedAt: since, noticedAt: now, detail: h.error ?? 'the outbox cannot write to its disk' });
}

type EpisodeRow = { terminal: string; device: string; kind: string; started_at: string; noticed_at: string; recovered_at: string | null; detail: string };

function episodeOf(r: EpisodeRow): FaultEpisode {
  const recoverSeconds = r.recovered_at ? Math.max(0, Math.round((Date.parse(r.recovered_at) - Date.parse(r.started_at)) / 100) / 10) : null;
  return { terminal: r.terminal, device: r.device, kind: r.kind, startedAt: r.started_at, noticedAt: r.noticed_at, recoveredAt: r.recovered_at, recoverSeconds, detail: r.detail };
}

/** The days of the range, oldest first. */
export function daysOf(range: Pick<DayRange, 'from' | 'to'>): string[] {
  const days: string[] = [];
  for (let d = range.from; d <= range.to; d = addDays(d, 1)) days.push(d);
  return days;
}

/**
 * The console's fault history: episodes begun in the range counted per device and hall
 * day, and the newest episodes, followed by any begun before the range and still open.
 */
export async function faultHistory(db: Db, range: DayRange): Promise<FaultHistoryAnswer> {
  const days = daysOf(range);
  const column = new Map(days.map((d, i) => [d, i]));
  const counted = await db.query<{ terminal: string; device: string; kind: string; started_at: string }>(
    'SELECT terminal, device, kind, started_at FROM device_faults WHERE started_at >= ? AND started_at < ?',
    [range.startIso, range.endIso],
  );
  const rows = new Map<string, FaultHistoryAnswer['byDevice'][number]>();
  for (const r of counted) {
    const i = column.get(hallDay(Date.parse(r.started_at)));
    if (i === undefined) continue;
    const key = `${r.terminal}\u0000${r.device}`;
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { terminal: r.terminal, device: r.device, kind: r.kind, perDay: days.map(() => 0) }));
    row.perDay[i]++;
  }
  const byDevice = [...rows.values()].sort((a, b) => a.terminal.localeCompare(b.terminal) || a.device.localeCompare(b.device));
  const cols = 'terminal, device, kind, started_at, noticed_at, recovered_at, detail';
  const ongoing = await db.query<EpisodeRow>(`SELECT ${cols} FROM device_faults WHERE recovered_at IS NULL AND started_at < ? ORDER BY started_at DESC LIMIT ?`, [range.startIso, FAULT_EPISODES_SHOWN]);
  const inRange = await db.query<EpisodeRow>(`SELECT ${cols} FROM device_faults WHERE started_at >= ? AND started_at < ? ORDER BY started_at DESC, id DESC LIMIT ?`, [
    range.startIso,
    range.endIso,
    FAULT_EPISODES_SHOWN,
  ]);
  const episodes = [...inRange, ...ongoing].slice(0, FAULT_EPISODES_SHOWN).map(episodeOf);
  return { days, byDevice, episodes };
}
