/** 好差评: five levels after each transaction; the two bad ones need a reason. */
import { z } from 'zod';
import { method } from '../contract.ts';

export const RATING_LEVELS = ['非常满意', '满意', '基本满意', '不满意', '非常不满意'] as const;

export const RatingInput = z
  .object({
    /** 5 = 非常满意 … 1 = 非常不满意 */
    level: z.number().int().min(1).max(5),
    reasons: z.array(z.string().min(1).max(100)).max(10).default([]),
    comment: z.string().max(500).optional(),
    itemCode: z.string().max(64).optional(),
    /** The transaction rated (a print, a ticket). */
    subject: z.string().max(64).optional(),
  })
  // Strict: it is also the payload of the 'rating' transaction, which stores exactly this.
  .strict()
  .refine((r) => r.level > 2 || r.reasons.length > 0 || (r.comment?.trim().length ?? 0) > 0, {
    message: 'a rating of 不满意 or 非常不满意 needs a reason',
    path: ['reasons'],
  });

export const ratingMethods = {
  'rating.submit': method<{ id: string; followUp: boolean }>()(RatingInput),
};
