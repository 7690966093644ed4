/** 一键求助 as the kiosk and robot screens offer it (protocol/help.ts carries it to staff). */
import { z } from 'zod';
import { method } from '../method.ts';
import { RequestId } from './queue.ts';

/**
 * queued: kept in the terminal's outbox, not yet with the platform (the link is down);
 * open: staff are told; acknowledged: a member of staff is on the way (工作人员马上到).
 */
export interface HelpStatus {
  helpId: string;
  state: 'queued' | 'open' | 'acknowledged';
  raisedAt: string;
}

export const helpMethods = {
  /** One request while one is outstanding: more taps, or the same request id, get the same one. */
  'help.raise': method<HelpStatus>()(z.object({ requestId: RequestId, screen: z.string().regex(/^[a-z-]{1,32}$/).optional() })),
  'help.status': method<HelpStatus | null>()(z.object({})),
};

export interface HelpEvents {
  'help.changed': HelpStatus;
}
