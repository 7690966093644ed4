/**
 * The adapter to the province's data-sharing gateway (政务数据共享平台). The platform talks
 * to whatever gateway a province runs through `DataShareGateway`; `HttpDataShareGateway`
 * speaks the HTTP shape documented in docs/datashare.md, which `xiaojin sim datashare`
 * also serves.
 *
 * Failures the citizen can do nothing about now are told apart from the rest: a source
 * system that is down (503, a refused or reset connection) is asked again after a growing
 * wait, a few times; "no record" and a refused request are answers, never retried; a
 * query that outlives its deadline is abandoned, since the citizen is standing at the
 * machine waiting.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelay, type BackoffOptions } from '../../common/retry.ts';
import { GatewayAnswer, GatewayError, type DataRecord, type GatewayQuery, type QueryFailure, type RecordKind } from '../../protocol/datashare.ts';

export type GatewayFailure = Extract<QueryFailure, 'no-record' | 'source-down' | 'timeout' | 'bad-request'>;

export class DataShareError extends Error {
  constructor(
    readonly code: GatewayFailure,
    message: string,
    /** Attempts made before giving up, for the audit. */
    readonly attempts = 1,
  ) {
    super(message);
  }
}

export interface GatewayResult {
  record: DataRecord;
  attempts: number;
}

export interface DataShareGateway {
  /** Resolves with the record, or rejects with a DataShareError naming why there is none. */
  query(kind: RecordKind, idNumber: string): Promise<GatewayResult>;
}

export interface HttpGatewayOptions {
  /** The gateway's base URL (http(s)://host:port). */
  url: string;
  /** Who asks, as the gateway knows this hall. */
  requester: string;
  /** One attempt's limit; the whole query also ends at `deadlineMs`. */
  timeoutMs?: number;
  /** The longest the citizen waits for one query, retries included. */
  deadlineMs?: number;
  /** Extra attempts after the first, on transient failures only. */
  retries?: number;
  backoff?: BackoffOptions;
  fetch?: typeof fetch;
}

export const GATEWAY_DEFAULTS = { timeoutMs: 8000, deadlineMs: 15_000, retries: 2, backoff: { baseMs: 300, maxMs: 2000, jitter: true } } as const;

/** A failure worth another attempt: the source is down for now, not the query wrong. */
class Transient extends Error {}

export class HttpDataShareGateway implements DataShareGateway {
  private readonly timeoutMs: number;
  private readonly deadlineMs: number;
  private readonly retries: number;
  private readonly backoff: BackoffOptions;
  private readonly fetch: typeof fetch;

  constructor(private readonly opts: HttpGatewayOptions) {
    this.timeoutMs = opts.timeoutMs ?? GATEWAY_DEFAULTS.timeoutMs;
    this.deadlineMs = Math.max(this.timeoutMs, opts.deadlineMs ?? GATEWAY_DEFAULTS.deadlineMs);
    this.retries = opts.retries ?? GATEWAY_DEFAULTS.retries;
    this.backoff = opts.backoff ?? GATEWAY_DEFAULTS.backoff;
    this.fetch = opts.fetch ?? fetch;
  }

  async query(kind: RecordKind, idNumber: string): Promise<GatewayResult> {
    const body: GatewayQuery = { kind, idNumber, queryId: randomUUID(), requester: this.opts.requester };
    const deadline = Date.now() + this.deadlineMs;
    for (let attempt = 1; ; attempt++) {
      const left = deadline - Date.now();
      if (left <= 0) throw new DataShareError('timeout', `the gateway gave no answer within ${this.deadlineMs} ms`, attempt - 1);
      try {
        return { record: await this.once(body, Math.min(this.timeoutMs, left)), attempts: attempt };
      } catch (err) {
        if (err instanceof DataShareError) throw new DataShareError(err.code, err.message, attempt);
        if (!(err instanceof Transient) || attempt > this.retries) throw new DataShareError('source-down', (err as Error).message, attempt);
        const wait = backoffDelay(attempt - 1, this.backoff);
        if (Date.now() + wait >= deadline) throw new DataShareError('source-down', (err as Error).message, attempt);
        await sleep(wait);
      }
    }
  }

  private async once(body: GatewayQuery, timeoutMs: number): Promise<DataRecord> {
    let res: Response;
    try {
      res = await this.fetch(new URL('/v1/records/query', this.opts.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      if ((err as Error).name === 'TimeoutError') throw new DataShareError('timeout', `the gateway gave no answer within ${timeoutMs} ms`);
      // Refused, reset, unreachable: the gateway or the road to it is down for now.
      throw new Transient(`the gateway could not be reached (${causeOf(err)})`);
    }
    let json: unknown;
    try {
      json = await res.json();
    } catch (err) {
      if ((err as Error).name === 'TimeoutError') throw new DataShareError('timeout', `the gateway's answer did not arrive within ${timeoutMs} ms`);
      json = null;
    }
    if (res.ok) {
      const answer = GatewayAnswer.safeParse(json);
      if (!answer.success) throw new DataShareError('source-down', `the gateway answered in a shape this platform does not know (${answer.error.issues[0].path.join('.')})`);
      return answer.data.record;
    }
    // Only the gateway's code is repeated: its message may quote the query, and ours reach logs.
    const error = GatewayError.safeParse(json);
    const said = `HTTP ${res.status}${error.success ? ` ${error.data.error.code}` : ''}`;
    if (res.status === 404) throw new DataShareError('no-record', `the source holds no such record (${said})`);
    if (res.status === 502 || res.status === 503 || res.status === 504) throw new Transient(`the source system is unavailable (${said})`);
    if (res.status === 400 || res.status === 422) throw new DataShareError('bad-request', `the gateway refused the query (${said})`);
    throw new DataShareError('source-down', `the gateway failed (${said})`);
  }
}

function causeOf(err: unknown): string {
  const cause = (err as { cause?: { code?: string } }).cause;
  return cause?.code ?? (err as Error).message;
}
