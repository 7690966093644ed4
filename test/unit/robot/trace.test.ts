import { beforeAll, describe, expect, it } from 'vitest';
import { formatTrace } from '../../../cli/ask.ts';
import { loadConfigDir } from '../../../config/load.ts';
import { createEngine, knowledgeFromConfig, type Engine } from '../../../models/language/index.ts';

let engine: Engine;

// Building the index over the full catalogue takes seconds on a busy machine.
beforeAll(() => {
  engine = createEngine(knowledgeFromConfig(loadConfigDir()), { contextSeconds: 45, now: () => 0 });
}, 60_000);

const FULL = ['understand', 'retrieve', 'rerank', 'accept', 'dialogue', 'compose'];

describe("the engine's trace", () => {
  it('goes through every stage in order, each with its time and what it decided', async () => {
    const a = await engine.ask('护士执业证书重新注册在哪办?', undefined, { trace: true });
    const trace = a.trace ?? [];
    expect(trace.map((s) => s.stage)).toEqual(FULL);
    for (const s of trace) expect(s.ms).toBeGreaterThanOrEqual(0);
    const at = (stage: string) => trace.find((s) => s.stage === stage)?.result ?? {};
    expect(at('understand').cues).toContain('where');
    expect(at('retrieve').top).toEqual(expect.arrayContaining([expect.stringMatching(/^item:GZ-WJ-001 护士执业注册 /)]));
    expect(at('rerank').model).toBe(false);
    expect(at('accept').accepted).toMatch(/^item:GZ-WJ-001 /);
    expect(at('accept')).toMatchObject({ choice: 'one', pick: at('accept').accepted });
    expect(at('dialogue')).toMatchObject({ plan: 'answer', intent: 'item.where', entity: 'item:GZ-WJ-001' });
    expect(at('compose')).toMatchObject({ intent: 'item.where', match: 'item:GZ-WJ-001', answer: a.answer });
  });

  it('is attached only when asked for, and changes nothing else', async () => {
    const plain = await engine.ask('护士执业证书重新注册在哪办?');
    const { trace, ...traced } = await engine.ask('护士执业证书重新注册在哪办?', undefined, { trace: true });
    expect(plain).not.toHaveProperty('trace');
    expect(trace).toBeDefined();
    expect(traced).toEqual(plain);
  });

  it('shows a turn the conversation settles going from understanding straight to the dialogue', async () => {
    const a = await engine.ask('B10在哪', undefined, { trace: true });
    expect(a.trace?.map((s) => s.stage)).toEqual(['understand', 'dialogue', 'compose']);
    expect(a.trace?.[1].result).toMatchObject({ settled: true, plan: 'window', window: 'B10' });
  });

  it('shows a question nothing answers as declined at acceptance and sent to reception', async () => {
    const a = await engine.ask('今天天气怎么样', undefined, { trace: true });
    const at = (stage: string) => a.trace?.find((s) => s.stage === stage)?.result;
    expect(at('accept')).toMatchObject({ accepted: null });
    expect(at('dialogue')).toMatchObject({ plan: 'reception', intent: 'out-of-scope' });
  });

  it('reads as one line per stage', async () => {
    const a = await engine.ask('办护照要带什么材料', undefined, { trace: true });
    const lines = formatTrace(a.trace ?? []).split('\n');
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(FULL);
    for (const l of lines) expect(l).toMatch(/\d+\.\d{2} ms {2}\S+=/);
  });
});
