/**
 * Applying a batch of kiosk transactions exactly once. Each transaction's id is the
 * primary key of the transactions table, so a replay finds its row and is acknowledged
 * as a duplicate without running anything again. The module handlers of a type run in
 * the same database transaction as the insert. A batch normally commits as one
 * transaction; if a handler refuses one of its transactions, the batch is re-run one
 * transaction at a time and the refused one is recorded as failed, so it cannot block
 * the device's queue forever. A transaction's sequence number orders it but never
 * refuses it: a new id below the device's highest applied seq (a batch overtaken by a
 * later one, on another socket or node) is applied and counted as late, so nothing a
 * kiosk committed is lost and staff can still see the device delivered out of order.
 */
import type { Db } from '../db/types.ts';
import type { AppliedTransaction, EnrolledDevice } from '../context.ts';
import { checkTransaction, type TransactionTypes, type TxEnvelope, type TxResult } from '../../protocol/sync.ts';
import { valuesList } from '../db/sql.ts';

export type TxHandler = (tx: AppliedTransaction, db: Db) => Promise<void>;

export const TRANSACTION_MIGRATIONS = [
  `CREATE TABLE transactions (
     id TEXT PRIMARY KEY,
     device_id TEXT NOT NULL,
     seq BIGINT NOT NULL,
     type TEXT NOT NULL,
     at TEXT NOT NULL,
     payload TEXT NOT NULL,
     received_at TEXT NOT NULL,
     node_id TEXT NOT NULL,
     status TEXT NOT NULL,
     error TEXT
   );
   CREATE INDEX transactions_device_seq ON transactions (device_id, seq);
   CREATE INDEX transactions_received ON transactions (received_at);
   CREATE INDEX transactions_type ON transactions (type, received_at);
   CREATE TABLE followups (
     id TEXT PRIMARY KEY,
     tx_id TEXT NOT NULL UNIQUE,
     device_id TEXT NOT NULL,
     level INTEGER NOT NULL,
     reasons TEXT NOT NULL,
     comment TEXT,
     item_code TEXT,
     subject TEXT,
     rated_at TEXT NOT NULL,
     created_at TEXT NOT NULL,
     status TEXT NOT NULL,
     closed_by TEXT,
     closed_at TEXT,
     note TEXT
   );
   CREATE INDEX followups_status ON followups (status, created_at);`,
];

export class DeviceRevoked extends Error {}

class HandlerFailure extends Error {
  constructor(
    readonly txId: string,
    readonly failure: Error,
  ) {
    super(failure.message);
  }
}

export interface IngestOptions {
  db: Db;
  nodeId: string;
  handlersFor(type: string): TxHandler[];
  /** Store test.* transactions unchecked (a platform started for tests only). */
  testTypes?: boolean;
  /** Payload schemas by type (default: the standard types). */
  types?: TransactionTypes;
}

export interface IngestResult {
  results: TxResult[];
  lastSeq: number;
  applied: number;
  duplicates: number;
  rejected: number;
  failed: number;
  gaps: number;
  /** New ids applied with a seq at or below the highest already applied. */
  late: number;
}

const CHUNK = 200;

const INSERT_COLUMNS = 'INSERT INTO transactions (id, device_id, seq, type, at, payload, received_at, node_id, status) VALUES ';

/**
 * Insert transaction rows, skipping ids already present; returns the ids inserted.
 * SQLite runs a cached one-row statement per row (cheapest there: no network, and wide
 * multi-row statements cost more to bind); PostgreSQL gets multi-row statements, one
 * round trip per 200 rows.
 */
export async function insertRows(t: Db, rows: unknown[][]): Promise<Set<string>> {
  const inserted = new Set<string>();
  if (t.kind === 'sqlite') {
    for (const row of rows) {
      const r = await t.run(`${INSERT_COLUMNS}(?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`, row);
      if (r.changes) inserted.add(row[0] as string);
    }
    return inserted;
  }
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = rows.slice(i, i + CHUNK);
    const got = await t.query<{ id: string }>(`${INSERT_COLUMNS}${valuesList(part.length, 9)} ON CONFLICT (id) DO NOTHING RETURNING id`, part.flat());
    for (const r of got) inserted.add(r.id);
  }
  return inserted;
}

/** The envelopes must already be schema-checked, unique by id and increasing by seq. */
export async function applyBatch(opts: IngestOptions, device: EnrolledDevice, txs: TxEnvelope[]): Promise<IngestResult> {
  const checks = txs.map((tx) => checkTransaction(tx, { testTypes: opts.testTypes, types: opts.types }));
  try {
    return await opts.db.tx((t) => applyIn(t, opts, device, txs, checks, false));
  } catch (err) {
    if (!(err instanceof HandlerFailure)) throw err;
    const total: IngestResult = { results: [], lastSeq: 0, applied: 0, duplicates: 0, rejected: 0, failed: 0, gaps: 0, late: 0 };
    for (let i = 0; i < txs.length; i++) {
      const one = await opts.db.tx((t) => applyIn(t, opts, device, [txs[i]], [checks[i]], true));
      total.results.push(...one.results);
      total.lastSeq = one.lastSeq;
      total.applied += one.applied;
      total.duplicates += one.duplicates;
      total.rejected += one.rejected;
      total.failed += one.failed;
      total.gaps += one.gaps;
      total.late += one.late;
    }
    return total;
  }
}

export interface GroupItem {
  device: EnrolledDevice;
  txs: TxEnvelope[];
}

/**
 * Server-side group commit: batches from several devices that arrived while the
 * previous commit was running are applied in one database transaction, so one fsync
 * covers them all. Devices are taken in id order (stable, so one device's batches keep
 * their order) to lock rows in the same order on every node. If anything in the group
 * fails, each batch is applied on its own and gets its own outcome.
 */
export async function applyGroup(opts: IngestOptions, items: GroupItem[]): Promise<(IngestResult | Error)[]> {
  if (items.length === 1) {
    try {
      return [await applyBatch(opts, items[0].device, items[0].txs)];
    } catch (err) {
      return [err as Error];
    }
  }
  const order = items.map((_, i) => i).sort((a, b) => (items[a].device.deviceId < items[b].device.deviceId ? -1 : items[a].device.deviceId > items[b].device.deviceId ? 1 : a - b));
  try {
    const out = new Array<IngestResult>(items.length);
    await opts.db.tx(async (t) => {
      for (const i of order) {
        const checks = items[i].txs.map((tx) => checkTransaction(tx, { testTypes: opts.testTypes, types: opts.types }));
        out[i] = await applyIn(t, opts, items[i].device, items[i].txs, checks, false);
      }
    });
    return out;
  } catch {
    const out: (IngestResult | Error)[] = [];
    for (const item of items) {
      try {
        out.push(await applyBatch(opts, item.device, item.txs));
      } catch (err) {
        out.push(err as Error);
      }
    }
    return out;
  }
}

async function applyIn(
  t: Db,
  opts: IngestOptions,
  device: EnrolledDevice,
  txs: TxEnvelope[],
  checks: ReturnType<typeof checkTransaction>[],
  isolated: boolean,
): Promise<IngestResult> {
  // On PostgreSQL the row lock orders two batches of one device racing on two nodes.
  const lock = t.kind === 'postgres' ? ' FOR UPDATE' : '';
  const dev = (await t.query<{ last_seq: number; revoked_at: string | null }>(`SELECT last_seq, revoked_at FROM devices WHERE id = ?${lock}`, [device.deviceId]))[0];
  if (!dev || dev.revoked_at) throw new DeviceRevoked(device.deviceId);
  const startSeq = Number(dev.last_seq);

  const existing = new Map<string, string>();
  for (let i = 0; i < txs.length; i += CHUNK) {
    const ids = txs.slice(i, i + CHUNK).map((x) => x.id);
    const rows = await t.query<{ id: string; device_id: string }>(`SELECT id, device_id FROM transactions WHERE id IN (${ids.map(() => '?').join(', ')})`, ids);
    for (const r of rows) existing.set(r.id, r.device_id);
  }

  const out: IngestResult = { results: [], lastSeq: startSeq, applied: 0, duplicates: 0, rejected: 0, failed: 0, gaps: 0, late: 0 };
  const fresh: { tx: TxEnvelope; payload: Record<string, unknown>; index: number; late: boolean }[] = [];
  let last = startSeq;
  txs.forEach((tx, index) => {
    const owner = existing.get(tx.id);
    const check = checks[index];
    if (owner !== undefined) {
      if (owner === device.deviceId) out.results.push({ id: tx.id, status: 'duplicate' });
      else out.results.push({ id: tx.id, status: 'rejected', code: 'id-conflict', message: 'this transaction id belongs to another device' });
    } else if (!check.ok) {
      out.results.push({ id: tx.id, status: 'rejected', code: check.code, message: check.message });
    } else {
      const late = tx.seq <= last;
      if (!late) {
        if (tx.seq > last + 1) out.gaps++;
        last = tx.seq;
      }
      out.results.push({ id: tx.id, status: 'applied' });
      fresh.push({ tx, payload: check.payload, index: out.results.length - 1, late });
    }
  });

  const now = new Date().toISOString();
  const inserted = await insertRows(t, fresh.map((f) => [f.tx.id, device.deviceId, f.tx.seq, f.tx.type, f.tx.at, JSON.stringify(f.payload), now, opts.nodeId, 'applied']));

  for (const f of fresh) {
    if (!inserted.has(f.tx.id)) {
      // Recorded by a racing request between our check and our insert.
      out.results[f.index] = { id: f.tx.id, status: 'duplicate' };
      continue;
    }
    if (f.late) out.late++;
    const applied: AppliedTransaction = { id: f.tx.id, deviceId: device.deviceId, seq: f.tx.seq, type: f.tx.type, at: f.tx.at, payload: f.payload };
    try {
      for (const h of opts.handlersFor(f.tx.type)) {
        // Alone, a savepoint lets a refused transaction be recorded without the handler's partial effects.
        if (isolated) await t.tx((inner) => h(applied, inner));
        else await h(applied, t);
      }
    } catch (err) {
      if (!isolated) throw new HandlerFailure(f.tx.id, err as Error);
      const message = String((err as Error).message ?? err).slice(0, 500);
      await t.run('UPDATE transactions SET status = ?, error = ? WHERE id = ?', ['failed', message, f.tx.id]);
      out.results[f.index] = { id: f.tx.id, status: 'failed', code: 'handler-failed', message };
    }
  }

  for (const r of out.results) {
    if (r.status === 'applied') out.applied++;
    else if (r.status === 'duplicate') out.duplicates++;
    else if (r.status === 'failed') out.failed++;
    else out.rejected++;
  }
  out.lastSeq = Math.max(last, startSeq);
  if (out.lastSeq !== startSeq || out.gaps || out.late) {
    await t.run('UPDATE devices SET last_seq = ?, seq_gaps = seq_gaps + ?, seq_late = seq_late + ?, last_seen = ? WHERE id = ?', [out.lastSeq, out.gaps, out.late, now, device.deviceId]);
  }
  return out;
}
