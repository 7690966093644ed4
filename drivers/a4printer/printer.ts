/**
 * The A4 printer driver: PDF documents sent to a CUPS queue (or any IPP printer) with
 * Print-Job, then followed with Get-Job-Attributes and Get-Printer-Attributes until the
 * job completes, the way the receipt printer's jobs are: each job reports its first
 * outcome (done, or held with a cause), keeps being followed while held, and ends done
 * or failed. A document the print server could not be reached for stays in memory and is
 * sent again on the next poll; once the server has it, the driver lets go of the bytes.
 */
import { EventEmitter } from 'node:events';
import { silentLogger, errorMessage, type DriverLogger } from '../log.ts';
import {
  OPERATION,
  TAG,
  decodeMessage,
  encodeMessage,
  firstInteger,
  isSuccess,
  keyword,
  nameValue,
  operationGroup,
  strings,
  type IppAttribute,
  type IppMessage,
} from './ipp.ts';
import { A4_REASON, PRINTER_STATE, jobOutcome, printerCause, type A4HoldCause, type A4JobState, type IppPrinterView } from './states.ts';
import { IppTransportError, httpIppPost, type IppPost } from './transport.ts';

export interface A4JobStatus {
  jobId: string;
  state: A4JobState;
  cause?: A4HoldCause;
  /** Words for the record, from the cause, or the print server's refusal. */
  reason?: string;
  /** The print server's job id once it accepted the document. */
  serverJobId?: number;
  createdAt: string;
  updatedAt: string;
}

export interface A4PrinterStatus {
  state: 'idle' | 'processing' | 'stopped';
  reasons: string[];
  accepting: boolean;
  /** Why it cannot print now, or null. */
  cause: A4HoldCause | null;
}

export interface A4PrintOptions {
  /** Shown in the print server's job list and logs: say what it is, never whose. */
  jobName: string;
  /** 'indefinite' keeps the job held at the server until released (staff-approved copies, tests). */
  holdUntil?: string;
}

export interface A4PrinterOptions {
  printerUri: string;
  /** How messages reach the server (default: HTTP POST to the printer URI). */
  post?: IppPost;
  /** How often followed jobs and the printer are asked about. */
  pollMs?: number;
  requestTimeoutMs?: number;
  /** requesting-user-name: the terminal, never the citizen. */
  userName?: string;
  logger?: DriverLogger;
}

export interface A4PrinterEvents {
  job: [job: A4JobStatus];
  status: [status: A4PrinterStatus];
}

export class IppRequestError extends Error {
  override readonly name = 'IppRequestError';
  constructor(
    readonly operation: string,
    readonly status: number,
    detail: string,
  ) {
    super(`${operation} was refused by the print server (status 0x${status.toString(16).padStart(4, '0')}${detail ? `: ${detail}` : ''})`);
  }
}

export class A4JobNotFoundError extends Error {
  override readonly name = 'A4JobNotFoundError';
  constructor(jobId: string) {
    super(`no A4 print job ${jobId}`);
  }
}

interface Job {
  status: A4JobStatus;
  /** Held until the server accepted it, then released. */
  pdf: Uint8Array | null;
  options: A4PrintOptions;
  firstOutcome: Array<(s: A4JobStatus) => void>;
  settled: Array<(s: A4JobStatus) => void>;
  /** The Print-Job under way: the poll and print() must not both send it (two copies would print). */
  sending: Promise<void> | null;
}

const PRINTER_STATES: Record<number, A4PrinterStatus['state']> = { 3: 'idle', 4: 'processing', 5: 'stopped' };
let jobCounter = 0;
/**
 * Ended jobs kept for whenDone and job() look-ups after the fact; older ones are dropped,
 * so a terminal printing all month keeps neither their PDFs nor an ever longer poll.
 */
const ENDED_JOBS_KEPT = 32;

export class A4Printer extends EventEmitter<A4PrinterEvents> {
  private readonly post: IppPost;
  private readonly pollMs: number;
  private readonly userName: string;
  private readonly log: DriverLogger;
  private readonly jobsById = new Map<string, Job>();
  private requestId = 0;
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private closed = false;
  private last: A4PrinterStatus | null = null;

  constructor(private readonly options: A4PrinterOptions) {
    super();
    this.post = options.post ?? httpIppPost(options.printerUri, options.requestTimeoutMs);
    this.pollMs = options.pollMs ?? 1000;
    this.userName = options.userName ?? 'xiaojin';
    this.log = options.logger ?? silentLogger;
  }

  get lastStatus(): A4PrinterStatus | null {
    return this.last;
  }

  /**
   * Sends a PDF. Resolves with the job's first outcome: done, held with a cause (followed
   * on; see whenDone and 'job' events), or failed when the server refused the document.
   */
  print(pdf: Uint8Array, options: A4PrintOptions): Promise<A4JobStatus> {
    if (this.closed) throw new Error('the A4 printer driver is closed');
    const now = new Date().toISOString();
    const job: Job = {
      status: { jobId: `A${Date.now().toString(36)}${(++jobCounter).toString(36)}`, state: 'queued', createdAt: now, updatedAt: now },
      pdf,
      options,
      firstOutcome: [],
      settled: [],
      sending: null,
    };
    this.jobsById.set(job.status.jobId, job);
    const outcome = new Promise<A4JobStatus>((resolve) => job.firstOutcome.push(resolve));
    this.emitJob(job);
    void this.send(job).then(() => this.schedule(0));
    return outcome;
  }

  whenDone(jobId: string): Promise<A4JobStatus> {
    const job = this.jobsById.get(jobId);
    if (!job) return Promise.reject(new A4JobNotFoundError(jobId));
    if (isFinal(job.status.state)) return Promise.resolve({ ...job.status });
    return new Promise((resolve) => job.settled.push(resolve));
  }

  job(jobId: string): A4JobStatus | undefined {
    const job = this.jobsById.get(jobId);
    return job ? { ...job.status } : undefined;
  }

  /** Cancels a job not yet printed, at the server too; false when it already ended. */
  async cancel(jobId: string): Promise<boolean> {
    const job = this.jobsById.get(jobId);
    if (!job || isFinal(job.status.state)) return false;
    job.pdf = null;
    // A Print-Job in flight may yet be accepted: wait for its job id so the server's copy is cancelled too.
    if (job.sending) await job.sending;
    if (job.status.serverJobId !== undefined) {
      try {
        await this.request('Cancel-Job', OPERATION.cancelJob, operationGroup({ printerUri: this.options.printerUri, jobId: job.status.serverJobId }, [this.user()]));
      } catch (err) {
        // Completed meanwhile, or the server is gone: either way nothing more prints for this job here.
        this.log.warn({ jobId, err: errorMessage(err) }, 'cancelling an A4 job at the print server failed');
      }
    }
    this.update(job, 'failed', undefined, '已取消');
    return true;
  }

  /** Asks the printer how it is (Get-Printer-Attributes). */
  async status(): Promise<A4PrinterStatus> {
    const res = await this.request(
      'Get-Printer-Attributes',
      OPERATION.getPrinterAttributes,
      operationGroup({ printerUri: this.options.printerUri }, [
        { name: 'requested-attributes', values: ['printer-state', 'printer-state-reasons', 'printer-is-accepting-jobs'].map(keyword) },
      ]),
    );
    const view: IppPrinterView = { state: firstInteger(res, 'printer', 'printer-state') ?? 0, reasons: strings(res, 'printer', 'printer-state-reasons') };
    const accepting = res.groups.flatMap((g) => g.attributes).find((a) => a.name === 'printer-is-accepting-jobs')?.values[0]?.value !== false;
    const status: A4PrinterStatus = { state: PRINTER_STATES[view.state] ?? 'stopped', reasons: [...view.reasons], accepting, cause: printerCause(view) ?? (accepting ? null : 'offline') };
    const changed = JSON.stringify(status) !== JSON.stringify(this.last);
    this.last = status;
    if (changed) this.emit('status', status);
    return status;
  }

  /** Follows the printer (for health) even while no job is out. */
  startMonitoring(): void {
    this.schedule(0);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.polling;
  }

  // ------------------------------------------------------------ following jobs

  private schedule(delayMs: number): void {
    if (this.closed || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.polling = this.poll().finally(() => {
        this.polling = null;
        this.schedule(this.pollMs);
      });
    }, delayMs);
  }

  private async poll(): Promise<void> {
    let printer: A4PrinterStatus | null = null;
    try {
      printer = await this.status();
    } catch (err) {
      this.last = null;
      this.emit('status', { state: 'stopped', reasons: [], accepting: false, cause: err instanceof IppTransportError && err.unreachable ? 'disconnected' : 'no-response' });
    }
    for (const job of this.jobsById.values()) {
      if (isFinal(job.status.state)) continue;
      if (job.status.serverJobId === undefined) await this.send(job);
      else await this.follow(job, printer);
    }
  }

  private send(job: Job): Promise<void> {
    if (job.sending) return job.sending;
    const sending = this.sendOnce(job).finally(() => {
      job.sending = null;
    });
    job.sending = sending;
    return sending;
  }

  private async sendOnce(job: Job): Promise<void> {
    if (!job.pdf || job.status.serverJobId !== undefined) return;
    const extra: IppAttribute[] = [
      this.user(),
      { name: 'job-name', values: [nameValue(job.options.jobName)] },
      { name: 'document-format', values: [{ tag: TAG.mimeMediaType, value: 'application/pdf' }] },
    ];
    const jobAttributes: IppAttribute[] = [{ name: 'media', values: [keyword('iso_a4_210x297mm')] }];
    if (job.options.holdUntil) jobAttributes.push({ name: 'job-hold-until', values: [keyword(job.options.holdUntil)] });
    try {
      const res = await this.request('Print-Job', OPERATION.printJob, operationGroup({ printerUri: this.options.printerUri }, extra), jobAttributes, job.pdf);
      const id = firstInteger(res, 'job', 'job-id');
      if (id === undefined) throw new IppRequestError('Print-Job', res.code, 'no job-id in the answer');
      job.status.serverJobId = id;
      job.pdf = null;
      this.log.info({ jobId: job.status.jobId, serverJobId: id }, 'A4 job accepted by the print server');
      this.update(job, 'queued');
    } catch (err) {
      if (err instanceof IppTransportError) {
        this.log.warn({ jobId: job.status.jobId, err: err.message }, 'A4 job not sent yet; trying again');
        this.update(job, 'held', err.unreachable ? 'disconnected' : 'no-response');
        return;
      }
      // The server understood and refused (a bad document, a queue that rejects jobs): sending it again cannot help.
      job.pdf = null;
      this.log.warn({ jobId: job.status.jobId, err: errorMessage(err) }, 'A4 job refused by the print server');
      this.update(job, 'failed', undefined, errorMessage(err));
    }
  }

  private async follow(job: Job, printer: A4PrinterStatus | null): Promise<void> {
    if (!printer) {
      this.update(job, 'held', this.last?.cause ?? 'no-response');
      return;
    }
    let res: IppMessage;
    try {
      res = await this.request(
        'Get-Job-Attributes',
        OPERATION.getJobAttributes,
        operationGroup({ printerUri: this.options.printerUri, jobId: job.status.serverJobId }, [
          this.user(),
          { name: 'requested-attributes', values: ['job-state', 'job-state-reasons'].map(keyword) },
        ]),
      );
    } catch (err) {
      this.update(job, 'held', err instanceof IppTransportError && err.unreachable ? 'disconnected' : 'no-response');
      return;
    }
    const outcome = jobOutcome({ state: firstInteger(res, 'job', 'job-state') ?? 0, reasons: strings(res, 'job', 'job-state-reasons') }, { state: PRINTER_STATE[printer.state], reasons: printer.reasons });
    this.update(job, outcome.state, outcome.cause, outcome.state === 'failed' ? '打印服务取消或中止了任务' : undefined);
  }

  // ------------------------------------------------------------ messages

  private user(): IppAttribute {
    return { name: 'requesting-user-name', values: [nameValue(this.userName)] };
  }

  private async request(label: string, operation: number, op: IppMessage['groups'][number], jobAttributes: IppAttribute[] = [], data: Uint8Array = new Uint8Array(0)): Promise<IppMessage> {
    const groups = [op];
    if (jobAttributes.length) groups.push({ tag: 0x02, attributes: jobAttributes });
    const requestId = (this.requestId = (this.requestId % 0x7fffffff) + 1);
    const res = decodeMessage(await this.post(encodeMessage({ version: [2, 0], code: operation, requestId, groups, data })));
    if (!isSuccess(res.code)) throw new IppRequestError(label, res.code, strings(res, 'operation', 'status-message')[0] ?? '');
    return res;
  }

  private update(job: Job, state: A4JobState, cause?: A4HoldCause, reason?: string): void {
    const s = job.status;
    const changed = s.state !== state || s.cause !== cause;
    s.state = state;
    s.cause = cause;
    s.reason = reason ?? (cause ? A4_REASON[cause] : undefined);
    if (!changed) return;
    s.updatedAt = new Date().toISOString();
    if (state === 'done' || state === 'held' || state === 'failed') for (const r of job.firstOutcome.splice(0)) r({ ...s });
    if (isFinal(state)) {
      for (const r of job.settled.splice(0)) r({ ...s });
      job.pdf = null;
      this.forgetEnded();
    }
    this.emitJob(job);
  }

  private forgetEnded(): void {
    const ended = [...this.jobsById.values()].filter((j) => isFinal(j.status.state));
    for (const job of ended.slice(0, Math.max(0, ended.length - ENDED_JOBS_KEPT))) this.jobsById.delete(job.status.jobId);
  }

  private emitJob(job: Job): void {
    try {
      this.emit('job', { ...job.status });
    } catch (err) {
      this.log.error({ err: errorMessage(err) }, 'A4 printer job listener threw');
    }
  }
}

function isFinal(state: A4JobState): boolean {
  return state === 'done' || state === 'failed';
}
