import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfigDir } from '../../../config/load.ts';
import { createEngine, knowledgeFromConfig, type Engine } from '../../../models/language/index.ts';

const cfg = loadConfigDir();
let engine: Engine;
let without: Engine;

beforeAll(() => {
  engine = createEngine(knowledgeFromConfig(cfg), { contextSeconds: 45, now: () => 0 });
  without = createEngine({ ...knowledgeFromConfig(cfg), bundles: [] }, { contextSeconds: 45, now: () => 0 });
});

describe('一件事 bundles as answers', () => {
  it('answers 我要开个饭店要办什么 with the restaurant bundle: its service, windows and ticket', async () => {
    const a = await engine.ask('我要开个饭店要办什么');
    expect(a.intent).toBe('bundle');
    expect(a.match).toMatchObject({ kind: 'bundle', id: 'open-restaurant', title: '我要开餐馆' });
    expect(a.answer).toContain('企业设立登记（营业执照）');
    expect(a.answer).toContain('D01');
    expect(a.ticket).toMatchObject({ group: 'business', prefix: 'H' });
    expect(a.card.kind).toBe('bundle');
  });

  it('answers 生孩子要办哪些手续 with the newborn bundle: three services, one list with the birth certificate once, one window', async () => {
    const a = await engine.ask('生孩子要办哪些手续');
    expect(a.match).toMatchObject({ kind: 'bundle', id: 'newborn' });
    for (const name of ['户口迁入', '城乡居民医疗保险参保登记', '社会保障卡申领']) expect(a.answer).toContain(name);
    expect(a.answer).toContain('B09综合窗口');
    const materials = a.card.sections.find((s) => s.label === '合并材料清单')!.lines;
    expect(materials.filter((l) => l.startsWith('出生医学证明'))).toHaveLength(1);
    expect(a.guide).toMatchObject({ kind: 'window', id: 'B09' });
    expect(a.ticket).toMatchObject({ group: 'general', prefix: 'F' });
  });

  it('answers in English by the English name', async () => {
    const a = await engine.ask('What do I need when a baby is born?');
    expect(a.match).toMatchObject({ kind: 'bundle', id: 'newborn' });
    expect(a.answer).toContain('window B09 accepts everything at once');
  });

  it('leaves a question about one of the services to that service', async () => {
    const a = await engine.ask('社保卡补办要带什么');
    expect(a.match).toMatchObject({ kind: 'item', id: 'GZ-SB-001' });
  });

  it('is not answered with a bundle by a hall that has none', async () => {
    const a = await without.ask('生孩子要办哪些手续');
    expect(a.match?.kind).not.toBe('bundle');
  });
});
