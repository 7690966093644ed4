/**
 * The receipt printer driver. Jobs run one at a time, in order. A job is done only when
 * the printer answers its status queries with "ready" after the job's bytes; when it
 * is not (paper ran out mid-ticket, cover opened, no answer) the job is held, a status
 * event says why, and the whole job is printed again once the printer is ready. Jobs
 * are never dropped: they end done, or failed only when cancelled.
 */
import { EventEmitter } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import type { ByteTransport } from '../transport/types.ts';
import { silentLogger, type DriverLogger, errorMessage } from '../log.ts';
import { Link, type LinkParser, type Parsed } from '../link.ts';
import { encodeReceipt, estimateLines } from './escpos.ts';
import { parseReceipt, type Receipt } from './receipt.ts';
import {
  decodeStatus,
  encodeStatusRequest,
  isStatusByte,
  notReadyReason,
  type PrinterStatus,
  type StatusQuery,
} from './status.ts';

export type PrintJobState = 'queued' | 'printing' | 'held' | 'done' | 'failed';
export type HoldCause = 'paper-out' | 'cover-open' | 'cutter-error' | 'offline' | 'no-response' | 'disconnected';

export interface PrintJobStatus {
  jobId: string;
  state: PrintJobState;
  /** Why a job is held or failed, in plain words for the record. */
  reason?: string;
  /** Why a job is held, as a code a screen turns into its own language's words. */
  cause?: HoldCause;
  attempts: number;
  createdAt: string;
  updatedAt: string;
}

export class PrinterTimeoutError extends Error {
  override readonly name = 'PrinterTimeoutError';
  constructor(timeoutMs: number) {
    super(`the printer did not answer a status query within ${timeoutMs} ms`);
  }
}

export class PrinterDisconnectedError extends Error {
  override readonly name = 'PrinterDisconnectedError';
  constructor() {
    super('the receipt printer is not connected');
  }
}

export class JobNotFoundError extends Error {
  override readonly name = 'JobNotFoundError';
  constructor(jobId: string) {
    super(`no print job ${jobId}`);
  }
}

export interface ReceiptPrinterOptions {
  statusTimeoutMs?: number;
  /** How often status is polled: to notice paper coming back, and for health. */
  pollMs?: number;
  /** Time a real printer needs per line before its status reflects the job; 0 for simulators. */
  msPerLine?: number;
  logger?: DriverLogger;
}

export interface ReceiptPrinterEvents {
  status: [status: PrinterStatus];
  job: [job: PrintJobStatus];
  /** A status poll could not be answered. */
  'status-error': [err: Error];
}

/**
 * Words for the record (print transactions, logs, staff); screens translate `cause`
 * instead, so the driver holds no screen text.
 */
const REASON: Record<HoldCause, string> = {
  'paper-out': '打印机缺纸',
  'cover-open': '打印机盖未关',
  'cutter-error': '打印机切刀故障',
  offline: '打印机离线',
  'no-response': '打印机无响应',
  disconnected: '打印机未连接',
};

/** Every cause a job can be held for; each screen has words for each. */
export const HOLD_CAUSES = Object.keys(REASON) as HoldCause[];

interface Job {
  status: PrintJobStatus;
  bytes: Uint8Array;
  lines: number;
  settled: Array<(s: PrintJobStatus) => void>;
  firstOutcome: Array<(s: PrintJobStatus) => void>;
}

let jobCounter = 0;

/** Real-time status answers are single bytes with a fixed baseline; anything else on the line is noise. */
const statusBytes: LinkParser<number> = {
  pending: 0,
  push: (chunk) => Array.from(chunk, (b): Parsed<number> | null => (isStatusByte(b) ? { ok: true, value: b } : null)).filter((r) => r !== null),
  resync: () => [],
  reset: () => undefined,
};

export class ReceiptPrinter extends EventEmitter<ReceiptPrinterEvents> {
  private readonly link: Link<number>;
  private readonly queue: Job[] = [];
  private readonly jobsById = new Map<string, Job>();
  private working = false;
  private pollTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private last: PrinterStatus | null = null;
  private readonly statusTimeoutMs: number;
  private readonly pollMs: number;
  private readonly msPerLine: number;
  private readonly log: DriverLogger;

  constructor(transport: ByteTransport | null = null, options: ReceiptPrinterOptions = {}) {
    super();
    this.statusTimeoutMs = options.statusTimeoutMs ?? 1000;
    this.pollMs = options.pollMs ?? 1000;
    this.msPerLine = options.msPerLine ?? 0;
    this.log = options.logger ?? silentLogger;
    this.link = new Link<number>({
      parser: statusBytes,
      label: 'printer',
      logger: this.log,
      errors: {
        notConnected: () => new PrinterDisconnectedError(),
        closed: () => new PrinterDisconnectedError(),
        writeFailed: () => new PrinterDisconnectedError(),
      },
    });
    if (transport) this.attach(transport);
  }

  get connected(): boolean {
    return this.link.connected;
  }

  /** The last status the printer reported, or null before the first answer. */
  get lastStatus(): PrinterStatus | null {
    return this.last;
  }

  attach(transport: ByteTransport): void {
    this.link.attach(transport);
    // Held jobs may be printable on the new connection.
    this.kick();
  }

  detach(): void {
    this.link.detach();
  }

  /** Stops the driver. Jobs still pending are reported by pendingJobs(), not dropped silently. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.stopMonitoring();
    await this.link.close();
  }

  // ------------------------------------------------------------ jobs

  /**
   * Queues a receipt. Resolves with the job's first outcome: done, or held with the
   * reason (the job stays queued and prints on its own later; follow it with 'job'
   * events or whenDone()). Throws ReceiptError for an invalid document.
   */
  print(doc: unknown): Promise<PrintJobStatus> {
    const receipt: Receipt = parseReceipt(doc);
    const now = new Date().toISOString();
    const job: Job = {
      status: { jobId: `P${Date.now().toString(36)}${(++jobCounter).toString(36)}`, state: 'queued', attempts: 0, createdAt: now, updatedAt: now },
      bytes: encodeReceipt(receipt),
      lines: estimateLines(receipt),
      settled: [],
      firstOutcome: [],
    };
    this.queue.push(job);
    this.jobsById.set(job.status.jobId, job);
    const outcome = new Promise<PrintJobStatus>((resolve) => job.firstOutcome.push(resolve));
    this.emitJob(job);
    this.kick();
    return outcome;
  }

  /** Resolves when the job is done or failed. */
  whenDone(jobId: string): Promise<PrintJobStatus> {
    const job = this.jobsById.get(jobId);
    if (!job) return Promise.reject(new JobNotFoundError(jobId));
    if (job.status.state === 'done' || job.status.state === 'failed') return Promise.resolve({ ...job.status });
    return new Promise((resolve) => job.settled.push(resolve));
  }

  job(jobId: string): PrintJobStatus | undefined {
    const job = this.jobsById.get(jobId);
    return job ? { ...job.status } : undefined;
  }

  jobs(): PrintJobStatus[] {
    return [...this.jobsById.values()].map((j) => ({ ...j.status }));
  }

  /** Jobs not yet done, in print order. */
  pendingJobs(): PrintJobStatus[] {
    return this.queue.map((j) => ({ ...j.status }));
  }

  /** Cancels a job that has not printed yet; the only way a job ends without printing. */
  cancel(jobId: string): boolean {
    const idx = this.queue.findIndex((j) => j.status.jobId === jobId);
    if (idx < 0) return false;
    const job = this.queue[idx];
    if (job.status.state === 'printing') return false;
    this.queue.splice(idx, 1);
    this.setState(job, 'failed', undefined, '已取消');
    return true;
  }

  // ------------------------------------------------------------ status

  /** Queries DLE EOT 1–4 and returns the combined status. */
  status(): Promise<PrinterStatus> {
    return this.link.exclusive(async () => this.queryStatus());
  }

  startMonitoring(intervalMs = this.pollMs): void {
    if (this.pollTimer) return;
    const tick = async () => {
      try {
        if (!this.working) await this.status();
      } catch (err) {
        this.safeEmit('status-error', err as Error);
      }
      this.kick();
      if (this.pollTimer) this.pollTimer = setTimeout(tick, intervalMs);
    };
    this.pollTimer = setTimeout(tick, 0);
  }

  stopMonitoring(): void {
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = null;
  }

  // ------------------------------------------------------------ worker

  private scheduleRetry(): void {
    if (this.retryTimer || this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.kick();
    }, this.pollMs);
  }

  /** Runs queued jobs; held jobs are retried on each kick (timer, status poll, reconnect). */
  private kick(): void {
    if (this.working || this.queue.length === 0 || this.closed) return;
    this.working = true;
    void this.work().finally(() => {
      this.working = false;
    });
  }

  private async work(): Promise<void> {
    while (this.queue.length > 0) {
      const job = this.queue[0];
      const done = await this.attempt(job);
      if (!done) {
        // Held: the head job blocks the queue so tickets stay in order; look again soon.
        this.scheduleRetry();
        return;
      }
      this.queue.shift();
    }
  }

  private async attempt(job: Job): Promise<boolean> {
    const held = job.status.state === 'held';
    if (held) {
      // Only reprint once the printer says it is ready: no point sending into an empty printer.
      const cause = await this.readiness();
      if (cause) {
        if (cause !== job.status.cause) this.setState(job, 'held', cause);
        return false;
      }
    }
    job.status.attempts += 1;
    this.setState(job, 'printing');
    const cause = await this.link.exclusive(async (): Promise<HoldCause | null> => {
      const before = await this.readinessUnlocked();
      if (before) return before;
      const t = this.link.transport;
      if (!t || !t.isOpen) return 'disconnected';
      try {
        await t.write(job.bytes);
      } catch (err) {
        this.log.warn({ err: errorMessage(err) }, 'writing a print job failed');
        return 'disconnected';
      }
      if (this.msPerLine > 0) await delay(job.lines * this.msPerLine);
      return this.readinessUnlocked();
    });
    if (cause) {
      this.log.warn({ jobId: job.status.jobId, cause }, 'print job held');
      this.setState(job, 'held', cause);
      return false;
    }
    this.setState(job, 'done');
    return true;
  }

  private readiness(): Promise<HoldCause | null> {
    return this.link.exclusive(() => this.readinessUnlocked());
  }

  private async readinessUnlocked(): Promise<HoldCause | null> {
    if (!this.link.connected) return 'disconnected';
    try {
      return notReadyReason(await this.queryStatus());
    } catch (err) {
      if (err instanceof PrinterDisconnectedError) return 'disconnected';
      this.safeEmit('status-error', err as Error);
      return 'no-response';
    }
  }

  private setState(job: Job, state: PrintJobState, cause?: HoldCause, reason?: string): void {
    const s = job.status;
    s.state = state;
    s.cause = cause;
    s.reason = reason ?? (cause ? REASON[cause] : undefined);
    s.updatedAt = new Date().toISOString();
    if (state === 'done' || state === 'held' || state === 'failed') {
      for (const r of job.firstOutcome.splice(0)) r({ ...s });
    }
    if (state === 'done' || state === 'failed') {
      for (const r of job.settled.splice(0)) r({ ...s });
    }
    this.emitJob(job);
  }

  private emitJob(job: Job): void {
    this.safeEmit('job', { ...job.status });
  }

  // ------------------------------------------------------------ status I/O

  private async queryStatus(): Promise<PrinterStatus> {
    const bytes = {} as Record<StatusQuery, number>;
    try {
      for (const n of [1, 2, 3, 4] as const) bytes[n] = await this.queryByte(n);
    } catch (err) {
      // Status unknown now: the next answer is news even if it equals the last one.
      this.last = null;
      throw err;
    }
    const status = decodeStatus(bytes);
    const prev = this.last;
    this.last = status;
    if (!prev || JSON.stringify(prev) !== JSON.stringify(status)) this.safeEmit('status', status);
    return status;
  }

  private queryByte(n: StatusQuery): Promise<number> {
    return this.link.request({
      bytes: encodeStatusRequest(n),
      timeoutMs: this.statusTimeoutMs,
      timeoutError: () => new PrinterTimeoutError(this.statusTimeoutMs),
      accepts: () => true,
    });
  }

  private safeEmit<K extends keyof ReceiptPrinterEvents>(event: K, ...args: ReceiptPrinterEvents[K]): void {
    try {
      (this.emit as (e: K, ...a: ReceiptPrinterEvents[K]) => boolean)(event, ...args);
    } catch (err) {
      this.log.error({ event, err: errorMessage(err) }, 'printer event listener threw');
    }
  }
}
