/** Queue tickets and appointments as the kiosk offers them. */
import { z } from 'zod';
import { method } from '../contract.ts';

export interface TicketView {
  id: string;
  number: string;
  groupId: string;
  groupName: string;
  itemCode?: string;
  itemName?: string;
  windows: string[];
  ahead: number;
  estimatedWaitMinutes: number;
  issuedAt: string;
  priority: boolean;
  /** Issued from the kiosk's reserved block while the platform was unreachable. */
  offline: boolean;
  followUrl: string;
}

export const queueMethods = {
  'queue.take': method<{ ticket: TicketView; printJob?: { jobId: string; state: string; reason?: string } }>()(
    z.object({
      itemCode: z.string().max(64).optional(),
      groupId: z.string().max(64).optional(),
      priority: z.enum(['elderly', 'disabled', 'military']).optional(),
      print: z.boolean().default(true),
    }),
  ),
};

export interface QueueEvents {
  'queue.ticket': TicketView;
}
