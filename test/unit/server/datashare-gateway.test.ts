/**
 * The data-sharing adapter against the gateway simulator over real HTTP on loopback:
 * records come back whole, transient failures are retried with backoff, "no record" and
 * refused queries are not, and a slow source ends in a timeout rather than a wait.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DataShareSimulator } from '../../../server/datashare/simulator.ts';
import { DataShareError, HttpDataShareGateway, type HttpGatewayOptions } from '../../../server/datashare/gateway.ts';
import { fixtureCitizens } from '../../../cli/sim.ts';
import { fixtureCards } from '../../../drivers/idcard/fixtures.ts';
import { DataRecord } from '../../../protocol/datashare.ts';

const RESIDENT = fixtureCards.resident.text.idNumber;
const HK = fixtureCards['hk-macau-taiwan'].text.idNumber;

let sim: DataShareSimulator;
let url: string;

function gateway(over: Partial<HttpGatewayOptions> = {}): HttpDataShareGateway {
  return new HttpDataShareGateway({ url, requester: 'test-hall', timeoutMs: 2000, deadlineMs: 4000, retries: 2, backoff: { baseMs: 10, maxMs: 40 }, ...over });
}

async function failure(p: Promise<unknown>): Promise<DataShareError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DataShareError);
  return err as DataShareError;
}

beforeAll(async () => {
  sim = new DataShareSimulator({ citizens: fixtureCitizens() });
  ({ url } = await sim.start());
});
afterAll(() => sim.stop());
beforeEach(() => {
  sim.setFault(null);
  sim.queries.length = 0;
});

describe('HttpDataShareGateway', () => {
  it("returns the resident's social-security record, well formed, about them", async () => {
    const { record, attempts } = await gateway().query('social-security', RESIDENT);
    expect(attempts).toBe(1);
    expect(DataRecord.safeParse(record).success).toBe(true);
    expect(record.holder).toEqual({ name: '李今华', idNumber: RESIDENT });
    expect(record.source.zh).toBe('广州市人力资源和社会保障局');
    expect(record.table?.rows).toHaveLength(12);
    expect(sim.queries.map((q) => q.status)).toEqual([200]);
  });

  it('says no-record once, without asking again, for a record the source does not hold', async () => {
    const err = await failure(gateway().query('household', HK));
    expect(err.code).toBe('no-record');
    expect(err.attempts).toBe(1);
    expect(sim.queries.map((q) => q.status)).toEqual([404]);
  });

  it('does not retry a no-record answer even when retries are allowed', async () => {
    sim.setFault({ mode: 'no-record' });
    const err = await failure(gateway({ retries: 5 }).query('income-tax', RESIDENT));
    expect(err.code).toBe('no-record');
    expect(sim.queries).toHaveLength(1);
  });

  it('retries a source system that is down and gets the record when it comes back', async () => {
    sim.setFault({ mode: 'down', times: 2 });
    const { record, attempts } = await gateway().query('housing-fund', RESIDENT);
    expect(record.kind).toBe('housing-fund');
    expect(attempts).toBe(3);
    expect(sim.queries.map((q) => q.status)).toEqual([503, 503, 200]);
    // One query, asked three times: the gateway sees the same query id each time.
    expect(new Set(sim.queries.map((q) => q.queryId)).size).toBe(1);
  });

  it('gives up as source-down after its retries', async () => {
    sim.setFault({ mode: 'down' });
    const err = await failure(gateway({ retries: 2 }).query('real-estate', RESIDENT));
    expect(err.code).toBe('source-down');
    expect(err.attempts).toBe(3);
    expect(sim.queries.map((q) => q.status)).toEqual([503, 503, 503]);
  });

  it('ends a slow query with timeout, without asking again', async () => {
    sim.setFault({ mode: 'slow', delayMs: 60_000 });
    const err = await failure(gateway({ timeoutMs: 300, deadlineMs: 300 }).query('social-security', RESIDENT));
    expect(err.code).toBe('timeout');
    expect(err.attempts).toBe(1);
    sim.setFault(null);
    // The gateway is still there and answers the next query at once.
    expect((await gateway().query('social-security', RESIDENT)).attempts).toBe(1);
  });

  it('treats an unreachable gateway as down, retried, then source-down', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => resolve(port));
      });
    });
    const err = await failure(gateway({ url: `http://127.0.0.1:${closed}`, retries: 1 }).query('social-security', RESIDENT));
    expect(err.code).toBe('source-down');
    expect(err.attempts).toBe(2);
    expect(err.message).toContain('ECONNREFUSED');
  });

  it('refuses a malformed query as bad-request, not retried, and never repeats the number in its message', async () => {
    const err = await failure(gateway().query('social-security', 'not-a-number'));
    expect(err.code).toBe('bad-request');
    expect(err.attempts).toBe(1);
    expect(err.message).not.toContain('not-a-number');
  });
});
