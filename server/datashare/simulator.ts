/**
 * A stand-in for the province's data-sharing gateway: the HTTP shape of docs/datashare.md
 * over real sockets, serving records (records.ts) for the citizens it is given (the
 * ID-card simulator's cards, handed in by `xiaojin sim datashare` and the one-machine
 * hall), and the failures a real gateway has, chosen over its control routes:
 *
 *   POST /sim/datashare/fault {mode: 'no-record'|'down'|'slow', kind?, times?, delayMs?}
 *   POST /sim/datashare/clear
 *   GET  /sim/datashare/queries   what was asked (query id, kind, answer), never who
 *
 * Control routes answer callers on this machine only.
 */
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { GatewayQuery, RecordKind } from '../../protocol/datashare.ts';
import { recordFor, type SimCitizen } from './records.ts';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export const SimFault = z
  .object({
    /** no-record: 404 for a record that exists; down: 503 (source system down); slow: answers after delayMs. */
    mode: z.enum(['no-record', 'down', 'slow']),
    /** Only queries of this kind fail; all kinds without it. */
    kind: RecordKind.optional(),
    /** How many queries fail before the gateway is well again; for ever without it. */
    times: z.number().int().min(1).max(1000).optional(),
    delayMs: z.number().int().min(0).max(600_000).optional(),
  })
  .strict();
export type SimFault = z.infer<typeof SimFault>;

export interface SimQuery {
  queryId: string;
  kind: string;
  status: number;
}

export interface DataShareSimulatorOptions {
  citizens: SimCitizen[];
  port?: number;
  host?: string;
  now?: () => Date;
}

export class DataShareSimulator {
  readonly queries: SimQuery[] = [];
  private fault: (SimFault & { left: number }) | null = null;
  private app: FastifyInstance | null = null;
  private readonly stopping = new AbortController();

  constructor(private readonly opts: DataShareSimulatorOptions) {}

  setFault(fault: SimFault | null): void {
    this.fault = fault ? { ...fault, left: fault.times ?? Infinity } : null;
  }

  /** The fault this query meets, counting it down. */
  private faultFor(kind: string): SimFault | null {
    const f = this.fault;
    if (!f || (f.kind && f.kind !== kind) || f.left <= 0) return null;
    f.left -= 1;
    return f;
  }

  async start(): Promise<{ url: string }> {
    const app = Fastify({ logger: false, forceCloseConnections: true });
    this.app = app;
    const local = async (request: { socket: { remoteAddress?: string } }, reply: FastifyReply) => {
      if (!LOOPBACK.has(request.socket.remoteAddress ?? '')) return reply.code(403).send({ error: { code: 'forbidden', message: 'the simulator is controlled from this machine only' } });
    };

    app.post('/v1/records/query', async (request, reply) => {
      const parsed = GatewayQuery.safeParse(request.body);
      if (!parsed.success) {
        return reply.code(400).send({ error: { code: 'bad-request', message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') } });
      }
      const { kind, idNumber, queryId } = parsed.data;
      const answer = (status: number, body: unknown) => {
        this.queries.push({ queryId, kind, status });
        return reply.code(status).send(body);
      };
      const fault = this.faultFor(kind);
      if (fault?.mode === 'down') return answer(503, { error: { code: 'source-down', message: '数据源系统暂不可用' } });
      if (fault?.mode === 'slow') {
        try {
          await sleep(fault.delayMs ?? 60_000, undefined, { signal: this.stopping.signal });
        } catch {
          return reply;
        }
      }
      const citizen = this.opts.citizens.find((c) => c.idNumber === idNumber);
      const record = citizen && fault?.mode !== 'no-record' ? recordFor(citizen, kind, this.opts.now?.() ?? new Date()) : null;
      if (!record) return answer(404, { error: { code: 'no-record', message: '未查询到相关记录' } });
      return answer(200, { record });
    });

    app.post('/sim/datashare/fault', { preHandler: local }, async (request, reply) => {
      const parsed = SimFault.safeParse(request.body ?? {});
      if (!parsed.success) return reply.code(400).send({ error: { code: 'bad-input', message: parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ') } });
      this.setFault(parsed.data);
      return { fault: parsed.data };
    });
    app.post('/sim/datashare/clear', { preHandler: local }, async () => {
      this.setFault(null);
      this.queries.length = 0;
      return { cleared: true };
    });
    app.get('/sim/datashare/queries', { preHandler: local }, async () => this.queries);

    await app.listen({ port: this.opts.port ?? 0, host: this.opts.host ?? '127.0.0.1' });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : this.opts.port;
    return { url: `http://${this.opts.host ?? '127.0.0.1'}:${port}` };
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.app?.close();
    this.app = null;
  }
}
