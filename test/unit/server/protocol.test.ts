import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkPayload, LIMITS, TransactionTypes, TxBatch } from '../../../protocol/sync.ts';
import { REDACT_PATHS } from '../../../server/log.ts';
import { pino } from 'pino';
import { Writable } from 'node:stream';

describe('transaction payloads', () => {
  it('accepts masked sign-ins only', () => {
    expect(checkPayload('signin', { maskedName: '张*三', maskedId: '4401**********1234', cardType: 'resident' }).ok).toBe(true);
    expect(checkPayload('signin', { maskedName: '张三', maskedId: '4401**********1234', cardType: 'resident' }).ok).toBe(false);
    expect(checkPayload('signin', { maskedName: '张*三', maskedId: '440106199001011234', cardType: 'resident' }).ok).toBe(false);
    expect(checkPayload('signin', { maskedName: '张*三', maskedId: '4401**********1234', cardType: 'resident', name: '张三' }).ok).toBe(false);
  });

  it('requires a reason for the two bad rating levels, like the kiosk UI', () => {
    expect(checkPayload('rating', { level: 2 })).toMatchObject({ ok: false, code: 'bad-payload' });
    expect(checkPayload('rating', { level: 2, reasons: ['慢'] }).ok).toBe(true);
    expect(checkPayload('rating', { level: 5 })).toMatchObject({ ok: true, payload: { level: 5, reasons: [] } });
  });

  it('refuses a payload nested past maxPayloadDepth before its schema recurses into it', () => {
    const nest = (depth: number) => {
      let v: Record<string, unknown> = { level: 5 };
      for (let i = 1; i < depth; i++) v = { a: v };
      return v;
    };
    expect(checkPayload('test.misc', nest(LIMITS.maxPayloadDepth), { testTypes: true }).ok).toBe(true);
    expect(checkPayload('test.misc', nest(LIMITS.maxPayloadDepth + 1), { testTypes: true })).toMatchObject({ ok: false, code: 'too-large' });
    expect(checkPayload('rating', nest(100_000))).toMatchObject({ ok: false, code: 'too-large' });
  });

  it('refuses oversized payloads and bad type names, and lets modules add types', () => {
    expect(checkPayload('test.misc', { s: 'x'.repeat(LIMITS.maxPayloadBytes) }, { testTypes: true })).toMatchObject({ ok: false, code: 'too-large' });
    expect(checkPayload('Bad Type', {})).toMatchObject({ ok: false, code: 'bad-payload' });
    expect(checkPayload('anything.new', { a: 1 })).toMatchObject({ ok: false, code: 'bad-payload', message: "unknown transaction type 'anything.new'" });
    const types = new TransactionTypes().define('queue.call', z.object({ window: z.string() }).strict());
    expect(checkPayload('queue.call', { window: 'A01' }, { types }).ok).toBe(true);
    expect(checkPayload('queue.call', { window: 1 }, { types }).ok).toBe(false);
    expect(checkPayload('rating', { level: 5 }, { types }).ok).toBe(true);
    expect(() => types.define('Nope!', z.object({}))).toThrow();
  });

  it('keeps a type one registry adds out of every other', () => {
    new TransactionTypes().define('hall.visit', z.object({ door: z.string() }).strict());
    expect(checkPayload('hall.visit', { door: 'east' })).toMatchObject({ ok: false, message: "unknown transaction type 'hall.visit'" });
    expect(checkPayload('hall.visit', { door: 'east' }, { types: new TransactionTypes() }).ok).toBe(false);
  });

  it('bounds batches', () => {
    const tx = { id: '00000000-0000-4000-8000-000000000000', seq: 1, type: 'rating', at: new Date().toISOString(), payload: {} };
    expect(TxBatch.safeParse({ batchId: tx.id, txs: [] }).success).toBe(false);
    expect(TxBatch.safeParse({ batchId: tx.id, txs: Array(LIMITS.maxBatch + 1).fill(tx) }).success).toBe(false);
    expect(TxBatch.safeParse({ batchId: tx.id, txs: [{ ...tx, extra: 1 }] }).success).toBe(false);
  });
});

describe('log redaction', () => {
  it('keeps names, identity numbers, payloads and secrets out of log lines', () => {
    let out = '';
    const sink = new Writable({ write: (c, _e, cb) => ((out += c.toString()), cb()) });
    const log = pino({ redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, sink);
    log.info({ payload: { maskedName: '张*三' }, secret: 's3cret', x: { name: '张三', idNumber: '440106199001011234', password: 'pw' } }, 'test');
    expect(out).not.toMatch(/张|4401|s3cret|"pw"/);
  });
});
