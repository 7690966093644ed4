/**
 * The sync module: the device socket events (hello, transaction batches), the rating
 * follow-ups, and the per-socket ordering of batches.
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io';
import type { EnrolledDevice, ServerContext } from '../context.ts';
import { applyGroup, DeviceRevoked, type GroupItem, type IngestResult, type TxHandler } from './ingest.ts';
import { EVENTS, Hello, LIMITS, TxBatch, summarizeIssues, type BatchAck, type HelloAck, type SyncError, type TransactionTypes } from '../../protocol/sync.ts';
import { checkBounds } from '../../protocol/bounds.ts';
import { EVENT_BOUNDS } from '../socket-guard.ts';

/** Devices that read ID cards and book appointments; load and display devices never get the ID key. */
const KEY_HOLDERS: ReadonlySet<EnrolledDevice['kind']> = new Set(['kiosk', 'teller', 'robot']);

type Ack = (response: unknown) => void;

function refuse(ack: Ack | undefined, error: SyncError, batchId?: string): void {
  if (typeof ack === 'function') ack({ ok: false, batchId, error } satisfies BatchAck);
}

/** Concurrent commit streams a node runs on PostgreSQL by default (its pool holds ten connections). */
export const DEFAULT_PG_COMMIT_STREAMS = 4;

export function registerSync(ctx: ServerContext, handlersFor: (type: string) => TxHandler[], opts: { testTypes?: boolean; commitStreams?: number; types?: TransactionTypes } = {}): void {
  const { db, log, nodeId } = ctx;

  // Bad ratings need a person to call back; the follow-up is made with the rating, exactly once.
  ctx.onTransaction('rating', async (tx, t) => {
    const p = tx.payload as { level: number; reasons?: string[]; comment?: string; itemCode?: string; subject?: string };
    if (p.level > 2) return;
    await t.run(
      `INSERT INTO followups (id, tx_id, device_id, level, reasons, comment, item_code, subject, rated_at, created_at, status)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open')`,
      [randomUUID(), tx.id, tx.deviceId, p.level, JSON.stringify(p.reasons ?? []), p.comment ?? null, p.itemCode ?? null, p.subject ?? null, tx.at, new Date().toISOString()],
    );
  });

  // Batches wait here while the commit streams are busy; a free stream takes all it can (up
  // to a cap) in one database transaction. PostgreSQL runs several streams at once from its
  // pool; SQLite has one writer, so one stream. A device with a batch in a running commit
  // waits for it, so two batches of one device never commit side by side.
  const waiting: { item: GroupItem; done(r: IngestResult | Error): void }[] = [];
  const streams = Math.max(1, db.kind === 'postgres' ? (opts.commitStreams ?? DEFAULT_PG_COMMIT_STREAMS) : 1);
  const committingDevices = new Set<string>();
  let running = 0;
  const GROUP_TXS = 5000;
  function takeGroup(): typeof waiting {
    const group: typeof waiting = [];
    const held = new Set(committingDevices);
    let size = 0;
    for (let i = 0; i < waiting.length; ) {
      const w = waiting[i];
      const id = w.item.device.deviceId;
      // A batch left behind holds back its device's later ones, so each device keeps its order.
      if (held.has(id) || (group.length > 0 && size + w.item.txs.length > GROUP_TXS)) {
        held.add(id);
        i++;
        continue;
      }
      size += w.item.txs.length;
      group.push(...waiting.splice(i, 1));
    }
    return group;
  }
  function commitWaiting(): void {
    while (running < streams) {
      const group = takeGroup();
      if (!group.length) return;
      const devices = new Set(group.map((g) => g.item.device.deviceId));
      for (const d of devices) committingDevices.add(d);
      running++;
      applyGroup({ db, nodeId, handlersFor, testTypes: opts.testTypes, types: opts.types }, group.map((g) => g.item))
        .then(
          (results) => group.forEach((g, i) => g.done(results[i])),
          (err: Error) => group.forEach((g) => g.done(err)),
        )
        .finally(() => {
          running--;
          for (const d of devices) committingDevices.delete(d);
          commitWaiting();
        });
    }
  }
  function ingest(device: EnrolledDevice, txs: GroupItem['txs']): Promise<IngestResult> {
    return new Promise((resolve, reject) => {
      waiting.push({ item: { device, txs }, done: (r) => (r instanceof Error ? reject(r) : resolve(r)) });
      commitWaiting();
    });
  }

  ctx.onDeviceSocket((socket: Socket, device: EnrolledDevice) => {
    // One batch at a time per socket, so acknowledgements come back in order.
    let chain: Promise<void> = Promise.resolve();
    // Batches wait for a hello: its answer (lastSeq) is what a restored device renumbers from.
    let helloed = false;

    socket.on(EVENTS.hello, async (raw: unknown, ack?: Ack) => {
      if (typeof ack !== 'function') return;
      const parsed = Hello.safeParse(raw);
      if (!parsed.success) {
        log.warn({ device: device.deviceId, code: 'bad-request', event: EVENTS.hello }, 'malformed hello');
        return refuse(ack, { code: 'bad-request', message: summarizeIssues(parsed.error), retry: false });
      }
      try {
        const h = parsed.data;
        const now = new Date().toISOString();
        await db.run('UPDATE devices SET config_version = ?, pending = ?, software = ?, last_seen = ? WHERE id = ?', [h.configVersion, h.pending, h.software ?? null, now, device.deviceId]);
        const row = (await db.query<{ last_seq: number }>('SELECT last_seq FROM devices WHERE id = ?', [device.deviceId]))[0];
        const answer: HelloAck = {
          ok: true,
          deviceId: device.deviceId,
          hallId: device.hallId,
          nodeId,
          lastSeq: Number(row?.last_seq ?? 0),
          configVersion: ctx.config.version,
          serverTime: now,
          limits: LIMITS,
          ...(KEY_HOLDERS.has(device.kind) ? { idKeySecret: ctx.idKey.secret } : {}),
        };
        helloed = true;
        ack(answer);
        if (h.configVersion !== ctx.config.version) socket.emit(EVENTS.configAvailable, { version: ctx.config.version });
      } catch (err) {
        log.error({ device: device.deviceId, err: (err as Error).message }, 'hello failed');
        refuse(ack, { code: 'internal', message: 'the platform could not answer', retry: true });
      }
    });

    socket.on(EVENTS.batch, (raw: unknown, ack?: Ack) => {
      if (typeof ack !== 'function') {
        log.warn({ device: device.deviceId, code: 'bad-request', event: EVENTS.batch }, 'batch without acknowledgement');
        socket.emit(EVENTS.error, { code: 'bad-request', message: `${EVENTS.batch} must be sent with an acknowledgement callback`, retry: false } satisfies SyncError);
        return;
      }
      if (!helloed) {
        log.warn({ device: device.deviceId, code: 'hello-first' }, 'batch before hello refused');
        return refuse(ack, { code: 'hello-first', message: `send ${EVENTS.hello} and wait for its answer before ${EVENTS.batch}`, retry: true }, (raw as { batchId?: string } | null)?.batchId);
      }
      // The socket guard has bounded the arguments already, so this walk is short; it measures without recursing.
      const shape = checkBounds(raw, EVENT_BOUNDS);
      if (!shape.ok || shape.jsonBytes > LIMITS.maxEventBytes) {
        log.warn({ device: device.deviceId, code: 'too-large', bytes: shape.ok ? shape.jsonBytes : undefined }, 'oversized batch refused');
        return refuse(ack, { code: 'too-large', message: shape.ok ? `the batch is about ${shape.jsonBytes} bytes; the limit is ${LIMITS.maxEventBytes}` : shape.message, retry: false });
      }
      const parsed = TxBatch.safeParse(raw);
      if (!parsed.success) {
        log.warn({ device: device.deviceId, code: 'bad-request' }, 'malformed batch refused');
        return refuse(ack, { code: 'bad-request', message: summarizeIssues(parsed.error), retry: false }, (raw as { batchId?: string } | null)?.batchId);
      }
      const batch = parsed.data;
      const ids = new Set<string>();
      for (let i = 0; i < batch.txs.length; i++) {
        const tx = batch.txs[i];
        if (ids.has(tx.id) || (i > 0 && tx.seq <= batch.txs[i - 1].seq)) {
          log.warn({ device: device.deviceId, code: 'bad-request' }, 'batch with repeated ids or unordered sequence refused');
          return refuse(ack, { code: 'bad-request', message: 'transaction ids must be unique and sequence numbers increasing within a batch', retry: false }, batch.batchId);
        }
        ids.add(tx.id);
      }
      chain = chain.then(async () => {
        const started = performance.now();
        try {
          const r = await ingest(device, batch.txs);
          ack({ ok: true, batchId: batch.batchId, results: r.results, lastSeq: r.lastSeq } satisfies BatchAck);
          const fields = { device: device.deviceId, batch: batch.batchId, n: batch.txs.length, applied: r.applied, duplicates: r.duplicates, rejected: r.rejected, failed: r.failed, gaps: r.gaps, late: r.late, ms: Math.round(performance.now() - started) };
          if (r.rejected || r.failed || r.gaps) log.warn(fields, 'batch applied with refusals');
          else log.debug(fields, 'batch applied');
        } catch (err) {
          if (err instanceof DeviceRevoked) {
            log.warn({ device: device.deviceId, code: 'revoked' }, 'batch from a revoked device refused');
            refuse(ack, { code: 'revoked', message: 'this device has been revoked', retry: false }, batch.batchId);
            socket.disconnect(true);
            return;
          }
          log.error({ device: device.deviceId, batch: batch.batchId, err: (err as Error).message }, 'batch failed');
          refuse(ack, { code: 'internal', message: 'the platform could not store the batch; send it again later', retry: true }, batch.batchId);
        }
      });
    });
  });
}
