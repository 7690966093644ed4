/**
 * The queue and appointment requests a kiosk sends the platform over its device socket
 * (docs/sync-protocol.md, the queue section), with their answers. Both ends validate the
 * request with the same schema: the kiosk before it sends, the platform on arrival.
 */
import { z } from 'zod';
import type { AppointmentDayView, AppointmentView, QueueLineView } from './ui/domains/queue.ts';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const IdKey = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 key');
const ItemCode = z.string().min(1).max(64);

export const QueueRequests = {
  'queue:take': z.object({
    groupId: z.string().max(64).optional(),
    itemCode: z.string().max(64).optional(),
    priority: z.enum(['elderly', 'disabled', 'military']).optional(),
    maskedId: z.string().max(32).optional(),
  }),
  'queue:reserve-block': z.object({ groupId: z.string().min(1).max(64), size: z.number().int().min(10).max(1000).optional() }),
  'queue:status': z.object({ ticketId: z.string().min(1).max(64) }),
  'queue:lines': z.object({}),
  'appointments:slots': z.object({ itemCode: ItemCode }),
  'appointments:book': z.object({
    itemCode: z.string().max(64),
    date: Day,
    start: z.string().regex(/^\d{2}:\d{2}$/),
    idKey: IdKey,
    /** Sent by kiosks before the key left the database; accepted and dropped (server/queue/appointments.ts says why). */
    maskedId: z.string().max(32).optional(),
  }),
  'appointments:list': z.object({ idKey: IdKey }),
  'appointments:cancel': z.object({ appointmentId: z.string().uuid(), idKey: IdKey }),
  'appointments:check-in': z.object({ idKey: IdKey }),
};

/** A ticket as the platform shows it to kiosks, phones and displays. */
export interface PublicTicket {
  id: string;
  number: string;
  groupId: string;
  groupName: string;
  itemCode: string | null;
  priority: boolean;
  state: string;
  windowId: string | null;
  windows: string[];
  ahead: number;
  estimatedWaitMinutes: number;
  issuedAt: string;
  offline: boolean;
  /** Path on the platform where a phone follows the ticket. */
  followPath: string;
}

/** A group's line as the platform counts it. */
export interface QueueLine extends QueueLineView {
  nameEn?: string;
  priorityWaiting: number;
  perVisitorMinutes: number;
}

/** Numbers the platform set aside for one kiosk to issue while cut off. */
export interface NumberBlock {
  blockId: string;
  day: string;
  groupId: string;
  prefix: string;
  firstSeq: number;
  lastSeq: number;
}

export interface QueueAnswers {
  'queue:take': { ticket: PublicTicket; line?: QueueLine };
  'queue:reserve-block': NumberBlock;
  'queue:status': PublicTicket;
  'queue:lines': QueueLine[];
  'appointments:slots': AppointmentDayView[];
  'appointments:book': AppointmentView;
  'appointments:list': AppointmentView[];
  'appointments:cancel': AppointmentView;
  'appointments:check-in': { appointment: AppointmentView; ticket: PublicTicket; line?: QueueLine };
}

export type QueueEvent = keyof typeof QueueRequests & keyof QueueAnswers;
export type QueueRequest<E extends QueueEvent> = z.input<(typeof QueueRequests)[E]>;
/** A request as its schema leaves it. */
export type QueueParsed<E extends QueueEvent> = z.output<(typeof QueueRequests)[E]>;
/** The schemas seen per event, so a function generic in the event keeps request and answer paired. */
export const queueRequestSchema: { [E in QueueEvent]: z.ZodType<QueueParsed<E>, QueueRequest<E>> } = QueueRequests;
export type QueueAnswer<E extends QueueEvent> = QueueAnswers[E];

/** Every answer comes in this envelope; `retry` says whether asking again as is may help. */
export type QueueReply<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string; retry: boolean } };
