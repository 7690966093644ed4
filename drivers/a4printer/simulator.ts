/**
 * An A4 printer that answers IPP the way a CUPS queue does, for the one-machine hall and
 * tests that need what cups-pdf cannot do: run out of paper or jam mid-job. It takes the
 * request bytes a driver would POST and returns the response bytes, so the driver under
 * test runs its real codec and its real job following against it.
 *
 * Jobs print at once while the printer is ready; out of paper or jammed, a job stays
 * processing-stopped with the printer's reason (media-empty, media-jam) until fixed, as
 * CUPS reports a stopped printer, and cancelling it removes it.
 */
import {
  decodeMessage,
  encodeMessage,
  enumValue,
  firstInteger,
  GROUP,
  integer,
  keyword,
  OPERATION,
  strings,
  TAG,
  uri,
  type IppAttribute,
  type IppMessage,
} from './ipp.ts';
import { JOB_STATE, PRINTER_STATE } from './states.ts';

export interface PrintedDocument {
  jobId: number;
  name: string;
  pdf: Uint8Array;
  at: string;
}

interface SimJob {
  id: number;
  name: string;
  pdf: Uint8Array;
  state: number;
}

/** Printed documents and ended jobs kept (oldest dropped first), so a simulator running for weeks stays small. */
const KEPT = 64;

/** RFC 8011 status codes the simulator answers with. */
const STATUS = { ok: 0x0000, badRequest: 0x0400, notFound: 0x0406, notPossible: 0x0404, unsupported: 0x0501 } as const;

export class A4PrinterSimulator {
  private readonly jobs = new Map<number, SimJob>();
  private nextId = 1;
  private paperOut = false;
  private jammed = false;
  /** What came out of the printer, oldest first (the last 64). */
  readonly printed: PrintedDocument[] = [];

  /** Paper in (true) or out (false); loading paper finishes what was waiting. */
  setPaper(loaded: boolean): void {
    this.paperOut = !loaded;
    this.finishWaiting();
  }

  setJammed(jammed: boolean): void {
    this.jammed = jammed;
    this.finishWaiting();
  }

  /** One IPP request in, one IPP response out; a message it cannot read gets client-error-bad-request. */
  handle(body: Uint8Array): Uint8Array {
    let request: IppMessage;
    try {
      request = decodeMessage(body);
    } catch {
      return this.answer(0, STATUS.badRequest);
    }
    switch (request.code) {
      case OPERATION.printJob:
        return this.printJob(request);
      case OPERATION.getJobAttributes:
        return this.jobAnswer(request, (job) => job);
      case OPERATION.cancelJob:
        return this.jobAnswer(request, (job) => {
          if (job.state === JOB_STATE.completed) return null;
          job.state = JOB_STATE.canceled;
          this.forgetEnded();
          return job;
        });
      case OPERATION.getPrinterAttributes:
        return this.answer(request.requestId, STATUS.ok, [{ tag: GROUP.printer, attributes: this.printerAttributes() }]);
      default:
        return this.answer(request.requestId, STATUS.unsupported);
    }
  }

  private get reasons(): string[] {
    const reasons = [...(this.paperOut ? ['media-empty'] : []), ...(this.jammed ? ['media-jam'] : [])];
    return reasons.length ? reasons : ['none'];
  }

  private get ready(): boolean {
    return !this.paperOut && !this.jammed;
  }

  private printerAttributes(): IppAttribute[] {
    return [
      { name: 'printer-state', values: [enumValue(this.ready ? PRINTER_STATE.idle : PRINTER_STATE.stopped)] },
      { name: 'printer-state-reasons', values: this.reasons.map(keyword) },
      { name: 'printer-is-accepting-jobs', values: [{ tag: TAG.boolean, value: true }] },
    ];
  }

  private printJob(request: IppMessage): Uint8Array {
    if (request.data.length === 0) return this.answer(request.requestId, STATUS.badRequest);
    const job: SimJob = { id: this.nextId++, name: strings(request, 'operation', 'job-name')[0] ?? 'job', pdf: request.data, state: JOB_STATE.processingStopped };
    this.jobs.set(job.id, job);
    this.finishWaiting();
    return this.answer(request.requestId, STATUS.ok, [{ tag: GROUP.job, attributes: this.jobAttributes(job) }]);
  }

  private jobAnswer(request: IppMessage, act: (job: SimJob) => SimJob | null): Uint8Array {
    const job = this.jobs.get(firstInteger(request, 'operation', 'job-id') ?? -1);
    if (!job) return this.answer(request.requestId, STATUS.notFound);
    const after = act(job);
    if (!after) return this.answer(request.requestId, STATUS.notPossible);
    return this.answer(request.requestId, STATUS.ok, [{ tag: GROUP.job, attributes: this.jobAttributes(after) }]);
  }

  private jobAttributes(job: SimJob): IppAttribute[] {
    const reasons = job.state === JOB_STATE.processingStopped ? ['printer-stopped'] : job.state === JOB_STATE.completed ? ['job-completed-successfully'] : job.state === JOB_STATE.canceled ? ['job-canceled-by-user'] : ['none'];
    return [
      { name: 'job-id', values: [integer(job.id)] },
      { name: 'job-uri', values: [uri(`ipp://sim/jobs/${job.id}`)] },
      { name: 'job-state', values: [enumValue(job.state)] },
      { name: 'job-state-reasons', values: reasons.map(keyword) },
    ];
  }

  /** A ready printer prints every job still waiting, in order. */
  private finishWaiting(): void {
    if (!this.ready) return;
    for (const job of this.jobs.values()) {
      if (job.state !== JOB_STATE.processingStopped) continue;
      job.state = JOB_STATE.completed;
      this.printed.push({ jobId: job.id, name: job.name, pdf: job.pdf, at: new Date().toISOString() });
      job.pdf = new Uint8Array(0);
    }
    this.printed.splice(0, Math.max(0, this.printed.length - KEPT));
    this.forgetEnded();
  }

  private forgetEnded(): void {
    const ended = [...this.jobs.values()].filter((j) => j.state === JOB_STATE.completed || j.state === JOB_STATE.canceled);
    for (const job of ended.slice(0, Math.max(0, ended.length - KEPT))) this.jobs.delete(job.id);
  }

  private answer(requestId: number, status: number, groups: IppMessage['groups'] = []): Uint8Array {
    const operation = {
      tag: GROUP.operation,
      attributes: [
        { name: 'attributes-charset', values: [{ tag: TAG.charset, value: 'utf-8' }] },
        { name: 'attributes-natural-language', values: [{ tag: TAG.naturalLanguage, value: 'zh-cn' }] },
      ],
    };
    return encodeMessage({ version: [2, 0], code: status, requestId, groups: [operation, ...groups], data: new Uint8Array(0) });
  }
}
