import { afterEach, describe, expect, it, vi } from 'vitest';
import { Link, type LinkParser, type Parsed } from '../../../drivers/link.ts';
import { createMemoryPair, type MemoryTransport } from '../../../drivers/transport/memory.ts';
import { Backoff, backoffDelay, retry } from '../../../common/retry.ts';

/** Newline-ended text messages; a line starting with '!' is line noise that may be followed by the real answer. */
class LineParser implements LinkParser<string> {
  private buf = '';
  get pending(): number {
    return this.buf.length;
  }
  push(chunk: Uint8Array): Parsed<string>[] {
    this.buf += new TextDecoder().decode(chunk);
    const out: Parsed<string>[] = [];
    for (let i = this.buf.indexOf('\n'); i >= 0; i = this.buf.indexOf('\n')) {
      const line = this.buf.slice(0, i);
      this.buf = this.buf.slice(i + 1);
      out.push(line.startsWith('!') ? { ok: false, error: new Error('noise'), deferred: true } : { ok: true, value: line });
    }
    return out;
  }
  resync(): Parsed<string>[] {
    this.buf = '';
    return [{ ok: false, error: new Error('truncated'), deferred: false }];
  }
  reset(): void {
    this.buf = '';
  }
}

const errors = {
  notConnected: () => new Error('not connected'),
  closed: () => new Error('closed'),
  writeFailed: () => new Error('write failed'),
};
const open: MemoryTransport[] = [];
afterEach(async () => {
  for (const t of open.splice(0)) await t.close();
});

function rig(extra: { onUnclaimed?: (v: string) => void } = {}) {
  const [driverEnd, deviceEnd] = createMemoryPair('link');
  open.push(driverEnd);
  const link = new Link<string>({ parser: new LineParser(), errors, label: 'test device', interByteTimeoutMs: 40, ...extra });
  link.attach(driverEnd);
  const asked: string[] = [];
  deviceEnd.on('data', (c) => asked.push(new TextDecoder().decode(c)));
  const say = (text: string) => deviceEnd.write(new TextEncoder().encode(text));
  const ask = (q: string, timeoutMs = 150) =>
    link.exclusive(() =>
      link.request({ bytes: new TextEncoder().encode(q), timeoutMs, timeoutError: () => new Error(`no answer to ${q}`), accepts: (a) => a.startsWith(`${q}=`) }),
    );
  return { link, deviceEnd, asked, say, ask };
}

describe('Link', () => {
  it('drops a late answer to a timed-out request and hands the next request its own answer', async () => {
    const unclaimed: string[] = [];
    const { ask, say, asked } = rig({ onUnclaimed: (v) => unclaimed.push(v) });
    await expect(ask('a', 60)).rejects.toThrow('no answer to a');
    const b = ask('b');
    await vi.waitFor(() => expect(asked).toEqual(['a', 'b']));
    await say('a=late\n');
    await say('b=2\n');
    await expect(b).resolves.toBe('b=2');
    expect(unclaimed).toEqual(['a=late']);
  });

  it('lets noise stand only when no good answer follows within the inter-byte timeout', async () => {
    const { ask, say, asked } = rig();
    const healed = ask('x');
    await vi.waitFor(() => expect(asked).toHaveLength(1));
    await say('!garbage\nx=1\n');
    await expect(healed).resolves.toBe('x=1');
    const broken = ask('y');
    await vi.waitFor(() => expect(asked).toHaveLength(2));
    await say('!garbage\n');
    await expect(broken).rejects.toThrow('noise');
  });

  it('gives up a message the line went quiet in the middle of', async () => {
    const { ask, say, asked } = rig();
    const half = ask('h', 2000);
    await vi.waitFor(() => expect(asked).toHaveLength(1));
    await say('h=1');
    await expect(half).rejects.toThrow('truncated');
  });

  it('runs one exchange at a time', async () => {
    const { ask, say, asked } = rig();
    const first = ask('p', 1000);
    const second = ask('q', 1000);
    await vi.waitFor(() => expect(asked).toEqual(['p']));
    await say('p=1\n');
    await expect(first).resolves.toBe('p=1');
    await vi.waitFor(() => expect(asked).toEqual(['p', 'q']));
    await say('q=1\n');
    await expect(second).resolves.toBe('q=1');
  });

  it('fails a waiting request when the port goes away, and refuses to send without one', async () => {
    const { ask, deviceEnd, asked, link } = rig();
    const waiting = ask('z', 5000);
    await vi.waitFor(() => expect(asked).toHaveLength(1));
    await deviceEnd.close();
    await expect(waiting).rejects.toThrow('closed');
    link.detach();
    await expect(ask('z')).rejects.toThrow('not connected');
  });
});

describe('retry and backoff', () => {
  it('doubles the wait up to its ceiling, and spreads it with jitter', () => {
    const b = { baseMs: 100, maxMs: 1000 };
    expect([0, 1, 2, 3, 4, 40].map((n) => backoffDelay(n, b))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(backoffDelay(2, { ...b, jitter: true }, () => 0)).toBe(200);
    expect(backoffDelay(2, { ...b, jitter: true }, () => 1)).toBe(400);
  });

  it('schedules one retry at a time and starts over after reset', async () => {
    const backoff = new Backoff({ baseMs: 5, maxMs: 50 });
    let runs = 0;
    expect(backoff.schedule(() => runs++)).toBe(5);
    expect(backoff.schedule(() => runs++)).toBeNull();
    await vi.waitFor(() => expect(runs).toBe(1));
    expect(backoff.schedule(() => runs++)).toBe(10);
    backoff.cancel();
    backoff.reset();
    expect(backoff.next()).toEqual({ attempt: 1, delayMs: 5 });
  });

  it('retries what is retryable, a bounded number of times, and nothing else', async () => {
    let calls = 0;
    const flaky = () => {
      calls++;
      return calls < 3 ? Promise.reject(new Error('busy')) : Promise.resolve('done');
    };
    await expect(retry(flaky, { retries: 2, delayMs: 1, retryable: () => true })).resolves.toBe('done');
    calls = 0;
    await expect(retry(flaky, { retries: 1, delayMs: 1, retryable: () => true })).rejects.toThrow('busy');
    expect(calls).toBe(2);
    calls = 0;
    await expect(retry(flaky, { retries: 5, delayMs: 1, retryable: () => false })).rejects.toThrow('busy');
    expect(calls).toBe(1);
  });
});
