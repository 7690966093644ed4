/**
 * 好差评 as the kiosk records it: the 'rating' transaction's payload is what the citizen
 * submitted. Apart from the UI contract so the sync schemas can use it without importing
 * the contract (whose domains import it back).
 */
import { z } from 'zod';

export const RATING_LEVELS = ['非常满意', '满意', '基本满意', '不满意', '非常不满意'] as const;

export const RatingFields = z.object({
  /** 5 = 非常满意 … 1 = 非常不满意 */
  level: z.number().int().min(1).max(5),
  reasons: z.array(z.string().min(1).max(100)).max(10).default([]),
  comment: z.string().max(500).optional(),
  itemCode: z.string().max(64).optional(),
  /** The transaction rated (a print, a ticket). */
  subject: z.string().max(64).optional(),
});

const hasReason = (r: z.output<typeof RatingFields>) => r.level > 2 || r.reasons.length > 0 || (r.comment?.trim().length ?? 0) > 0;
export const NEEDS_REASON = { message: 'a rating of 不满意 or 非常不满意 needs a reason', path: ['reasons'] };

/** The stored rating; `requestId` names the submission, which a repeated tap does not record twice. */
export const RatingPayload = RatingFields.extend({ requestId: z.string().uuid().optional() })
  // Strict: it is stored exactly as submitted.
  .strict()
  .refine(hasReason, NEEDS_REASON);

/** What the screen submits: the fields and the id of this one submission. */
export const RatingInput = RatingFields.extend({ requestId: z.string().uuid() }).strict().refine(hasReason, NEEDS_REASON);
