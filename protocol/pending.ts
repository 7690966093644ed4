/**
 * 待办清单: the services a citizen collected at a kiosk, kept on the platform for the next
 * visit once they sign in with their ID card. The list is filed under the card's keyed
 * pseudonym (protocol/id-key.ts), never the number, and the citizen deletes it at will.
 * Spread into the kiosk's platform requests (protocol/queue.ts), so both ends check it.
 */
import { z } from 'zod';

const IdKey = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 key');
const Code = z.string().min(1).max(64);

/** One entry: a service item (with its case once known) or a whole 一件事 bundle. */
export const PendingEntry = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('item'), code: Code, caseCode: Code.optional() }).strict(),
  z.object({ kind: z.literal('bundle'), id: Code }).strict(),
]);
export type PendingEntry = z.infer<typeof PendingEntry>;

export const PENDING_MAX = 30;
export const PendingEntries = z.array(PendingEntry).max(PENDING_MAX, `a list holds at most ${PENDING_MAX} services`);

export const PendingRequests = {
  'pending:load': z.object({ idKey: IdKey }),
  /** Replaces the stored list; an empty list deletes it. */
  'pending:save': z.object({ idKey: IdKey, entries: PendingEntries }),
  'pending:delete': z.object({ idKey: IdKey }),
};

export const PendingAnswers = {
  'pending:load': z.object({ entries: PendingEntries, updatedAt: z.string().nullable() }),
  'pending:save': z.object({ stored: z.number().int().min(0) }),
  'pending:delete': z.object({ deleted: z.boolean() }),
};
