/**
 * 查询打印 on the terminal: the signed-in citizen asks for one of their government records,
 * the terminal asks the platform (`datashare:query`) with the card's number, and the
 * screen gets the record with the holder's name and number masked wherever they appear.
 *
 * The whole record stays in this part's memory for the session only (a certificate is
 * printed from it), and is dropped when the citizen signs out, the idle countdown runs out
 * or another card signs in. Nothing of it is logged or recorded as a transaction: the
 * platform audits the query.
 */
import { z } from 'zod';
import { ApiError } from '../../protocol/ui/errors.ts';
import { DataShareAnswers, DataShareRequests, QUERY_FAILURES, type DataRecord, type QueryFailure, type RecordKind } from '../../protocol/datashare.ts';
import type { RecordView } from '../../protocol/ui/domains/records.ts';
import type { Handlers } from '../api/router.ts';
import type { TerminalContext } from './kiosk-services.ts';
import { definePart, type CentralLink } from './compose.ts';
import { maskIdNumber, maskName, type SessionService } from './session.ts';
import type { CertificateDocument } from '../../protocol/certificate.ts';
import type { CertificatePrinter, PrintedCertificate } from './certificates.ts';

/** Longer than the platform's whole query (the gateway's deadline and the sign-in grace). */
const QUERY_TIMEOUT_MS = 25_000;

const Reply = z.union([
  z.object({ ok: z.literal(true), value: DataShareAnswers['datashare:query'] }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string(), retry: z.boolean() }) }),
]);

/** The record as the screen may show it: the holder masked, and masked wherever the record repeats them. */
export function maskRecord(record: DataRecord): RecordView {
  const maskedName = maskName(record.holder.name);
  const maskedId = maskIdNumber(record.holder.idNumber);
  const hide = (text: string) => text.split(record.holder.idNumber).join(maskedId).split(record.holder.name).join(maskedName);
  return {
    ...record,
    holder: { maskedName, maskedId },
    rows: record.rows.map((r) => ({ ...r, value: hide(r.value) })),
    ...(record.table ? { table: { columns: record.table.columns, rows: record.table.rows.map((row) => row.map(hide)) } } : {}),
  };
}

/**
 * The record as the certificate prints it: in Chinese (the language of the paper a clerk
 * reads), the holder named in full as any certificate does, the ID number masked wherever
 * it appears since a certificate never carries it whole.
 */
export function certificateOf(record: DataRecord): CertificateDocument {
  const maskedId = maskIdNumber(record.holder.idNumber);
  const hideId = (text: string) => text.split(record.holder.idNumber).join(maskedId);
  return {
    kind: record.kind,
    title: record.title.zh,
    source: record.source.zh,
    holder: { name: record.holder.name, idNumberMasked: maskedId },
    issuedAt: record.issuedAt,
    rows: record.rows.map((r) => ({ label: r.label.zh, value: hideId(r.value) })),
    ...(record.table ? { table: { columns: record.table.columns.map((c) => c.zh), rows: record.table.rows.map((row) => row.map(hideId)) } } : {}),
  };
}

const isFailure = (code: string): code is QueryFailure => (QUERY_FAILURES as readonly string[]).includes(code);

export class RecordsService {
  private held = new Map<RecordKind, DataRecord>();
  private heldFor: string | null = null;

  constructor(
    private readonly rt: TerminalContext,
    private readonly session: SessionService,
    private readonly central: CentralLink | null,
    private readonly certificates: CertificatePrinter,
  ) {}

  /** Prints the record this citizen last read on screen; a record is never fetched anew for paper. */
  async print(kind: RecordKind): Promise<PrintedCertificate> {
    const record = this.record(kind);
    if (!record) throw new ApiError('not-found', '请先查询该记录再打印', { reason: 'signin-required' satisfies QueryFailure });
    return this.certificates.print(certificateOf(record));
  }

  /** The citizen's record as the source gave it, for printing; null once their session ended. */
  record(kind: RecordKind): DataRecord | null {
    return this.heldFor && this.heldFor === this.session.currentCard()?.idNumber ? (this.held.get(kind) ?? null) : null;
  }

  forget(): void {
    this.held.clear();
    this.heldFor = null;
  }

  async query(kind: RecordKind): Promise<RecordView> {
    const card = this.session.currentCard();
    if (!card) throw new ApiError('not-signed-in', '请先刷身份证登录', { reason: 'signin-required' satisfies QueryFailure });
    if (!this.rt.kiosk.records.includes(kind)) throw new ApiError('unavailable', '本终端不提供此项查询', { reason: 'not-offered' satisfies QueryFailure });
    if (!this.central?.online) throw new ApiError('offline', '暂时连接不上服务平台', { reason: 'offline' });
    const request = DataShareRequests['datashare:query'].safeParse({ kind, idNumber: card.idNumber.trim().toUpperCase() });
    if (!request.success) throw new ApiError('bad-input', '此证件暂不支持查询', { reason: 'bad-request' satisfies QueryFailure });
    let raw: unknown;
    try {
      raw = await this.central.request('datashare:query', request.data, QUERY_TIMEOUT_MS);
    } catch (err) {
      this.rt.log.warn({ kind, err: (err as Error).message }, 'records query got no answer from the platform');
      throw new ApiError('offline', '暂时连接不上服务平台', { reason: 'timeout' satisfies QueryFailure });
    }
    const reply = Reply.safeParse(raw);
    if (!reply.success) {
      this.rt.log.error({ kind }, 'the platform answered a records query in a shape this terminal does not understand');
      throw new ApiError('internal', '查询失败，请稍后再试', { reason: 'source-down' satisfies QueryFailure });
    }
    if (!reply.data.ok) {
      const { code, message } = reply.data.error;
      const reason: QueryFailure = isFailure(code) ? code : 'source-down';
      this.rt.log.info({ kind, reason }, 'records query gave no record');
      throw new ApiError(reason === 'no-record' ? 'not-found' : reason === 'signin-required' ? 'not-signed-in' : 'unavailable', message, { reason });
    }
    const { record } = reply.data.value;
    // The citizen may have left while the gateway answered: their record is not kept for the next.
    if (this.session.currentCard()?.idNumber !== card.idNumber) throw new ApiError('not-signed-in', '请先刷身份证登录', { reason: 'signin-required' satisfies QueryFailure });
    if (this.heldFor !== card.idNumber) this.forget();
    this.heldFor = card.idNumber;
    this.held.set(kind, record);
    return maskRecord(record);
  }

  handlers(): Handlers {
    return { 'records.query': ({ kind }) => this.query(kind), 'records.print': ({ kind }) => this.print(kind) };
  }
}

export const recordsPart = definePart({
  name: 'records',
  needs: ['session', 'central', 'certificates'],
  provides: ['records'],
  build: (ctx, { session, central, certificates }) => {
    const service = new RecordsService(ctx, session, central, certificates);
    const off = ctx.hub.on('session.changed', (s) => {
      if (!s.person) service.forget();
    });
    ctx.onClose(off);
    return { provides: { records: service }, handlers: service.handlers() };
  },
});
