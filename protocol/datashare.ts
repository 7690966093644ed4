/**
 * 政务数据共享: records the platform fetches from the province's data-sharing gateway on a
 * signed-in citizen's behalf. Three wires carry them (docs/datashare.md):
 *
 * - gateway HTTP: the platform's adapter (server/datashare/gateway.ts) ↔ the gateway, or
 *   its simulator (`xiaojin sim datashare`);
 * - the device socket: a kiosk asks `datashare:query`, the platform answers with the record;
 * - the kiosk's screen gets the record with the holder masked (protocol/ui/domains/records.ts).
 *
 * A record is shaped for both the screen and an A4 certificate: a title, the issuing
 * source, the holder, when it was issued, label/value rows and an optional table.
 */
import { z } from 'zod';

export const RECORD_KINDS = ['social-security', 'income-tax', 'housing-fund', 'real-estate', 'household'] as const;
export const RecordKind = z.enum(RECORD_KINDS);
export type RecordKind = z.infer<typeof RecordKind>;

/** The record's Chinese and English names, as the screen's menu and a certificate's title use them. */
export const RECORD_TITLES: Readonly<Record<RecordKind, { zh: string; en: string }>> = {
  'social-security': { zh: '社保缴费记录', en: 'Social security contribution record' },
  'income-tax': { zh: '个人所得税完税证明', en: 'Individual income tax payment proof' },
  'housing-fund': { zh: '住房公积金缴存记录', en: 'Housing fund deposit record' },
  'real-estate': { zh: '不动产登记信息摘要', en: 'Real estate registration summary' },
  household: { zh: '户籍信息摘要', en: 'Household registration extract' },
};

const Text = (max: number) => z.string().max(max);
const Label = z.object({ zh: Text(64).min(1), en: Text(120).optional() }).strict();

export const RecordRow = z.object({ label: Label, value: Text(400) }).strict();
export type RecordRow = z.infer<typeof RecordRow>;

export const RecordTable = z
  .object({
    columns: z.array(Label).min(1).max(12),
    rows: z.array(z.array(Text(200))).max(500),
  })
  .strict()
  .refine((t) => t.rows.every((r) => r.length === t.columns.length), 'every table row has one cell per column');
export type RecordTable = z.infer<typeof RecordTable>;

/** Who the record is about, as the source system names them. The screen only ever sees it masked. */
export const RecordHolder = z.object({ name: Text(64).min(1), idNumber: Text(32).min(1) }).strict();
export type RecordHolder = z.infer<typeof RecordHolder>;

export const DataRecord = z
  .object({
    kind: RecordKind,
    /** The record's own title as the source words it (e.g. 广州市社会保险参保缴费记录). */
    title: Label,
    /** The issuing source system (广州市人力资源和社会保障局). */
    source: Label,
    holder: RecordHolder,
    /** When the source produced this record, ISO 8601 with its offset. */
    issuedAt: z.string().datetime({ offset: true }),
    rows: z.array(RecordRow).max(60),
    table: RecordTable.optional(),
  })
  .strict();
export type DataRecord = z.infer<typeof DataRecord>;

// ---------------------------------------------------------------- gateway HTTP

/** POST {gateway}/v1/records/query */
export const GatewayQuery = z
  .object({
    kind: RecordKind,
    idNumber: z.string().regex(/^[0-9A-Z]{15,18}$/, 'an identity number'),
    /** The platform's id for this query, repeated on retries so the gateway can log one query. */
    queryId: z.string().uuid(),
    /** The asking hall, for the gateway's own accounting. */
    requester: z.string().min(1).max(64),
  })
  .strict();
export type GatewayQuery = z.infer<typeof GatewayQuery>;

/** 200: the record. Errors: 404 no-record, 400 bad-request, 503 source-down (with Retry-After). */
export const GatewayAnswer = z.object({ record: DataRecord }).strict();
export const GatewayError = z.object({ error: z.object({ code: z.string().max(64), message: z.string().max(500) }) });

// ---------------------------------------------------------------- device socket

/** Why a query gave no record. The screen words each one; none carries personal data. */
export const QUERY_FAILURES = ['no-record', 'source-down', 'timeout', 'signin-required', 'not-offered', 'bad-request'] as const;
export type QueryFailure = (typeof QUERY_FAILURES)[number];

export const DataShareRequests = {
  /** The ID number of the citizen signed in on the asking terminal; the platform never stores it. */
  'datashare:query': z.object({ kind: RecordKind, idNumber: GatewayQuery.shape.idNumber }).strict(),
};

export const DataShareAnswers = {
  'datashare:query': z.object({ record: DataRecord }),
};

export type DataShareQuery = z.infer<(typeof DataShareRequests)['datashare:query']>;
export type DataShareAnswer = z.infer<(typeof DataShareAnswers)['datashare:query']>;
