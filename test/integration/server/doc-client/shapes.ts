/**
 * The answers of docs/sync-protocol.md as zod schemas, copied from the document's tables
 * and nothing else. Objects the document lists in full are strict, so a field the
 * platform sends but the document does not name fails the check.
 */
import { z } from 'zod';

const code = z.string().regex(/^[a-z][a-z-]*$/);

/** §12: `{code, message, retry}` on the socket everywhere. */
export const SyncError = z.object({ code, message: z.string().min(1), retry: z.boolean() }).strict();

export const Failure = z.object({ ok: z.literal(false), batchId: z.string().optional(), error: SyncError }).strict();

/** §11: every HTTP error. */
export const HttpError = z.object({ error: z.object({ code, message: z.string().min(1), detail: z.unknown().optional() }).strict() }).strict();

/** §2: the enrolment answer. */
export const EnrollAnswer = z.object({ deviceId: z.string(), hallId: z.string(), kind: z.enum(['kiosk', 'teller', 'robot', 'load']) }).strict();

const int = z.number().int().nonnegative();

/** §4. */
export const HelloAck = z
  .object({
    ok: z.literal(true),
    deviceId: z.string(),
    hallId: z.string(),
    nodeId: z.string(),
    lastSeq: int,
    configVersion: int,
    serverTime: z.iso.datetime({ offset: true }),
    limits: z.object({ maxBatch: z.literal(500), maxPayloadBytes: z.literal(16384), maxEventBytes: z.literal(1048576), maxFrameBytes: z.literal(2097152), maxDepth: z.literal(32), maxNodes: z.literal(500000), maxPayloadDepth: z.literal(24) }).strict(),
    idKeySecret: z.string().min(32),
  })
  .strict();

/** §6.3. */
export const TxResult = z.discriminatedUnion('status', [
  z.object({ id: z.string(), status: z.enum(['applied', 'duplicate']) }).strict(),
  z.object({ id: z.string(), status: z.literal('failed'), code: z.literal('handler-failed'), message: z.string() }).strict(),
  z.object({ id: z.string(), status: z.literal('rejected'), code: z.enum(['bad-payload', 'too-large', 'id-conflict']), message: z.string() }).strict(),
]);
export const BatchAck = z.union([z.object({ ok: z.literal(true), batchId: z.string(), lastSeq: int, results: z.array(TxResult) }).strict(), Failure]);

/** §7. */
export const ConfigFetchAck = z.object({ ok: z.literal(true), version: z.number().int().positive(), sha256: z.string().regex(/^[0-9a-f]{64}$/), encoding: z.literal('gzip+base64'), body: z.string() }).strict();

/** §10. */
export const GroupLine = z
  .object({
    groupId: z.string(),
    prefix: z.string(),
    name: z.string(),
    nameEn: z.string().optional(),
    waiting: int,
    priorityWaiting: int,
    estimatedWaitMinutes: z.number().nonnegative(),
    perVisitorMinutes: z.number().nonnegative(),
  })
  .strict();

export const PublicTicket = z
  .object({
    id: z.string(),
    number: z.string().regex(/^[A-Z]{1,2}\d{3,4}$/),
    groupId: z.string(),
    groupName: z.string(),
    itemCode: z.string().nullable(),
    priority: z.boolean(),
    state: z.enum(['waiting', 'called', 'serving', 'done', 'no-show', 'cancelled']),
    windowId: z.string().nullable(),
    windows: z.array(z.string()),
    ahead: int,
    estimatedWaitMinutes: z.number().nonnegative(),
    issuedAt: z.iso.datetime({ offset: true }),
    offline: z.boolean(),
    followPath: z.string().startsWith('/'),
  })
  .strict();

export const NumberBlock = z.object({ blockId: z.string(), day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), groupId: z.string(), prefix: z.string(), firstSeq: int, lastSeq: int }).strict();

const hhmm = z.string().regex(/^\d{2}:\d{2}$/);
export const DayAvailability = z
  .object({
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    open: z.boolean(),
    reason: z.string().optional(),
    slots: z.array(z.object({ start: hhmm, end: hhmm, capacity: int, booked: int, available: int, bookable: z.boolean() }).strict()),
  })
  .strict();

export const Appointment = z
  .object({
    id: z.string(),
    itemCode: z.string(),
    itemName: z.string(),
    groupId: z.string(),
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    slot: z.object({ start: hhmm, end: hhmm }).strict(),
    state: z.enum(['booked', 'cancelled', 'checked-in']),
    maskedId: z.string().nullable(),
    ticketId: z.string().nullable(),
    bookingCode: z.string().regex(/^\d{6}$/).nullable(),
  })
  .strict();

/** §10: `{ok: true, value}` around each of the values above. */
export const answerOf = <S extends z.ZodType>(value: S) => z.union([z.object({ ok: z.literal(true), value }).strict(), Failure]);
