/**
 * The hall's one voice when several platform nodes share a PostgreSQL database. A call
 * made through any node goes into one table in the order the database numbers it; a
 * node speaks only while it holds the lease row, so exactly one speaks at a time and the
 * line is spoken in that order; the audio is stored with the announcement, so every
 * node can serve it to the display it holds. A node that stops or dies leaves its line
 * in the table: the next node to take the lease speaks what was queued, and repeats the
 * one it was speaking, since nobody can tell how much of it was heard.
 */
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/types.ts';
import { speechOf, wavDurationMs, type TtsEngine } from '../../models/speech/tts.ts';
import { Announcer, REPEAT_GAP_MS, timedPlayer, type AnnouncerOptions, type Player } from './announcer.ts';
import type { Announcement, AnnouncementState, AnnouncerState } from '../../protocol/queue-views.ts';

export const HALL_ANNOUNCER_MIGRATIONS = [
  `CREATE TABLE announcements (
     seq BIGSERIAL UNIQUE,
     id TEXT PRIMARY KEY,
     number TEXT NOT NULL,
     window_id TEXT NOT NULL,
     text TEXT NOT NULL,
     repeat INTEGER NOT NULL,
     recall BOOLEAN NOT NULL,
     state TEXT NOT NULL,
     reason TEXT,
     queued_at TEXT NOT NULL,
     started_at TEXT,
     ended_at TEXT,
     duration_ms INTEGER,
     audio TEXT,
     spoken_by TEXT
   );
   CREATE INDEX announcements_state ON announcements (state, seq);
   CREATE TABLE announcer_lease (id INTEGER PRIMARY KEY, holder TEXT NOT NULL, expires_at TIMESTAMPTZ NOT NULL);`,
];

/** How long a lease lasts beyond the speech it covers; a dead speaker is replaced after this. */
export const LEASE_MS = 5000;

export interface HallAnnouncerOptions extends AnnouncerOptions {
  db: Db;
  nodeId: string;
  /** How often an idle node looks for a line left by a speaker that died. */
  pollMs?: number;
}

interface Row {
  seq: number;
  id: string;
  number: string;
  window_id: string;
  text: string;
  repeat: number;
  recall: boolean;
  state: AnnouncementState;
  reason: string | null;
  queued_at: string;
  started_at: string | null;
  ended_at: string | null;
  duration_ms: number | null;
  has_audio: boolean;
}

const COLUMNS = 'seq, id, number, window_id, text, repeat, recall, state, reason, queued_at, started_at, ended_at, duration_ms, audio IS NOT NULL AS has_audio';

function fromRow(r: Row): Announcement {
  return {
    id: r.id,
    number: r.number,
    windowId: r.window_id,
    text: r.text,
    repeat: Number(r.repeat),
    recall: !!r.recall,
    state: r.state,
    ...(r.reason ? { reason: r.reason } : {}),
    queuedAt: r.queued_at,
    ...(r.started_at ? { startedAt: r.started_at } : {}),
    ...(r.ended_at ? { endedAt: r.ended_at } : {}),
    ...(r.duration_ms !== null ? { durationMs: Number(r.duration_ms) } : {}),
    audio: !!r.has_audio,
  };
}

export class HallAnnouncer extends EventEmitter {
  private readonly db: Db;
  private readonly holder: string;
  private readonly player: Player;
  private readonly keep: number;
  private inserting: Promise<void> = Promise.resolve();
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private readonly poll: ReturnType<typeof setInterval>;

  constructor(private readonly opts: HallAnnouncerOptions) {
    super();
    this.db = opts.db;
    this.holder = `${opts.nodeId}:${randomUUID().slice(0, 8)}`;
    this.player = opts.player ?? timedPlayer();
    this.keep = opts.keep ?? 20;
    this.poll = setInterval(() => this.wake(), opts.pollMs ?? 1000);
    this.poll.unref();
  }

  async migrate(): Promise<void> {
    await this.db.migrate('announcements', HALL_ANNOUNCER_MIGRATIONS);
  }

  announce(call: { number: string; windowId: string; recall?: boolean }): Announcement {
    const a = Announcer.queued(call, this.opts.repeat());
    // Chained so this node's calls keep their order in the hall's line.
    this.inserting = this.inserting.then(async () => {
      try {
        await this.db.run('INSERT INTO announcements (id, number, window_id, text, repeat, recall, state, queued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
          a.id,
          a.number,
          a.windowId,
          a.text,
          a.repeat,
          a.recall,
          'queued',
          a.queuedAt,
        ]);
        this.emit('change', a);
        this.wake();
      } catch (err) {
        this.opts.log?.error({ err: (err as Error).message, window: a.windowId }, 'announcement could not be queued');
      }
    });
    return a;
  }

  /** Speak whatever the hall's line holds, if this node can take the lease. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((err: Error) => this.opts.log?.warn({ err: err.message }, 'announcement line stalled; another node or the next tick takes over'))
      .finally(() => {
        this.running = null;
        if (this.again && !this.stopped) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Takes or renews the lease for `ms` more; false when another node holds it. */
  private async lease(ms: number): Promise<boolean> {
    const rows = await this.db.query<{ holder: string }>(
      `INSERT INTO announcer_lease (id, holder, expires_at) VALUES (1, ?, now() + (?::int * interval '1 millisecond'))
       ON CONFLICT (id) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
       WHERE announcer_lease.holder = EXCLUDED.holder OR announcer_lease.expires_at < now()
       RETURNING holder`,
      [this.holder, Math.round(ms)],
    );
    return rows.length > 0;
  }

  private async drain(): Promise<void> {
    this.again = false;
    while (!this.stopped) {
      if (!(await this.lease(LEASE_MS))) return;
      // A 'speaking' row under our lease was left by a speaker that lost it: say it again.
      const next = (await this.db.query<Row>(`SELECT ${COLUMNS} FROM announcements WHERE state IN ('queued', 'speaking') ORDER BY seq LIMIT 1`))[0];
      if (!next) {
        await this.db.run('DELETE FROM announcer_lease WHERE holder = ?', [this.holder]);
        return;
      }
      await this.speak(fromRow(next));
    }
  }

  private async speak(a: Announcement): Promise<void> {
    const engine: TtsEngine | null = this.opts.engine;
    if (!engine) return this.finish(a, 'skipped', this.opts.engineReason ?? 'no speech engine');
    let wav: Buffer;
    try {
      wav = await engine.synthesize(speechOf(a.text));
    } catch (err) {
      this.opts.log?.warn({ err: (err as Error).message }, 'speech synthesis failed');
      return this.finish(a, 'skipped', `speech synthesis failed: ${(err as Error).message}`.slice(0, 200));
    }
    a.durationMs = wavDurationMs(wav);
    const playMs = a.durationMs * a.repeat + REPEAT_GAP_MS * (a.repeat - 1);
    if (!(await this.lease(playMs + LEASE_MS))) return;
    a.audio = true;
    a.state = 'speaking';
    a.startedAt = new Date().toISOString();
    await this.db.run('UPDATE announcements SET state = ?, audio = ?, duration_ms = ?, started_at = ?, spoken_by = ? WHERE id = ?', [
      'speaking',
      wav.toString('base64'),
      a.durationMs,
      a.startedAt,
      this.opts.nodeId,
      a.id,
    ]);
    this.emit('change', { ...a });
    try {
      await this.player(wav, a.repeat, a.durationMs);
    } catch (err) {
      this.opts.log?.warn({ err: (err as Error).message }, 'announcement playback failed');
    }
    await this.finish(a, 'done');
  }

  private async finish(a: Announcement, state: AnnouncementState, reason?: string): Promise<void> {
    a.state = state;
    if (reason) a.reason = reason;
    a.endedAt = new Date().toISOString();
    await this.db.run('UPDATE announcements SET state = ?, reason = ?, ended_at = ? WHERE id = ?', [state, reason ?? null, a.endedAt, a.id]);
    // The display replays only the latest calls; older finished ones (and their audio) go.
    await this.db.run(
      `DELETE FROM announcements WHERE state IN ('done', 'skipped') AND seq < (
         SELECT MIN(seq) FROM (SELECT seq FROM announcements WHERE state IN ('done', 'skipped') ORDER BY seq DESC LIMIT ?) AS kept)`,
      [this.keep],
    );
    this.emit('change', { ...a });
  }

  async audio(id: string): Promise<Buffer | undefined> {
    const row = (await this.db.query<{ audio: string | null }>('SELECT audio FROM announcements WHERE id = ?', [id]))[0];
    return row?.audio ? Buffer.from(row.audio, 'base64') : undefined;
  }

  async state(): Promise<AnnouncerState> {
    const [line, recent] = await Promise.all([
      this.db.query<Row>(`SELECT ${COLUMNS} FROM announcements WHERE state IN ('queued', 'speaking') ORDER BY seq`),
      this.db.query<Row>(`SELECT ${COLUMNS} FROM announcements WHERE state IN ('done', 'skipped') ORDER BY seq DESC LIMIT ?`, [this.keep]),
    ]);
    const open = line.map(fromRow);
    return {
      engine: this.opts.engine?.name ?? null,
      engineReason: this.opts.engine ? undefined : this.opts.engineReason,
      speaking: open.find((a) => a.state === 'speaking') ?? null,
      queued: open.filter((a) => a.state === 'queued'),
      recent: recent.map(fromRow),
    };
  }

  /** Resolves once this node has queued its calls and finished what it was speaking. */
  async idle(): Promise<void> {
    await this.inserting;
    while (this.running) await this.running;
  }

  /** Stops speaking; what is still queued stays in the line for the other nodes. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.poll);
    await this.idle();
    await this.db.run('DELETE FROM announcer_lease WHERE holder = ?', [this.holder]).catch(() => {});
  }
}
