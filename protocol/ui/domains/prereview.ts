/**
 * AI 预审 on the kiosk: the screen opens a review for an item, sends each page the document
 * camera captured (in pieces), and gets back what was read and the verdict on every
 * material; finishing records only which materials passed.
 */
import { z } from 'zod';
import { method } from '../method.ts';
import { MAX_PAGE_BYTES, PAGE_CHUNK_CHARS, type DocumentKind, type MaterialVerdict, type Prefill } from '../../prereview.ts';

export * from '../../prereview.ts';

export interface ReviewMaterial {
  name: string;
  required: boolean;
  /** Whether the OCR can judge it; others go to the clerk as they are. */
  checkable: boolean;
}

export interface ReviewOpened {
  reviewId: string;
  itemName: string;
  materials: ReviewMaterial[];
  /** Whether this kiosk has a flatbed/SANE scanner (a hot folder) besides the camera. */
  scanner: boolean;
}

/** One page's result and the review as it now stands. */
export interface PageResult {
  kind: DocumentKind | 'unknown';
  /** Fields read off this page, with the check each failed (if any). */
  fields: { key: string; value: string; problem?: string }[];
  verdicts: MaterialVerdict[];
  prefill: Prefill;
}

const reviewId = z.string().uuid();

export const prereviewMethods = {
  'prereview.open': method<ReviewOpened>()(z.object({ itemCode: z.string().min(1).max(64), caseCode: z.string().min(1).max(64).optional() })),
  /** One piece of a page's picture (base64 of PNG or JPEG); the last piece (index = count − 1) has it read. */
  'prereview.page': method<PageResult | { received: number }>()(
    z.object({
      reviewId,
      material: z.string().min(1).max(200).optional(),
      index: z.number().int().min(0),
      count: z.number().int().min(1).max(Math.ceil((MAX_PAGE_BYTES * 4) / 3 / PAGE_CHUNK_CHARS) + 1),
      data: z.string().max(PAGE_CHUNK_CHARS).regex(/^[A-Za-z0-9+/=]*$/, 'base64'),
    }),
  ),
  /**
   * Reads the next page the kiosk's scanner saves after this call, the same way as a
   * camera page; resolves once it has been read (or the wait ran out).
   */
  'prereview.scan': method<PageResult>()(z.object({ reviewId, material: z.string().min(1).max(200).optional() })),
  /** The citizen is done: which materials passed is recorded, and the review's memory wiped. */
  'prereview.finish': method<{ passed: string[] }>()(z.object({ reviewId })),
  /** Leaves without recording anything; pictures and text are wiped. */
  'prereview.discard': method<{ ok: true }>()(z.object({ reviewId })),
};
