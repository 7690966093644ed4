import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OnnxReranker, createEngine, loadTemplates } from '../../../models/language/index.ts';
import { loadConfigDir } from '../../../config/load.ts';
import type { ServiceItem } from '../../../config/schema.ts';
import { writeTinyModel } from './tiny-onnx.ts';

// Vocabulary: id 0 [UNK]; the rest are characters. The embedding puts 甲 and 子 on one
// axis and 乙 and 丑 on another, so "甲…" texts are close to "子…" texts only.
const VOCAB = ['[UNK]', '甲', '乙', '子', '丑', '证', '办'];
const EMB = [
  [0, 0, 0.1],
  [1, 0, 0],
  [0, 1, 0],
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
  [0, 0, 1],
];

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'xiaojin-rr-'));
  const model = join(dir, 'tiny.onnx');
  const vocab = join(dir, 'vocab.txt');
  writeTinyModel(model, EMB);
  writeFileSync(vocab, VOCAB.join('\n') + '\n');
  return { model, vocab };
}

describe('ONNX reranker stage', () => {
  it('embeds with a generated model: mean of the token vectors', async () => {
    const { model, vocab } = setup();
    const rr = await OnnxReranker.load(model, vocab);
    expect(rr.tokens('甲乙x')).toEqual([1, 2, 0]);
    const v = await rr.embed('甲乙');
    expect(Array.from(v)).toEqual([0.5, 0.5, 0]);
    const [same, other] = await rr.similarities('甲证', ['子证', '丑证']);
    expect(same).toBeGreaterThan(other);
    expect(same).toBeCloseTo(1, 5);
  });

  it('reorders lexically tied candidates in the engine, and the engine works without it', async () => {
    const { model, vocab } = setup();
    const cfg = loadConfigDir();
    const item = (code: string, name: string): ServiceItem =>
      ({ code, name, department: '测试局', type: '公共服务', themes: [], audiences: [], conditions: '', materials: [], legalLimit: null, promisedLimit: null, visits: null, onlineBooking: false, courier: false, cases: [], aliases: [], source: 'hall' }) as ServiceItem;
    // Two items the question matches equally (证 办), differing only in 子 / 丑.
    const hall = { ...cfg.hall, places: cfg.hall.places.filter((p) => p.kind === 'robot-dock') };
    const knowledge = { catalogue: { items: [item('T-1', '子证办'), item('T-2', '丑证办')] }, hall, faq: [], synonyms: [], templates: loadTemplates() };
    const plain = createEngine(knowledge);
    const lexical = await plain.ask('甲证办');
    const tie = lexical.candidates.slice(0, 2).map((c) => c.score);
    expect(tie[0]).toBe(tie[1]);
    const rr = await OnnxReranker.load(model, vocab);
    const reranked = createEngine(knowledge, { reranker: rr, rerankWeight: 0.5 });
    const a = await reranked.ask('甲证办');
    expect(a.candidates[0].id).toBe('T-1');
    expect(a.candidates[0].score).toBeGreaterThan(a.candidates[1].score);
    const b = await reranked.ask('乙证办');
    expect(b.candidates[0].id).toBe('T-2');
  });

  it('names the path when the model cannot be loaded', async () => {
    await expect(OnnxReranker.load('/nonexistent/model.onnx')).rejects.toThrow(/nonexistent\/model\.onnx/);
  });
});
