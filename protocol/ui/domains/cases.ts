/**
 * 办件进度 at the kiosk: the signed-in citizen's cases, or one case by the code scanned off
 * its 受理回执. The view is the platform's (protocol/cases.ts): states and times, never a person.
 */
import { z } from 'zod';
import { method } from '../method.ts';
import type { CaseView } from '../../cases.ts';

export const caseMethods = {
  /** Every case filed under the card on the reader. */
  'case.mine': method<CaseView[]>()(z.object({})),
  /** The case whose receipt QR was scanned (the scanner's text as it came, or the code typed). */
  'case.lookup': method<CaseView>()(z.object({ scanned: z.string().min(1).max(512) })),
};
