/**
 * 政务数据共享 on the platform: a terminal asks for one of the signed-in citizen's records
 * (`datashare:query` on its device socket), the platform checks that the terminal offers
 * that record and that the citizen signed in there with their ID card just now, asks the
 * gateway, writes one audit row and answers with the record.
 *
 * Kept: the audit row (when, which terminal, which record kind, the outcome, attempts and
 * a keyed pseudonym of the citizen: the hall's ID-key HMAC of the number, as appointments
 * use). Never kept or logged: the ID number, the name or anything the record says; the
 * number is in memory only while the gateway is asked.
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io';
import type { AppliedTransaction, EnrolledDevice, ServerContext } from '../context.ts';
import { summarizeIssues } from '../../protocol/sync.ts';
import { idKeyOf } from '../../protocol/id-key.ts';
import { DataShareRequests, RECORD_TITLES, type DataShareAnswer, type QueryFailure, type RecordKind } from '../../protocol/datashare.ts';
import type { QueueReply } from '../../protocol/queue.ts';
import { DataShareError, HttpDataShareGateway, type DataShareGateway, type GatewayResult, type HttpGatewayOptions } from './gateway.ts';
import { maskedIdOf, SessionCheck, type SessionRefusal } from './sessions.ts';

export const DATASHARE_MIGRATIONS = [
  `CREATE TABLE datashare_audit (
     id TEXT PRIMARY KEY,
     at TEXT NOT NULL,
     device_id TEXT NOT NULL,
     citizen TEXT NOT NULL,
     kind TEXT NOT NULL,
     outcome TEXT NOT NULL,
     attempts INTEGER NOT NULL,
     node_id TEXT NOT NULL
   );
   CREATE INDEX datashare_audit_at ON datashare_audit (at);
   CREATE INDEX datashare_audit_citizen ON datashare_audit (citizen, at);
   CREATE TABLE terminal_sessions (
     device_id TEXT PRIMARY KEY,
     masked_id TEXT NOT NULL,
     signed_in_at TEXT NOT NULL,
     ended_at TEXT
   );`,
];

export type DataShareOption = DataShareGateway | Omit<HttpGatewayOptions, 'requester'>;

export interface AuditRow {
  id: string;
  at: string;
  device_id: string;
  citizen: string;
  kind: RecordKind;
  outcome: 'ok' | QueryFailure;
  attempts: number;
  node_id: string;
}

/** What the citizen is told, in the platform's words; the screen has its own for each code. */
const MESSAGES: Record<QueryFailure, string> = {
  'no-record': '未查询到相关记录',
  'source-down': '数据来源系统暂时无法访问，请稍后再试',
  timeout: '查询超时，请稍后再试',
  'signin-required': '请先在本机刷身份证登录后再查询',
  'not-offered': '本终端不提供此项查询',
  'bad-request': '查询请求有误',
};

/** Whether asking again as is may help (docs/datashare.md). */
const RETRY: Record<QueryFailure, boolean> = { 'no-record': false, 'source-down': true, timeout: true, 'signin-required': false, 'not-offered': false, 'bad-request': false };

class Refused extends Error {
  constructor(
    readonly code: QueryFailure,
    readonly attempts = 0,
  ) {
    super(MESSAGES[code]);
  }
}

export function registerDataShare(ctx: ServerContext, option: DataShareOption | undefined): void {
  const { db, log } = ctx;
  const gateway: DataShareGateway | null = !option ? null : 'query' in option ? option : new HttpDataShareGateway({ ...option, requester: ctx.config.config.hall.id });
  const sessions = new SessionCheck(db);
  const dsLog = log.child({ module: 'datashare' });

  ctx.onTransaction('signin', (tx, txDb) => sessions.signedIn(tx as AppliedTransaction & { payload: { maskedId: string } }, txDb));
  ctx.onTransaction('signout', (tx, txDb) => sessions.signedOut(tx as AppliedTransaction & { payload: { maskedId: string } }, txDb));

  const audit = (row: AuditRow) =>
    db.run('INSERT INTO datashare_audit (id, at, device_id, citizen, kind, outcome, attempts, node_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
      row.id,
      row.at,
      row.device_id,
      row.citizen,
      row.kind,
      row.outcome,
      row.attempts,
      row.node_id,
    ]);

  async function query(device: EnrolledDevice, kind: RecordKind, idNumber: string): Promise<GatewayResult> {
    const config = ctx.config.config;
    const terminal = config.kiosks.find((k) => k.id === device.deviceId);
    if (!terminal?.records.includes(kind) || !gateway) throw new Refused('not-offered');
    const refusal: SessionRefusal | null = await sessions.check(device.deviceId, maskedIdOf(idNumber), config.dataShare.freshSignInMinutes);
    if (refusal) {
      dsLog.info({ device: device.deviceId, kind, why: refusal }, 'records query refused: no fresh sign-in');
      throw new Refused('signin-required');
    }
    try {
      const { record, attempts } = await gateway.query(kind, idNumber);
      // The gateway answers for the number asked; a record about someone else is not shown.
      if (record.kind !== kind || record.holder.idNumber.toUpperCase() !== idNumber.toUpperCase()) throw new DataShareError('source-down', 'the gateway answered about another record', attempts);
      return { record, attempts };
    } catch (err) {
      if (err instanceof DataShareError) throw new Refused(err.code, err.attempts);
      throw err;
    }
  }

  ctx.onDeviceSocket((socket: Socket, device: EnrolledDevice) => {
    socket.on('datashare:query', async (raw: unknown, ack?: (r: QueueReply<DataShareAnswer>) => void) => {
      if (typeof ack !== 'function') return;
      const parsed = DataShareRequests['datashare:query'].safeParse(raw ?? {});
      if (!parsed.success) return ack({ ok: false, error: { code: 'bad-request', message: summarizeIssues(parsed.error), retry: false } });
      const { kind, idNumber } = parsed.data;
      const row: AuditRow = { id: randomUUID(), at: new Date().toISOString(), device_id: device.deviceId, citizen: idKeyOf(idNumber, ctx.idKey.secret), kind, outcome: 'ok', attempts: 0, node_id: ctx.nodeId };
      let reply: QueueReply<DataShareAnswer>;
      try {
        const { record, attempts } = await query(device, kind, idNumber);
        row.attempts = attempts;
        reply = { ok: true, value: { record } };
      } catch (err) {
        if (!(err instanceof Refused)) {
          dsLog.error({ device: device.deviceId, kind, err: (err as Error).message }, 'records query failed');
          return ack({ ok: false, error: { code: 'internal', message: 'the platform could not answer', retry: true } });
        }
        row.outcome = err.code;
        row.attempts = err.attempts;
        reply = { ok: false, error: { code: err.code, message: err.message, retry: RETRY[err.code] } };
      }
      try {
        await audit(row);
      } catch (err) {
        // A query that cannot be audited is not answered: the record stays with its source.
        dsLog.error({ device: device.deviceId, kind, err: (err as Error).message }, 'records query not audited; not answered');
        return ack({ ok: false, error: { code: 'internal', message: 'the platform could not answer', retry: true } });
      }
      dsLog.info({ device: device.deviceId, kind, outcome: row.outcome, attempts: row.attempts }, `records query: ${RECORD_TITLES[kind].en}`);
      ack(reply);
    });
  });
}

