/**
 * A small device client written only from docs/sync-protocol.md (section numbers below),
 * with socket.io-client and fetch: nothing of electron/ or server/ is imported, so where
 * the document is silent or wrong this client goes wrong and its test says so.
 */
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { io, type Socket } from 'socket.io-client';
import type { z } from 'zod';
import { BatchAck, ConfigFetchAck, EnrollAnswer, Failure, HelloAck, HttpError, SyncError, answerOf } from './shapes.ts';

export type Kind = 'kiosk' | 'teller' | 'robot' | 'load';
export interface Credential {
  deviceId: string;
  secret: string;
}
export type Refusal = z.infer<typeof SyncError>;

export class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: z.infer<typeof HttpError>,
  ) {
    super(`${status} ${body.error.code}: ${body.error.message}`);
  }
}

/** §11: parse an HTTP answer, checking an error's shape. */
async function answer<S extends z.ZodType>(res: Response, ok: S): Promise<z.infer<S>> {
  const body: unknown = await res.json();
  if (!res.ok) throw new HttpFailure(res.status, HttpError.parse(body));
  return ok.parse(body);
}

interface Draft extends Credential {
  code: string;
  kind: Kind;
  confirmed: boolean;
  hallId?: string;
}

/**
 * §2: the secret and the id are made and written down before asking; a retry sends the
 * same code, id and secret; the id the platform answers with replaces the one asked for.
 */
export async function enrol(url: string, file: string, req: { code: string; kind: Kind; deviceId?: string; name?: string }): Promise<Draft> {
  let draft: Draft | null = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Draft) : null;
  if (draft?.confirmed) return draft;
  if (!draft || draft.code !== req.code) {
    draft = { code: req.code, kind: req.kind, deviceId: req.deviceId ?? `${req.kind}-${randomBytes(5).toString('hex')}`, secret: randomBytes(32).toString('base64url'), confirmed: false };
    writeFileSync(file, JSON.stringify(draft));
  }
  const res = await fetch(new URL('/api/enroll', url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: draft.code, secret: draft.secret, kind: draft.kind, deviceId: draft.deviceId, name: req.name }),
  });
  const got = await answer(res, EnrollAnswer);
  const confirmed: Draft = { ...draft, deviceId: got.deviceId, hallId: got.hallId, confirmed: true };
  writeFileSync(file, JSON.stringify(confirmed));
  return confirmed;
}

export class RefusedHandshake extends Error {
  constructor(
    readonly data: Refusal,
    /** socket.active right after the refusal: §3 says socket.io gives up by itself. */
    readonly stillTrying: boolean,
  ) {
    super(`${data.code}: ${data.message}`);
  }
}

const backoff = (attempt: number, base: number, ceiling: number) => (Math.min(ceiling, base * 2 ** attempt) * (1 + Math.random())) / 2;

/**
 * §3: connect with exactly {deviceId, secret, protocol: 1}. A refusal with retry false
 * ends the attempt; with retry true this client reconnects itself (socket.io will not)
 * with backoff, up to `attempts` failures in all.
 */
export function connect(url: string, auth: Record<string, unknown>, opts: { attempts?: number; baseMs?: number } = {}): Promise<Socket> {
  const socket = io(url, { transports: ['websocket'], auth, autoConnect: false });
  let attempt = 0;
  return new Promise((resolve, reject) => {
    socket.on('connect', () => resolve(socket));
    socket.on('connect_error', (err: Error & { data?: unknown }) => {
      const refusal = err.data === undefined ? null : SyncError.parse(err.data);
      if ((refusal && !refusal.retry) || ++attempt >= (opts.attempts ?? 5)) {
        const stillTrying = socket.active;
        socket.disconnect();
        return reject(refusal ? new RefusedHandshake(refusal, stillTrying) : err);
      }
      // After a refusal socket.io has given up (§3); after a network failure it may still be trying.
      if (!socket.active) setTimeout(() => socket.connect(), backoff(attempt, opts.baseMs ?? 200, 5000));
    });
    socket.connect();
  });
}

/** §4. */
export async function hello(socket: Socket, h: { configVersion: number; lastAssignedSeq: number; pending: number; software?: string }): Promise<z.infer<typeof HelloAck> | z.infer<typeof Failure>> {
  const raw: unknown = await socket.timeout(10_000).emitWithAck('sync:hello', h);
  return HelloAck.or(Failure).parse(raw);
}

export interface Tx {
  id: string;
  seq: number;
  type: string;
  at: string;
  payload: Record<string, unknown>;
}

/** §6.3: one tx:batch, its answer checked against the document. */
export async function sendBatch(socket: Socket, txs: Tx[]): Promise<z.infer<typeof BatchAck>> {
  return BatchAck.parse(await socket.timeout(30_000).emitWithAck('tx:batch', { batchId: randomUUID(), txs }));
}

const BUDGET = 768 * 1024;
const bytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v));

/** The device's side of §6: transactions kept until answered, a local dead letter, batches within the limits. */
export class Outbox {
  readonly pending = new Map<string, Tx>();
  readonly dead: { tx: Tx; code: string; message: string }[] = [];
  lastAssignedSeq = 0;

  record(type: string, payload: Record<string, unknown>, at = new Date().toISOString()): Tx {
    const tx = { id: randomUUID(), seq: ++this.lastAssignedSeq, type, at, payload };
    this.pending.set(tx.id, tx);
    return tx;
  }

  /** §6.3 size rules: ≤ 500 per batch, the event under 1 MiB; an unsendable payload is a local bug. */
  batches(limit = 500): Tx[][] {
    const out: Tx[][] = [];
    let current: Tx[] = [];
    for (const tx of [...this.pending.values()].sort((a, b) => a.seq - b.seq)) {
      if (bytes(tx.payload) > 16 * 1024) {
        this.pending.delete(tx.id);
        this.dead.push({ tx, code: 'too-large', message: 'payload over 16 KiB: never sent' });
        continue;
      }
      if (current.length && (current.length >= limit || bytes({ batchId: randomUUID(), txs: [...current, tx] }) > BUDGET)) {
        out.push(current);
        current = [];
      }
      current.push(tx);
    }
    if (current.length) out.push(current);
    return out;
  }

  /** §6.3 per-transaction results: answered ones leave, rejected ones go to the dead letter. */
  settle(sent: Tx[], results: z.infer<typeof BatchAck> & { ok: true }): void {
    for (const r of results.results) {
      const tx = sent.find((t) => t.id === r.id);
      if (!tx) continue;
      this.pending.delete(tx.id);
      if (r.status === 'rejected') this.dead.push({ tx, code: r.code, message: r.message });
    }
  }

  /** Send everything pending, one batch in flight, acting on batch errors as §6.3 says. */
  async flush(socket: Socket, sayHello: () => Promise<void>): Promise<void> {
    let limit = 500;
    for (let attempt = 0; this.pending.size; ) {
      const [batch] = this.batches(limit);
      if (!batch) return;
      const ack = await sendBatch(socket, batch);
      if (ack.ok) {
        this.settle(batch, ack);
        limit = 500;
        attempt = 0;
        continue;
      }
      if (ack.error.code === 'hello-first') await sayHello();
      else if (ack.error.code === 'too-large' && batch.length > 1) limit = Math.ceil(batch.length / 2);
      else if (ack.error.retry) await new Promise((r) => setTimeout(r, backoff(attempt++, 500, 60_000)));
      else throw new Error(`batch refused: ${ack.error.code}: ${ack.error.message}`);
    }
  }
}

/** §10: a request event; the value is checked against its documented shape. */
export async function request<S extends z.ZodType>(socket: Socket, event: string, payload: unknown, value: S): Promise<z.infer<ReturnType<typeof answerOf<S>>>> {
  return answerOf(value).parse(await socket.timeout(10_000).emitWithAck(event, payload));
}

/** §7: fetch, un-gzip, check and parse the configuration. */
export async function fetchConfig(socket: Socket): Promise<{ version: number; config: unknown }> {
  const ack = ConfigFetchAck.or(Failure).parse(await socket.timeout(60_000).emitWithAck('config:fetch', {}));
  if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
  const json = gunzipSync(Buffer.from(ack.body, 'base64')).toString('utf8');
  if (createHash('sha256').update(json).digest('hex') !== ack.sha256) throw new Error('configuration arrived damaged');
  return { version: ack.version, config: JSON.parse(json) };
}

/** §5: the citizen's ID key from the hall's idKeySecret. */
export function idKey(idKeySecret: string, idNumber: string): string {
  return createHmac('sha256', Buffer.from(idKeySecret, 'utf8')).update(Buffer.from(idNumber.trim().toUpperCase(), 'utf8')).digest('hex');
}
