/**
 * The queue and appointment requests a kiosk sends the platform over its device socket
 * (docs/sync-protocol.md, the queue section), with their answers. Both ends validate the
 * request with the same schema: the kiosk before it sends, the platform on arrival.
 */
import { z } from 'zod';
import { PriorityKind } from './priority.ts';
import { PendingAnswers, PendingRequests } from './pending.ts';
import type { AppointmentDayView as AppointmentDayViewShape, AppointmentView as AppointmentViewShape, QueueLineView } from './ui/domains/queue.ts';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const IdKey = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 key');
const ItemCode = z.string().min(1).max(64);
/** The 预约码 an appointment is given when booked (server/queue/appointments.ts). */
export const BookingCode = z.string().regex(/^\d{6}$/, 'six digits');
/**
 * One citizen's action (a tap on 立即取号, on 确认预约): a repeat of the same id from the
 * same device gets the first answer, never a second ticket or appointment. Optional so a
 * kiosk of an earlier version is still served, one result per request as before.
 */
const RequestId = z.string().uuid();

export const QueueRequests = {
  'queue:take': z.object({
    groupId: z.string().max(64).optional(),
    itemCode: z.string().max(64).optional(),
    priority: PriorityKind.optional(),
    maskedId: z.string().max(32).optional(),
    requestId: RequestId.optional(),
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
    requestId: RequestId.optional(),
  }),
  'appointments:list': z.object({ idKey: IdKey }),
  'appointments:cancel': z.object({ appointmentId: z.string().uuid(), idKey: IdKey }),
  'appointments:check-in': z.object({ idKey: IdKey }),
  /** Check-in by the booking code the citizen was given, for one without the card at hand. */
  'appointments:check-in-code': z.object({ code: BookingCode }),
  ...PendingRequests,
};

/** A ticket as the platform shows it to kiosks, phones and displays. */
export const PublicTicket = z.object({
  id: z.string(),
  number: z.string(),
  groupId: z.string(),
  groupName: z.string(),
  itemCode: z.string().nullable(),
  priority: z.boolean(),
  state: z.string(),
  windowId: z.string().nullable(),
  windows: z.array(z.string()),
  ahead: z.number().int().min(0),
  estimatedWaitMinutes: z.number().min(0),
  issuedAt: z.string(),
  offline: z.boolean(),
  /** Path on the platform where a phone follows the ticket. */
  followPath: z.string(),
});
export type PublicTicket = z.infer<typeof PublicTicket>;

/** A group's line as the platform counts it. */
export const QueueLine = z.object({
  groupId: z.string(),
  prefix: z.string(),
  name: z.string(),
  nameEn: z.string().optional(),
  waiting: z.number().int().min(0),
  estimatedWaitMinutes: z.number().min(0),
  priorityWaiting: z.number().int().min(0),
  perVisitorMinutes: z.number().min(0),
}) satisfies z.ZodType<QueueLineView>;
export type QueueLine = z.infer<typeof QueueLine>;

/** Numbers the platform set aside for one kiosk to issue while cut off. */
export const NumberBlock = z.object({
  blockId: z.string(),
  day: Day,
  groupId: z.string(),
  prefix: z.string(),
  firstSeq: z.number().int().min(1),
  lastSeq: z.number().int().min(1),
});
export type NumberBlock = z.infer<typeof NumberBlock>;

const Slot = z.object({ start: z.string(), end: z.string() });
const AppointmentView = z.object({
  id: z.string(),
  itemCode: z.string(),
  itemName: z.string(),
  groupId: z.string(),
  date: Day,
  slot: Slot,
  state: z.enum(['booked', 'cancelled', 'checked-in']),
  maskedId: z.string().nullable(),
  ticketId: z.string().nullable(),
  // A platform from before booking codes sends none.
  bookingCode: z.string().nullable().default(null),
}) satisfies z.ZodType<AppointmentViewShape>;
const AppointmentDayView = z.object({
  date: Day,
  open: z.boolean(),
  reason: z.string().optional(),
  slots: z.array(
    Slot.extend({ capacity: z.number().int(), booked: z.number().int(), available: z.number().int(), bookable: z.boolean() }),
  ),
}) satisfies z.ZodType<AppointmentDayViewShape>;

const CheckedIn = z.object({ appointment: AppointmentView, ticket: PublicTicket, line: QueueLine.optional() });

/** What the platform answers each request with, checked by the kiosk on arrival. */
export const QueueAnswerSchemas = {
  'queue:take': z.object({ ticket: PublicTicket, line: QueueLine.optional() }),
  'queue:reserve-block': NumberBlock,
  'queue:status': PublicTicket,
  'queue:lines': z.array(QueueLine),
  'appointments:slots': z.array(AppointmentDayView),
  'appointments:book': AppointmentView,
  'appointments:list': z.array(AppointmentView),
  'appointments:cancel': AppointmentView,
  'appointments:check-in': CheckedIn,
  'appointments:check-in-code': CheckedIn,
  ...PendingAnswers,
};

export type QueueAnswers = { [E in keyof typeof QueueAnswerSchemas]: z.output<(typeof QueueAnswerSchemas)[E]> };

export type QueueEvent = keyof typeof QueueRequests & keyof QueueAnswers;
export type QueueRequest<E extends QueueEvent> = z.input<(typeof QueueRequests)[E]>;
/** A request as its schema leaves it. */
export type QueueParsed<E extends QueueEvent> = z.output<(typeof QueueRequests)[E]>;
/** The schemas seen per event, so a function generic in the event keeps request and answer paired. */
export const queueRequestSchema: { [E in QueueEvent]: z.ZodType<QueueParsed<E>, QueueRequest<E>> } = QueueRequests;
export type QueueAnswer<E extends QueueEvent> = QueueAnswers[E];
/** The answer schemas seen per event, as `queueRequestSchema` is for requests. */
export const queueAnswerSchema: { [E in QueueEvent]: z.ZodType<QueueAnswer<E>> } = QueueAnswerSchemas;

/** Every answer comes in this envelope; `retry` says whether asking again as is may help. */
export type QueueReply<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string; retry: boolean } };

const ReplyError = z.object({ code: z.string(), message: z.string(), retry: z.boolean() });

/**
 * The platform's answer to a request, checked against the event's answer schema: a reply
 * that is neither a well-formed error nor the answer the event promises is refused with
 * what was wrong, rather than handed on as if it were one.
 */
export function parseQueueReply<E extends QueueEvent>(event: E, raw: unknown): QueueReply<QueueAnswer<E>> {
  const envelope = z.union([z.object({ ok: z.literal(true), value: z.unknown() }), z.object({ ok: z.literal(false), error: ReplyError })]).safeParse(raw);
  if (!envelope.success) return { ok: false, error: { code: 'bad-reply', message: `${event}: the platform's reply is not an answer envelope`, retry: true } };
  if (!envelope.data.ok) return envelope.data;
  const schema = queueAnswerSchema[event];
  const value = schema.safeParse(envelope.data.value);
  if (!value.success) {
    const first = value.error.issues[0];
    return { ok: false, error: { code: 'bad-reply', message: `${event}: ${first.path.join('.') || 'answer'}: ${first.message}`, retry: true } };
  }
  return { ok: true, value: value.data };
}
