/** Printing at the kiosk: material checklists and receipts. */
import { z } from 'zod';
import { method } from '../contract.ts';

export type PrintJobState = 'queued' | 'printing' | 'held' | 'done' | 'failed';

export interface PrintJobStatus {
  jobId: string;
  state: PrintJobState;
  /** Why a job is held or failed, in plain words for the record. */
  reason?: string;
  /** Why a job is held, as a code the screen translates (the printer driver's HoldCause). */
  cause?: PrintHoldCause;
}

export type PrintHoldCause = 'paper-out' | 'cover-open' | 'cutter-error' | 'offline' | 'no-response' | 'disconnected';

export const printMethods = {
  'print.checklist': method<PrintJobStatus>()(
    z.object({ code: z.string().min(1).max(64), caseCode: z.string().min(1).max(64).optional() }),
  ),
  'print.status': method<PrintJobStatus>()(z.object({ jobId: z.string().min(1).max(64) })),
};

export interface PrintEvents {
  'print.job': PrintJobStatus;
}
