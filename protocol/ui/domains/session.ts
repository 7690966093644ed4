/** The signed-in citizen. Only masked values ever reach the UI. */
import { z } from 'zod';
import { method } from '../contract.ts';

export interface SessionPerson {
  /** 张*三 */
  maskedName: string;
  /** 4401**********1234 */
  maskedId: string;
  cardType: 'resident' | 'hk-macau-taiwan' | 'foreign-permanent';
  /** Values a form may prefill, already masked where shown. */
  prefill: { sex?: string; birthYear?: string };
  since: string;
}

export interface SessionState {
  person: SessionPerson | null;
}

export const sessionMethods = {
  'session.get': method<SessionState>()(z.object({})),
  'session.signOut': method<SessionState>()(
    z.object({ reason: z.enum(['user', 'idle', 'reset']).optional() }),
  ),
};

export interface SessionEvents {
  'session.changed': SessionState;
  /** A card was placed but could not be read; the UI says so plainly. */
  'session.cardError': { message: string };
}
