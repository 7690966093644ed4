/**
 * 条件预判 on the kiosk: the screen sends the questionnaire's answers and the case reached;
 * the host adds the signed-in card's facts (age, card type, region code), which never
 * leave it, and answers with the verdict and the hall's reason.
 */
import { z } from 'zod';
import { method } from '../method.ts';
import type { EligibilityVerdict } from '../../../config/eligibility.ts';

export type { EligibilityVerdict } from '../../../config/eligibility.ts';

export const eligibilityMethods = {
  /** Null when the item's questionnaire has no eligibility rules. */
  'eligibility.check': method<EligibilityVerdict | null>()(
    z.object({
      code: z.string().min(1).max(64),
      caseCode: z.string().min(1).max(64).optional(),
      /** Question id → the label of the option chosen. */
      answers: z.record(z.string().min(1).max(64), z.string().max(200)).refine((a) => Object.keys(a).length <= 50, 'at most 50 answers'),
    }),
  ),
};
