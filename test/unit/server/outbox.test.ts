import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Outbox } from '../../../electron/services/outbox.ts';
import type { BatchAck, TxEnvelope } from '../../../protocol/sync.ts';

const dirs: string[] = [];
const dir = () => {
  const d = mkdtempSync(join(tmpdir(), 'xj-outbox-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const ackAll = (txs: TxEnvelope[], status: 'applied' | 'duplicate' = 'applied'): BatchAck => ({ ok: true, batchId: 'b', results: txs.map((t) => ({ id: t.id, status })), lastSeq: txs.at(-1)!.seq });

describe('Outbox', () => {
  it('commits before resolving, numbers transactions in order and keeps them across reopen', async () => {
    const d = dir();
    const a = new Outbox({ dataDir: d });
    const got = await Promise.all([1, 2, 3].map((level) => a.append('rating', { level: level + 2 })));
    expect(got.map((g) => g.seq)).toEqual([1, 2, 3]);
    expect(new Set(got.map((g) => g.id)).size).toBe(3);
    await a.close();
    const b = new Outbox({ dataDir: d });
    expect(b.pending).toBe(3);
    expect(b.peek().map((t) => t.seq)).toEqual([1, 2, 3]);
    expect((await b.append('rating', { level: 5 })).seq).toBe(4);
    await b.close();
  });

  it('refuses payloads that would be refused by the platform', async () => {
    const o = new Outbox({ dataDir: dir() });
    await expect(o.append('rating', { level: 7 })).rejects.toMatchObject({ code: 'bad-payload' });
    await expect(o.append('test.misc', { s: 'x'.repeat(20_000) })).rejects.toMatchObject({ code: 'too-large' });
    expect(o.pending).toBe(0);
    await o.close();
  });

  it('records nothing while the device clock is outside the years the platform accepts', async () => {
    const o = new Outbox({ dataDir: dir() });
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date('1970-01-02T00:00:00Z'));
      await expect(o.append('rating', { level: 5 })).rejects.toMatchObject({ code: 'bad-clock' });
      expect(o.pending).toBe(0);
    } finally {
      vi.useRealTimers();
    }
    const ok = await o.append('rating', { level: 5 });
    expect(o.peek()[0].at).toBe(ok.at);
    await o.close();
  });

  it('splits a batch the platform finds too large, and dead-letters only a lone transaction it cannot take', async () => {
    const o = new Outbox({ dataDir: dir(), backoffBaseMs: 5, backoffMaxMs: 20 });
    for (let i = 0; i < 5; i++) await o.append('test.misc', { i });
    const sizes: number[] = [];
    const dead: string[] = [];
    o.on('dead-letter', (d: { code: string }) => dead.push(d.code));
    o.run(async (txs) => {
      sizes.push(txs.length);
      if (txs.length > 2 || txs[0].payload.i === 4) return { ok: false, error: { code: 'too-large', message: 'the batch is too large', retry: false } };
      return ackAll(txs);
    });
    await o.drained();
    expect(sizes).toEqual([5, 3, 2, 3, 2, 1]);
    expect(dead).toEqual(['too-large']);
    expect(o.deadLetters).toBe(1);
    await o.close();
  });

  it('sends in order in batches, keeps what is not acknowledged, dead-letters refusals', async () => {
    const o = new Outbox({ dataDir: dir(), maxBatch: 4, backoffBaseMs: 5, backoffMaxMs: 20 });
    for (let i = 0; i < 10; i++) await o.append('test.misc', { i });
    const seen: number[][] = [];
    let calls = 0;
    const dead: string[] = [];
    o.on('dead-letter', (d: { code: string }) => dead.push(d.code));
    o.run(async (txs) => {
      calls++;
      if (calls === 2) throw new Error('link dropped');
      if (calls === 3) return { ok: false, error: { code: 'internal', message: 'db busy', retry: true } };
      seen.push(txs.map((t) => t.seq));
      if (calls === 4) return { ok: true, batchId: 'b', lastSeq: 0, results: [{ id: txs[0].id, status: 'applied' }, { id: txs[1].id, status: 'rejected', code: 'bad-payload' }] };
      return ackAll(txs);
    });
    await o.drained();
    expect(seen[0]).toEqual([1, 2, 3, 4]);
    // The failed sends were retried with the same rows; the partly acknowledged batch resent its rest.
    expect(seen[1]).toEqual([5, 6, 7, 8]);
    expect(seen[2]).toEqual([7, 8, 9, 10]);
    expect(dead).toEqual(['bad-payload']);
    expect(o.deadLetters).toBe(1);
    await o.close();
  });

  it('renumbers pending rows after the platform when its own counter is behind (restored disk)', async () => {
    const o = new Outbox({ dataDir: dir() });
    await o.append('test.misc', { a: 1 });
    await o.append('test.misc', { a: 2 });
    expect(o.rebase(1)).toBe(0);
    expect(o.rebase(40)).toBe(2);
    expect(o.peek().map((t) => t.seq)).toEqual([41, 42]);
    expect((await o.append('test.misc', { a: 3 })).seq).toBe(43);
    await o.close();
  });

  it('warns once when the backlog passes its threshold and again when it clears', async () => {
    const o = new Outbox({ dataDir: dir(), warnBytes: 2000 });
    const events: string[] = [];
    o.on('backlog', (e: { level: string }) => events.push(e.level));
    for (let i = 0; i < 30; i++) await o.append('test.misc', { pad: 'x'.repeat(100) });
    expect(events).toEqual(['warning']);
    o.run(async (txs) => ackAll(txs));
    await o.drained();
    expect(events).toEqual(['warning', 'ok']);
    await o.close();
  });
});
