/** Printing at the kiosk: material checklists and receipts. */
import { z } from 'zod';
import { method } from '../method.ts';

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

/** Why an A4 job is held, as a code the screen translates (the A4 driver's A4HoldCause). */
export type A4HoldCause = 'paper-out' | 'jammed' | 'cover-open' | 'held' | 'offline' | 'no-response' | 'disconnected';

/** A document on the A4 printer (身份证复印件, certificates). */
export interface A4JobStatus {
  jobId: string;
  state: PrintJobState;
  cause?: A4HoldCause;
}

export const ID_COPY_PURPOSE_MAX = 30;

export const printMethods = {
  'print.checklist': method<PrintJobStatus>()(
    z.object({ code: z.string().min(1).max(64), caseCode: z.string().min(1).max(64).optional() }),
  ),
  'print.status': method<PrintJobStatus>()(z.object({ jobId: z.string().min(1).max(64) })),
  /** A copy of the signed-in citizen's ID card on A4, watermarked for one purpose and today. */
  'print.idCopy': method<A4JobStatus>()(z.object({ purpose: z.string().trim().min(1, '请填写复印件的用途').max(ID_COPY_PURPOSE_MAX, `复印件用途最多${ID_COPY_PURPOSE_MAX}个字`) })),
  'print.a4Status': method<A4JobStatus>()(z.object({ jobId: z.string().min(1).max(64) })),
};

export interface PrintEvents {
  'print.job': PrintJobStatus;
  'print.a4job': A4JobStatus;
}
