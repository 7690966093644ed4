/**
 * What an IPP job's state and its printer's state mean for the citizen waiting at the
 * machine: printed, still going, held (with why, as a code a screen words), or failed.
 * Pure: the driver feeds it the attributes Get-Job-Attributes and
 * Get-Printer-Attributes answered.
 */

export type A4JobState = 'queued' | 'printing' | 'held' | 'done' | 'failed';
/** Why a job is held: the printer's own reasons first, CUPS's hold or stop otherwise. */
export type A4HoldCause = 'paper-out' | 'jammed' | 'cover-open' | 'held' | 'offline' | 'no-response' | 'disconnected';

/** RFC 8011 job-state values. */
export const JOB_STATE = { pending: 3, pendingHeld: 4, processing: 5, processingStopped: 6, canceled: 7, aborted: 8, completed: 9 } as const;
/** RFC 8011 printer-state values. */
export const PRINTER_STATE = { idle: 3, processing: 4, stopped: 5 } as const;

export interface IppJobView {
  state: number;
  reasons: readonly string[];
}

export interface IppPrinterView {
  state: number;
  reasons: readonly string[];
}

export interface A4Outcome {
  state: A4JobState;
  cause?: A4HoldCause;
}

/** Words for the record (transactions, staff); screens turn `cause` into their own. */
export const A4_REASON: Record<A4HoldCause, string> = {
  'paper-out': 'A4打印机缺纸',
  jammed: 'A4打印机卡纸',
  'cover-open': 'A4打印机盖未关',
  held: '打印任务被挂起',
  offline: 'A4打印机已停止',
  'no-response': 'A4打印机无响应',
  disconnected: 'A4打印机未连接',
};

export const A4_HOLD_CAUSES = Object.keys(A4_REASON) as A4HoldCause[];

/** "media-empty-error" and "media-empty" mean the same; a "-report" is only for information. */
function conditions(reasons: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const r of reasons) {
    if (r.endsWith('-report') || r === 'none') continue;
    out.add(r.replace(/-(error|warning)$/, ''));
  }
  return out;
}

/** The printer condition that stops paper coming out, if it reports one. */
export function printerCause(printer: IppPrinterView): A4HoldCause | null {
  const c = conditions(printer.reasons);
  if (c.has('media-empty') || c.has('media-needed')) return 'paper-out';
  if (c.has('media-jam')) return 'jammed';
  if (c.has('door-open') || c.has('cover-open')) return 'cover-open';
  if (c.has('offline') || c.has('shutdown') || c.has('connecting-to-device')) return 'offline';
  if (printer.state === PRINTER_STATE.stopped) return 'offline';
  return null;
}

export function jobOutcome(job: IppJobView, printer: IppPrinterView): A4Outcome {
  switch (job.state) {
    case JOB_STATE.completed:
      return { state: 'done' };
    case JOB_STATE.canceled:
    case JOB_STATE.aborted:
      return { state: 'failed' };
    case JOB_STATE.pendingHeld:
      return { state: 'held', cause: printerCause(printer) ?? 'held' };
    case JOB_STATE.processingStopped:
      return { state: 'held', cause: printerCause(printer) ?? 'offline' };
    case JOB_STATE.processing: {
      // CUPS keeps a job "processing" while its printer reports no paper: the citizen is waiting on that.
      const cause = printerCause(printer);
      return cause && cause !== 'offline' ? { state: 'held', cause } : { state: 'printing' };
    }
    default: {
      const cause = printerCause(printer);
      return cause ? { state: 'held', cause } : { state: 'queued' };
    }
  }
}
