/**
 * The sync protocol between kiosks and the central platform, as zod schemas shared by
 * both ends (docs/sync-protocol.md is the prose version). The kiosk validates before it
 * commits to its outbox, the platform validates again on arrival, so a transaction that
 * was accepted locally is never refused later for its shape.
 */
import { HelpPayload } from './help.ts';
import { z } from 'zod';
import { RatingPayload } from './rating.ts';
import { PreReviewPayload } from './prereview.ts';
import { PriorityKind } from './priority.ts';
import { checkBounds } from './bounds.ts';

export const PROTOCOL_VERSION = 1;

/** Limits both ends enforce; the platform repeats them in its hello answer. */
export const LIMITS = {
  /** Transactions per tx:batch. */
  maxBatch: 500,
  /** Serialized size of one transaction's payload, in bytes (UTF-8 JSON). */
  maxPayloadBytes: 16 * 1024,
  /** Serialized size of one incoming socket event; larger ones are refused as too-large. */
  maxEventBytes: 1024 * 1024,
  /** Socket.io transport cap: a frame above it closes the connection. */
  maxFrameBytes: 2 * 1024 * 1024,
  /** Arrays and objects nested inside one another in one event's arguments; deeper ones are refused as too-large. */
  maxDepth: 32,
  /** Values (of any kind) in one event's arguments; more are refused as too-large. A full batch of JSON stays below it. */
  maxNodes: 500_000,
  /**
   * Nesting of one transaction's payload (the payload object is 1): the batch around it takes
   * the rest of maxDepth, so a payload within this never makes its batch too deep.
   */
  maxPayloadDepth: 24,
} as const;

export const SyncErrorCode = z.enum([
  'bad-request',
  'hello-first',
  'too-large',
  'unauthorized',
  'revoked',
  'unsupported-protocol',
  'bad-payload',
  'id-conflict',
  'handler-failed',
  'not-found',
  'internal',
]);
export type SyncErrorCode = z.infer<typeof SyncErrorCode>;

export interface SyncError {
  code: SyncErrorCode;
  message: string;
  /** Whether sending the same thing again later can succeed. */
  retry: boolean;
}

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'a lowercase UUID');
const isoTime = z.string().max(40).refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO 8601 time');
/**
 * When a transaction was committed: RFC 3339 with seconds and an offset (Z or ±hh:mm), as
 * Date.prototype.toISOString writes it. A year outside 2000–2100 means a device clock
 * that was never set (or a reset RTC), not a real time.
 */
export const TxTime = z.iso
  .datetime({ offset: true, error: 'an RFC 3339 time with seconds and an offset (Z or ±hh:mm), e.g. 2026-11-22T03:00:00.000Z' })
  .refine((s) => Number(s.slice(0, 4)) >= 2000 && Number(s.slice(0, 4)) <= 2100, 'a year from 2000 to 2100');
const deviceId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a device id of letters, digits, . _ -');

// ---------------------------------------------------------------- handshake and hello

export const DeviceKind = z.enum(['kiosk', 'teller', 'robot', 'load']);

/** socket.io handshake `auth` of a device. */
export const DeviceAuth = z
  .object({
    deviceId,
    secret: z.string().min(32).max(128),
    protocol: z.literal(PROTOCOL_VERSION),
  })
  .strict();
export type DeviceAuth = z.infer<typeof DeviceAuth>;

export const Hello = z
  .object({
    configVersion: z.number().int().nonnegative(),
    /** The highest sequence number the device has ever assigned (0 if none). */
    lastAssignedSeq: z.number().int().nonnegative(),
    pending: z.number().int().nonnegative(),
    software: z.string().max(64).optional(),
  })
  .strict();
export type Hello = z.infer<typeof Hello>;

export interface HelloAck {
  ok: true;
  deviceId: string;
  hallId: string;
  nodeId: string;
  /** Highest sequence number the platform has applied from this device. */
  lastSeq: number;
  configVersion: number;
  serverTime: string;
  limits: typeof LIMITS;
  /**
   * The hall's key for pseudonymising ID numbers (HMAC-SHA256): appointments are filed
   * under the keyed hash, so the platform never holds a number it could reverse by trying
   * every plausible one, and any kiosk of the hall finds the citizen's bookings. Only
   * kiosks, tellers and robots get it; the HMAC key is the UTF-8 bytes of this string.
   */
  idKeySecret?: string;
}

/**
 * The fields of a hello answer the kiosk acts on (it renumbers its outbox from lastSeq and
 * fetches configVersion), checked before it trusts them; the rest passes through.
 */
export const HelloAckSchema = z.looseObject({
  ok: z.literal(true),
  lastSeq: z.number().int().nonnegative(),
  configVersion: z.number().int().nonnegative(),
  idKeySecret: z.string().optional(),
});

// ---------------------------------------------------------------- transactions

export const TX_TYPE = /^[a-z][a-z0-9-]{0,31}(\.[a-z0-9-]{1,31})?$/;

/** One kiosk transaction on the wire. */
export const TxEnvelope = z
  .object({
    id: uuid,
    seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    type: z.string().regex(TX_TYPE, 'a transaction type like rating or queue.call'),
    /** Checked per transaction (TxTime in checkTransaction), so one bad clock reading refuses only its own row. */
    at: z.string().max(40),
    payload: z.record(z.string(), z.unknown()),
  })
  .strict();
export type TxEnvelope = z.infer<typeof TxEnvelope>;

export const TxBatch = z
  .object({
    batchId: uuid,
    txs: z.array(TxEnvelope).min(1).max(LIMITS.maxBatch),
  })
  .strict();
export type TxBatch = z.infer<typeof TxBatch>;

export const TxStatus = z.enum(['applied', 'duplicate', 'failed', 'rejected']);
export type TxStatus = z.infer<typeof TxStatus>;

export const TxResult = z.object({
  id: z.string(),
  /** applied: recorded now; duplicate: recorded earlier; failed: recorded, a handler refused it; rejected: not recorded. */
  status: TxStatus,
  code: SyncErrorCode.optional(),
  message: z.string().optional(),
});
export type TxResult = z.infer<typeof TxResult>;

const SyncErrorSchema = z.object({ code: SyncErrorCode, message: z.string(), retry: z.boolean() });

/** The platform's acknowledgement of a batch, checked by the kiosk before it marks anything synced. */
export const BatchAck = z.union([
  z.object({ ok: z.literal(true), batchId: z.string(), results: z.array(TxResult), lastSeq: z.number().int().nonnegative() }),
  z.object({ ok: z.literal(false), batchId: z.string().optional(), error: SyncErrorSchema }),
]);
export type BatchAck = z.infer<typeof BatchAck>;

// ---------------------------------------------------------------- payloads of the built-in types

/**
 * What the kiosk's maskName (electron/services/session.ts) can produce: 张*三, 张*, 欧**娜, *
 * (at most one plain character at each end, stars between, at least one star), or for a
 * Latin-script name each word's first letter and stars (ZHANG S*** → Z**** S***).
 */
export const MASKED_NAME = /^(?:\*|[^*\s]\*|[^*\s]\*+[^*\s]|[!-)+-~]\*+(?: [!-)+-~]\*+)*)$/;
/**
 * What the kiosk's maskIdNumber can produce: 15 to 18 characters keep four at each end
 * (4401**********1234, 18; CAN4*******1202, 15), 6 to 14 keep two, shorter ones none.
 */
export const MASKED_ID = /^(?:[0-9A-Za-z]{4}\*{7,10}[0-9A-Za-z]{4}|[0-9A-Za-z]{2}\*{2,10}[0-9A-Za-z]{2}|\*{1,5})$/;
const maskedName = z.string().max(64).regex(MASKED_NAME, 'a masked name such as 张*三 (one plain character at each end at most)');
const maskedId = z.string().regex(MASKED_ID, 'a masked identity number such as 4401**********1234');

/** A ticket's estimated wait as recorded; a longer estimate is recorded as this (it means "more than a day"). */
export const TICKET_WAIT_MAX_MINUTES = 24 * 60;

const Ticket = z
  .object({
    ticketId: z.string().min(1).max(64),
    number: z.string().regex(/^[A-Z]{1,2}\d{3,4}$/),
    groupId: z.string().min(1).max(64),
    itemCode: z.string().max(64).optional(),
    priority: PriorityKind.optional(),
    offline: z.boolean(),
    issuedAt: isoTime,
    estimatedWaitMinutes: z.number().nonnegative().max(TICKET_WAIT_MAX_MINUTES).optional(),
    /** Offline tickets: the number within the day's block the kiosk took it from. */
    seq: z.number().int().min(1).max(9999).optional(),
    day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
    blockId: z.string().min(1).max(64).optional(),
    /** A signed-in citizen's ticket (never one tied to an appointment). */
    maskedId: maskedId.optional(),
    /** The citizen's action it answered: the platform keeps one ticket per request of a device. */
    requestId: z.string().uuid().optional(),
  })
  .strict();

const SignIn = z
  .object({
    maskedName,
    maskedId,
    cardType: z.enum(['resident', 'hk-macau-taiwan', 'foreign-permanent']),
    /**
     * False when the number's check digit is wrong: worth a look by staff, not a refusal.
     * Null when the card's number has no check digit to verify (a foreign permanent residence card).
     */
    idNumberValid: z.boolean().nullable().optional(),
    /** The card was past its end date when read (on the hall's calendar); absent on older records. */
    cardExpired: z.boolean().optional(),
    outcome: z.enum(['ok', 'failed']).default('ok'),
  })
  .strict();

const SignOut = z
  .object({
    maskedId,
    reason: z.enum(['user', 'idle', 'reset', 'expired']),
    seconds: z.number().int().nonnegative(),
  })
  .strict();

const Print = z
  .object({
    jobId: z.string().min(1).max(64),
    document: z.enum(['checklist', 'ticket', 'receipt', 'id-copy', 'certificate', 'other']),
    itemCode: z.string().max(64).optional(),
    caseCode: z.string().max(64).optional(),
    state: z.enum(['queued', 'printing', 'held', 'done', 'failed']),
    reason: z.string().max(200).optional(),
    /** Why a checklist was not printed at all. */
    cause: z.enum(['absent']).optional(),
  })
  .strict();

const Appointment = z
  .object({
    appointmentId: z.string().min(1).max(64),
    action: z.enum(['booked', 'cancelled', 'checked-in']),
    itemCode: z.string().max(64),
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    slot: z.object({ start: z.string().regex(/^\d{2}:\d{2}$/), end: z.string().regex(/^\d{2}:\d{2}$/) }).strict(),
  })
  .strict();

/**
 * What a terminal can notice going wrong: its devices, and since fault histories, its own
 * parts too: the link to the platform, the screen (hung or crashed), the robot's base link
 * and the outbox's disk. Older kiosks send only the device kinds; their payloads still parse.
 */
export const FAULT_KINDS = ['idcard', 'printer', 'touch', 'scanner', 'a4printer', 'link', 'screen', 'base', 'disk'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * A change of health worth a record: a non-ok state opens a fault episode of that terminal
 * and device, the next ok closes it (server/faults). `since` is when the terminal saw the
 * state begin; it is set when the record is made later than that (a link outage is only
 * recorded once the link is back), and absent from older kiosks (the record's time then).
 */
export const DeviceFault = z
  .object({
    device: z.string().min(1).max(64),
    kind: z.enum(FAULT_KINDS),
    state: z.enum(['ok', 'absent', 'faulty']),
    paper: z.enum(['ok', 'near-end', 'out']).optional(),
    detail: z.string().max(500).optional(),
    since: TxTime.optional(),
  })
  .strict();
export type DeviceFault = z.infer<typeof DeviceFault>;

/**
 * One drive of a lobby robot's base, for its history in the console's figures: a visitor's
 * walk (`guide`, to a window or place), the way back to its post (`return`) or a docking
 * (`dock`), with what came of it and the metres the base moved.
 */
export const RobotTrip = z
  .object({
    kind: z.enum(['guide', 'return', 'dock']),
    /** The window or place of a walk, the dock of a docking; null for a way back. */
    target: z.string().min(1).max(64).nullable(),
    /** ok; blocked (the aisle, after recoveries); aborted (refused or given up by the base); link-lost; stopped (emergency stop); canceled; not-followed (the follow check went unanswered). */
    outcome: z.enum(['ok', 'blocked', 'aborted', 'link-lost', 'stopped', 'canceled', 'not-followed']),
    metres: z.number().min(0).max(100_000),
    seconds: z.number().int().min(0).max(7 * 86_400),
  })
  .strict();
export type RobotTrip = z.infer<typeof RobotTrip>;

const STANDARD_TYPES: [string, z.ZodType][] = [
  ['robot-trip', RobotTrip],
  ['ticket', Ticket],
  ['signin', SignIn],
  ['signout', SignOut],
  ['print', Print],
  ['rating', RatingPayload],
  ['appointment', Appointment],
  ['device-fault', DeviceFault],
  ['help', HelpPayload],
  ['prereview', PreReviewPayload],
];

/**
 * Types under `test.` carry any JSON object, for tests of the sync machinery itself. A
 * kiosk's outbox takes them; the platform only when started with `testTransactions`
 * (docs/sync-protocol.md), so a production platform stores nothing unchecked.
 */
export const TEST_TYPE_PREFIX = 'test.';

/**
 * Payload schemas by transaction type: the standard ones, and those a deployment adds with
 * `define`. A type with no schema is refused, so no field a schema does not name is ever
 * stored. Both ends must be given the same registry (the outbox's `transactionTypes`,
 * the platform's `startServer({ transactionTypes })`); each is its own object, so adding
 * a type in one place never changes what another kiosk or platform in the process accepts.
 */
export class TransactionTypes {
  private readonly schemas = new Map<string, z.ZodType>();

  constructor(types: Iterable<[string, z.ZodType]> = STANDARD_TYPES) {
    for (const [type, schema] of types) this.define(type, schema);
  }

  define(type: string, schema: z.ZodType): this {
    if (!TX_TYPE.test(type)) throw new Error(`transaction type '${type}' does not match ${TX_TYPE}`);
    this.schemas.set(type, schema);
    return this;
  }

  schemaOf(type: string): z.ZodType | undefined {
    return this.schemas.get(type);
  }

  names(): string[] {
    return [...this.schemas.keys()];
  }
}

/** What a kiosk and a platform given no registry accept; never added to. */
const standardTypes = new TransactionTypes();

export interface PayloadCheckOptions {
  /** Let `test.*` types through as any JSON object. */
  testTypes?: boolean;
  /** The registry to check against (default: the standard types). */
  types?: TransactionTypes;
}

export type PayloadCheck = { ok: true; payload: Record<string, unknown>; bytes: number } | { ok: false; code: 'bad-payload' | 'too-large'; message: string };

const anyObject = z.record(z.string(), z.unknown());

/** Validate one payload for its type and measure it; the returned payload has defaults filled in. */
export function checkPayload(type: string, payload: unknown, opts: PayloadCheckOptions = {}): PayloadCheck {
  if (!TX_TYPE.test(type)) return { ok: false, code: 'bad-payload', message: `transaction type '${String(type).slice(0, 40)}' is not a valid name` };
  // Before the schema: zod and JSON.stringify recurse, and a kiosk must not commit what the platform will refuse.
  const shape = checkBounds(payload, { maxDepth: LIMITS.maxPayloadDepth, maxNodes: LIMITS.maxNodes, maxStringBytes: LIMITS.maxEventBytes });
  if (!shape.ok) return { ok: false, code: 'too-large', message: `payload: ${shape.message}` };
  const schema = (opts.types ?? standardTypes).schemaOf(type) ?? (opts.testTypes && type.startsWith(TEST_TYPE_PREFIX) ? anyObject : undefined);
  if (!schema) return { ok: false, code: 'bad-payload', message: `unknown transaction type '${type}'` };
  const result = schema.safeParse(payload);
  if (!result.success) return { ok: false, code: 'bad-payload', message: summarizeIssues(result.error) };
  const data = result.data as Record<string, unknown>;
  const bytes = Buffer.byteLength(JSON.stringify(data));
  if (bytes > LIMITS.maxPayloadBytes) return { ok: false, code: 'too-large', message: `payload is ${bytes} bytes; the limit is ${LIMITS.maxPayloadBytes}` };
  return { ok: true, payload: data, bytes };
}

/** Check what the envelope schema leaves to each transaction: its time, then its payload. */
export function checkTransaction(tx: Pick<TxEnvelope, 'type' | 'at' | 'payload'>, opts: PayloadCheckOptions = {}): PayloadCheck {
  const at = TxTime.safeParse(tx.at);
  if (!at.success) return { ok: false, code: 'bad-payload', message: `at: ${at.error.issues[0].message}` };
  return checkPayload(tx.type, tx.payload, opts);
}

/** A short, data-free account of what was wrong: paths and expectations, never the values. */
export function summarizeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
    .join('; ')
    .slice(0, 500);
}

// ---------------------------------------------------------------- configuration and health

export const ConfigAvailable = z.object({ version: z.number().int().positive() }).strict();

export const ConfigFetch = z.object({ version: z.number().int().positive().optional() }).strict();

/** The platform's answer to a configuration fetch: the version, compressed, with its digest; or why not. */
export const ConfigFetchReply = z.union([
  z.object({
    ok: z.literal(true),
    version: z.number().int().positive(),
    /** SHA-256 (hex) of the UTF-8 JSON text before compression. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    encoding: z.literal('gzip+base64'),
    body: z.string(),
  }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string(), retry: z.boolean() }) }),
]);
export type ConfigFetchAck = Extract<z.infer<typeof ConfigFetchReply>, { ok: true }>;

export const ConfigApplied = z
  .object({
    version: z.number().int().nonnegative(),
    ok: z.boolean(),
    error: z.string().max(2000).optional(),
  })
  .strict();
export type ConfigApplied = z.infer<typeof ConfigApplied>;

export const DeviceHealthSchema = z
  .object({
    id: z.string().min(1).max(64),
    kind: z.enum(['idcard', 'printer', 'touch', 'scanner', 'a4printer', 'voice']),
    port: z.string().max(128),
    state: z.enum(['ok', 'absent', 'faulty']),
    detail: z.string().max(500).optional(),
    paper: z.enum(['ok', 'near-end', 'out']).optional(),
    since: isoTime,
  })
  .strict();

/** A lobby robot's guide, as the console shows it: state, battery and where it is. */
export const RobotHealth = z
  .object({
    state: z.enum(['at-post', 'guiding', 'arrived', 'returning', 'docking', 'charging', 'fault', 'stopped']),
    battery: z.number().min(0).max(100).nullable(),
    charging: z.boolean(),
    floor: z.string().max(64).nullable(),
    position: z.object({ x: z.number(), y: z.number() }).strict().nullable(),
    reason: z.string().max(500).nullable(),
  })
  .strict();
export type RobotHealth = z.infer<typeof RobotHealth>;

/**
 * The terminal's outbox, live: a disk too full to write cannot be recorded through the
 * outbox while it lasts, so the health report carries it and the platform opens the fault
 * episode itself (the outbox's own record of the same outage, later, finds it open).
 */
export const OutboxHealth = z
  .object({
    writable: z.boolean(),
    /** While not writable: since when, and the disk's words. */
    since: isoTime.optional(),
    error: z.string().max(500).optional(),
  })
  .strict();
export type OutboxHealth = z.infer<typeof OutboxHealth>;

/** How the outbox's disk is named in fault records and the console's history. */
export const OUTBOX_FAULT = { device: 'outbox', kind: 'disk' } as const;

export const HealthReport = z
  .object({
    devices: z.array(DeviceHealthSchema).max(32),
    /** Absent from older terminals. */
    outbox: OutboxHealth.optional(),
    /** Only from a robot with a base. */
    robot: RobotHealth.optional(),
    configVersion: z.number().int().nonnegative(),
    pending: z.number().int().nonnegative(),
    software: z.string().max(64).optional(),
  })
  .strict();
export type HealthReport = z.infer<typeof HealthReport>;

/** Names of the socket events, so neither end spells one by hand. */
export const EVENTS = {
  hello: 'sync:hello',
  batch: 'tx:batch',
  health: 'device:health',
  configAvailable: 'config:available',
  configFetch: 'config:fetch',
  configApplied: 'config:applied',
  error: 'sync:error',
} as const;

// ---------------------------------------------------------------- enrollment (HTTP)

export const EnrollRequest = z
  .object({
    code: z.string().min(6).max(64),
    /** Chosen by the device (its kiosk id) unless the code names one. */
    deviceId: deviceId.optional(),
    /** Generated by the device and kept on its disk before it asks, so a retry after a crash is recognised. */
    secret: z.string().min(32).max(128),
    kind: DeviceKind,
    name: z.string().max(100).optional(),
  })
  .strict();
export type EnrollRequest = z.infer<typeof EnrollRequest>;

export interface EnrollResponse {
  deviceId: string;
  hallId: string;
  kind: z.infer<typeof DeviceKind>;
}
