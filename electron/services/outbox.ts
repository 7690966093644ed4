/**
 * The kiosk's durable outbox: every transaction (ticket, sign-in, print, rating,
 * appointment, device fault, and any type a module defines) is committed to local
 * SQLite before the UI may say it happened, then sent to the central platform in order,
 * in batches, until the platform acknowledges it.
 *
 *   const outbox = new Outbox({ dataDir });            // opens <dataDir>/outbox.db
 *   const { id, seq } = await outbox.append('rating', { level: 5 });   // resolves after the commit
 *   outbox.run(sender);   // a SyncClient does this when it is online; run(null) when it is not
 *   await outbox.close();
 *
 * Durability: WAL with synchronous=FULL, so a resolved append survives kill -9 and power
 * loss. Appends made in the same tick share one commit (group commit), which is why
 * append is asynchronous. Each transaction gets a random UUID (its identity everywhere,
 * the platform applies it once) and the next per-device sequence number (its order).
 * Rows leave the outbox only when the platform has acknowledged them; a batch that was
 * applied but whose acknowledgement was lost is resent and acknowledged as a duplicate.
 *
 * Events: 'backlog' ({ level: 'warning' | 'ok', pending, bytes, freeBytes, reason }) when
 * the unsent backlog passes warnBytes or the disk's free space drops below minFreeBytes,
 * and again when it recovers; 'sent' (counts per acknowledged batch); 'dead-letter'
 * ({ id, type, code, message }) for a transaction the platform refused for good (kept
 * in the dead_letter table for a technician); 'retry' ({ attempt, delayMs, reason });
 * 'drained' when nothing is left to send; 'unwritable' ({ since, error }) when a commit fails
 * for want of disk (full, an I/O error) and 'writable' ({ since, until, error }) once a
 * commit succeeds again. Appends made meanwhile are held in memory and retried with backoff:
 * each resolves when it is committed, none is dropped (a process that dies meanwhile loses
 * them, as it would lose anything not yet on disk).
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdirSync, statfsSync } from 'node:fs';
import { prepareOwnerOnlySqlite } from '../../common/private-files.ts';
import { Backoff } from '../../common/retry.ts';
import { join } from 'node:path';
import { checkPayload, LIMITS, TxTime, type BatchAck, type TransactionTypes, type TxEnvelope, type TxResult } from '../../protocol/sync.ts';

export interface OutboxOptions {
  dataDir: string;
  fileName?: string;
  /** Warn when the unsent payloads exceed this many bytes (default 256 MiB). */
  warnBytes?: number;
  /** Warn when the data disk has less free space than this (default 512 MiB). */
  minFreeBytes?: number;
  /** Transactions per batch (default and maximum: the protocol's 500). */
  maxBatch?: number;
  /** Backoff after a failed send: first delay and ceiling, in ms. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Payload schemas by type, the same the platform is given (default: the standard types). */
  transactionTypes?: TransactionTypes;
  /** Retries of a commit the disk refused: first delay and ceiling, in ms (default 200 ms to 5 s). */
  writeRetryBaseMs?: number;
  writeRetryMaxMs?: number;
}

/** Free space under which the data disk counts as full: less than a few of SQLite's pages and WAL frames. */
const FULL_BELOW_BYTES = 64 * 1024;
const DISK_CHECK_MS = 5_000;

export interface OutboxStatus {
  /** False while writes fail or the disk is full. */
  writable: boolean;
  pending: number;
  /** Free bytes on the data disk when last looked at (null: not known). */
  freeBytes: number | null;
}

/** Sends one batch and resolves with the platform's acknowledgement; rejects if it cannot tell. */
export type BatchSender = (txs: TxEnvelope[]) => Promise<BatchAck>;

export class OutboxError extends Error {
  constructor(
    readonly code: 'bad-payload' | 'too-large' | 'bad-clock' | 'closed',
    message: string,
  ) {
    super(message);
    this.name = 'OutboxError';
  }
}

export interface Appended {
  id: string;
  seq: number;
  type: string;
  at: string;
}

interface Waiting {
  type: string;
  payload: string;
  bytes: number;
  resolve(v: Appended): void;
  reject(e: Error): void;
}

type Row = { seq: number; id: string; type: string; at: string; payload: string; bytes: number };

const BATCH_BYTES = Math.floor(LIMITS.maxEventBytes * 0.75);

/** SQLite's codes for a write the disk refused (full, failing, gone read-only): worth retrying, never a reason to drop. */
export function isDiskError(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && /^(SQLITE_FULL|SQLITE_IOERR|SQLITE_CANTOPEN|SQLITE_READONLY|SQLITE_BUSY|ENOSPC|EIO)/.test(code);
}

export class Outbox extends EventEmitter {
  readonly file: string;
  private db: InstanceType<typeof Database>;
  private waiting: Waiting[] = [];
  private flushScheduled = false;
  private lastSeq: number;
  private count: number;
  private bytes: number;
  private sender: BatchSender | null = null;
  private pumping = false;
  private readonly retries: Backoff;
  /** Transactions per batch while the platform refuses batches as too large (halved each time). */
  private splitTo: number | null = null;
  private wakeSleep: (() => void) | null = null;
  private closed = false;
  private warned = false;
  private lastDiskCheck = 0;
  private freeBytes = Infinity;
  /** The disk is looked at on a timer too, so a full one is seen in a quiet hour, not at the next citizen. */
  private readonly diskTimer: NodeJS.Timeout;
  /** Since when commits have failed for want of disk, and why; null while they succeed. */
  private unwritable: { since: string; error: string } | null = null;
  private readonly writeRetries: Backoff;
  private readonly opts: Required<Omit<OutboxOptions, 'fileName' | 'transactionTypes' | 'writeRetryBaseMs' | 'writeRetryMaxMs'>>;
  private readonly types: TransactionTypes | undefined;
  private stmts: {
    insert: Database.Statement;
    setSeq: Database.Statement;
    peek: Database.Statement;
    del: Database.Statement;
    dead: Database.Statement;
  };

  constructor(options: OutboxOptions) {
    super();
    this.opts = {
      dataDir: options.dataDir,
      warnBytes: options.warnBytes ?? 256 * 1024 * 1024,
      minFreeBytes: options.minFreeBytes ?? 512 * 1024 * 1024,
      maxBatch: Math.min(options.maxBatch ?? LIMITS.maxBatch, LIMITS.maxBatch),
      backoffBaseMs: options.backoffBaseMs ?? 500,
      backoffMaxMs: options.backoffMaxMs ?? 60_000,
    };
    this.retries = new Backoff({ baseMs: this.opts.backoffBaseMs, maxMs: this.opts.backoffMaxMs, jitter: true });
    this.types = options.transactionTypes;
    this.writeRetries = new Backoff({ baseMs: options.writeRetryBaseMs ?? 200, maxMs: options.writeRetryMaxMs ?? 5000, jitter: true });
    mkdirSync(options.dataDir, { recursive: true });
    this.file = join(options.dataDir, options.fileName ?? 'outbox.db');
    prepareOwnerOnlySqlite(this.file);
    this.db = new Database(this.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, at TEXT NOT NULL, payload TEXT NOT NULL, bytes INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS dead_letter (id TEXT PRIMARY KEY, seq INTEGER NOT NULL, type TEXT NOT NULL, at TEXT NOT NULL, payload TEXT NOT NULL, code TEXT NOT NULL, message TEXT, failed_at TEXT NOT NULL);
    `);
    this.stmts = {
      insert: this.db.prepare('INSERT INTO outbox (seq, id, type, at, payload, bytes) VALUES (?, ?, ?, ?, ?, ?)'),
      setSeq: this.db.prepare("INSERT INTO meta (key, value) VALUES ('last_seq', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
      peek: this.db.prepare('SELECT * FROM outbox ORDER BY seq LIMIT ?'),
      del: this.db.prepare('DELETE FROM outbox WHERE id = ? RETURNING bytes'),
      dead: this.db.prepare('INSERT OR REPLACE INTO dead_letter (id, seq, type, at, payload, code, message, failed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    };
    const meta = this.db.prepare("SELECT value FROM meta WHERE key = 'last_seq'").get() as { value: string } | undefined;
    const maxRow = this.db.prepare('SELECT MAX(seq) AS m, COUNT(*) AS n, COALESCE(SUM(bytes), 0) AS b FROM outbox').get() as { m: number | null; n: number; b: number };
    this.lastSeq = Math.max(Number(meta?.value ?? 0), maxRow.m ?? 0);
    this.count = maxRow.n;
    this.bytes = maxRow.b;
    this.checkBacklog(true);
    this.diskTimer = setInterval(() => this.watchDisk(), DISK_CHECK_MS);
    this.diskTimer.unref();
  }

  /** Transactions waiting for an acknowledgement. */
  get pending(): number {
    return this.count;
  }

  /** Bytes of unsent payloads. */
  get backlogBytes(): number {
    return this.bytes;
  }

  /** The highest sequence number this outbox has ever assigned. */
  get lastAssignedSeq(): number {
    return this.lastSeq;
  }

  get deadLetters(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM dead_letter').get() as { n: number }).n;
  }

  /** Since when commits have failed for want of disk, and why; null while they succeed. */
  get diskFault(): { since: string; error: string } | null {
    return this.unwritable ? { ...this.unwritable } : null;
  }

  /**
   * Record a transaction durably. Resolves once it is committed to disk; rejects with an
   * OutboxError if the payload does not match its type's schema or is too large.
   */
  append(type: string, payload: unknown): Promise<Appended> {
    if (this.closed) return Promise.reject(new OutboxError('closed', 'the outbox is closed'));
    // The outbox takes test.* types: the platform decides whether it stores them.
    const check = checkPayload(type, payload, { testTypes: true, types: this.types });
    if (!check.ok) return Promise.reject(new OutboxError(check.code, `${type}: ${check.message}`));
    return new Promise<Appended>((resolve, reject) => {
      this.waiting.push({ type, payload: JSON.stringify(check.payload), bytes: check.bytes, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.waiting.splice(0);
    if (!batch.length) return;
    const at = new Date().toISOString();
    // The platform would refuse the time; refusing here keeps the UI from saying it happened.
    if (!TxTime.safeParse(at).success) {
      const err = new OutboxError('bad-clock', `the device clock reads ${at.slice(0, 4)}; set it (years 2000 to 2100) before recording anything`);
      for (const w of batch) w.reject(err);
      return;
    }
    const done: Appended[] = [];
    let seq = this.lastSeq;
    try {
      this.db.transaction(() => {
        for (const w of batch) {
          const id = randomUUID();
          seq++;
          this.stmts.insert.run(seq, id, w.type, at, w.payload, w.bytes);
          done.push({ id, seq, type: w.type, at });
        }
        this.stmts.setSeq.run(String(seq));
      })();
    } catch (err) {
      if (this.closed || !isDiskError(err)) {
        for (const w of batch) w.reject(err as Error);
        return;
      }
      this.holdForRetry(batch, err as Error);
      return;
    }
    if (this.unwritable) {
      const fault = this.unwritable;
      this.unwritable = null;
      this.writeRetries.cancel();
      this.writeRetries.reset();
      this.emit('writable', { ...fault, until: at });
    }
    this.lastSeq = seq;
    this.count += batch.length;
    for (const w of batch) this.bytes += w.bytes;
    batch.forEach((w, i) => w.resolve(done[i]));
    this.checkBacklog(false);
    this.kick();
  }

  /** A commit the disk refused: its appends wait, first in line, for the next try. */
  private holdForRetry(batch: Waiting[], err: Error): void {
    this.waiting.unshift(...batch);
    if (!this.unwritable) {
      this.unwritable = { since: new Date().toISOString(), error: `${(err as { code?: string }).code ?? 'error'}: ${err.message}`.slice(0, 300) };
      this.emit('unwritable', this.unwritable);
    }
    this.writeRetries.schedule(() => this.flush());
  }

  /**
   * A full disk is a fault before any citizen's transaction is refused by it: seen on the
   * timer, it is declared as a refused commit would declare it, and over once there is room
   * again with nothing held (anything held ends it through its own commit).
   */
  private watchDisk(): void {
    this.checkBacklog(false);
    const full = this.freeBytes < FULL_BELOW_BYTES;
    if (full && !this.unwritable) {
      this.unwritable = { since: new Date().toISOString(), error: `ENOSPC: only ${this.freeBytes} bytes free on the data disk` };
      this.emit('unwritable', this.unwritable);
    } else if (!full && this.unwritable && this.waiting.length === 0) {
      const fault = this.unwritable;
      this.unwritable = null;
      this.emit('writable', { ...fault, until: new Date().toISOString() });
    }
  }

  /** Whether commits are failing for want of disk (appends are then held in memory). */
  /** What a technician's check reads: whether the outbox can write now, and what waits. */
  status(): OutboxStatus {
    return { writable: this.unwritable === null && this.freeBytes >= FULL_BELOW_BYTES, pending: this.count, freeBytes: Number.isFinite(this.freeBytes) ? this.freeBytes : null };
  }

  get writeFailing(): boolean {
    return this.unwritable !== null;
  }

  /** The oldest unsent transactions, in sequence order, within the batch limits. */
  peek(limit = this.opts.maxBatch): TxEnvelope[] {
    const rows = this.stmts.peek.all(limit) as Row[];
    const out: TxEnvelope[] = [];
    let size = 0;
    for (const r of rows) {
      size += r.bytes + 200;
      if (out.length && size > BATCH_BYTES) break;
      out.push({ id: r.id, seq: r.seq, type: r.type, at: r.at, payload: JSON.parse(r.payload) });
    }
    return out;
  }

  /** Apply the platform's per-transaction answers: acknowledged rows leave, refused ones go to dead_letter. */
  settle(sent: TxEnvelope[], results: TxResult[]): { applied: number; duplicates: number; failed: number; rejected: number } {
    const byId = new Map(sent.map((t) => [t.id, t]));
    const counts = { applied: 0, duplicates: 0, failed: 0, rejected: 0 };
    const dead: { tx: TxEnvelope; r: TxResult }[] = [];
    let removed = 0;
    let removedBytes = 0;
    const now = new Date().toISOString();
    // Forgetting acknowledged rows need not wait for the disk: if a power cut undoes it,
    // they are sent again and acknowledged as duplicates. The next append's FULL commit
    // syncs the log, these frames included.
    this.db.pragma('synchronous = NORMAL');
    try {
      this.db.transaction(() => {
      for (const r of results) {
        const tx = byId.get(r.id);
        if (!tx) continue;
        const row = this.stmts.del.get(r.id) as { bytes: number } | undefined;
        if (!row) continue;
        if (r.status === 'rejected') {
          this.stmts.dead.run(tx.id, tx.seq, tx.type, tx.at, JSON.stringify(tx.payload), r.code ?? 'rejected', r.message ?? null, now);
          dead.push({ tx, r });
        }
        removed++;
        removedBytes += row.bytes;
        if (r.status === 'applied') counts.applied++;
        else if (r.status === 'duplicate') counts.duplicates++;
        else if (r.status === 'failed') counts.failed++;
        else counts.rejected++;
      }
      })();
    } finally {
      this.db.pragma('synchronous = FULL');
    }
    this.count -= removed;
    this.bytes -= removedBytes;
    for (const { tx, r } of dead) this.emit('dead-letter', { id: tx.id, type: tx.type, code: r.code, message: r.message });
    this.emit('sent', counts);
    this.checkBacklog(false);
    if (this.count === 0) this.emit('drained');
    return counts;
  }

  /**
   * The platform has applied up to `serverLastSeq` from this device. If this outbox has
   * assigned less than that, its disk was replaced or restored: renumber what is pending
   * after the platform's number, so its numbering stays increasing (the platform applies a
   * low number too, but counts it as late for staff). Ids do not change,
   * so anything already applied is still recognised as a duplicate.
   */
  rebase(serverLastSeq: number): number {
    if (this.lastSeq >= serverLastSeq) return 0;
    const rows = this.db.prepare('SELECT seq FROM outbox ORDER BY seq').all() as { seq: number }[];
    const upd = this.db.prepare('UPDATE outbox SET seq = ? WHERE seq = ?');
    let next = serverLastSeq;
    this.db.transaction(() => {
      for (const r of rows) upd.run(++next, r.seq);
      this.stmts.setSeq.run(String(next));
    })();
    this.lastSeq = next;
    return rows.length;
  }

  /** Give the outbox a way to send (online) or take it away (offline). */
  run(sender: BatchSender | null): void {
    this.sender = sender;
    this.retries.reset();
    this.kick();
  }

  /** Resolves when nothing is pending. */
  drained(): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => this.once('drained', () => resolve()));
  }

  private kick(): void {
    if (this.wakeSleep) {
      this.wakeSleep();
      this.wakeSleep = null;
    }
    if (!this.pumping && this.sender && this.count > 0 && !this.closed) void this.pump();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wakeSleep = null;
        resolve();
      }, ms);
      this.wakeSleep = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private async backoff(reason: string): Promise<void> {
    const { attempt, delayMs } = this.retries.next();
    this.emit('retry', { attempt, delayMs, reason });
    await this.sleep(delayMs);
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      while (!this.closed && this.sender && this.count > 0) {
        const sender = this.sender;
        const batch = this.peek(this.splitTo ?? this.opts.maxBatch);
        if (!batch.length) break;
        let ack: BatchAck;
        try {
          ack = await sender(batch);
        } catch (err) {
          if (this.sender !== sender) continue;
          await this.backoff((err as Error).message);
          continue;
        }
        if (this.closed) break;
        if (!ack || !ack.ok) {
          const error = ack && !ack.ok ? ack.error : { code: 'internal', message: 'no acknowledgement', retry: true };
          if (error.code === 'revoked') {
            this.sender = null;
            break;
          }
          if (error.code === 'too-large') {
            // Split, never drop: a lone transaction too large to send is a local bug for a technician.
            if (batch.length > 1) this.splitTo = Math.ceil(batch.length / 2);
            else if (!(await this.settleOrWait(batch, [{ id: batch[0].id, status: 'rejected', code: 'too-large', message: error.message }]))) continue;
            continue;
          }
          await this.backoff(`${error.code}: ${error.message}`);
          continue;
        }
        this.retries.reset();
        this.splitTo = null;
        await this.settleOrWait(batch, ack.results);
      }
    } finally {
      this.pumping = false;
    }
    if (!this.closed && this.sender && this.count > 0) this.kick();
  }

  /**
   * Forgetting acknowledged rows is a write too, and a full disk refuses it (SQLITE_FULL).
   * The rows then stay and go again after a pause; the platform answers them as
   * duplicates, so nothing is lost or doubled and the terminal does not die of it.
   */
  private async settleOrWait(batch: TxEnvelope[], results: TxResult[]): Promise<boolean> {
    try {
      this.settle(batch, results);
      return true;
    } catch (err) {
      await this.backoff(`acknowledged rows could not be removed: ${(err as Error).message}`);
      return false;
    }
  }

  private checkBacklog(initial: boolean): void {
    const now = Date.now();
    if (initial || now - this.lastDiskCheck >= DISK_CHECK_MS) {
      this.lastDiskCheck = now;
      try {
        const s = statfsSync(this.opts.dataDir);
        this.freeBytes = s.bavail * s.bsize;
      } catch {
        this.freeBytes = Infinity;
      }
    }
    const overBacklog = this.bytes > this.opts.warnBytes;
    const lowDisk = this.freeBytes < this.opts.minFreeBytes;
    const bad = overBacklog || lowDisk;
    if (bad !== this.warned) {
      this.warned = bad;
      this.emit('backlog', {
        level: bad ? 'warning' : 'ok',
        pending: this.count,
        bytes: this.bytes,
        freeBytes: this.freeBytes,
        reason: overBacklog ? `unsent backlog of ${this.bytes} bytes passed ${this.opts.warnBytes}` : lowDisk ? `only ${this.freeBytes} bytes free on the data disk` : 'backlog back under its threshold',
      });
    }
  }

  /** Waits for appends already made to commit, then closes the database. */
  async close(): Promise<void> {
    if (this.closed) return;
    clearInterval(this.diskTimer);
    this.writeRetries.cancel();
    // A last try; appends the disk still refuses are rejected, so their callers know.
    this.closed = true;
    if (this.waiting.length) this.flush();
    this.sender = null;
    this.kick();
    this.db.close();
  }
}
