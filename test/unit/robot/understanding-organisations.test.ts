/**
 * Issue 14, "Understanding": many catalogue items exist once per organisation (the
 * province's office and the city's, one research institute and another). A question that
 * names the organisation gets that organisation's item; one that does not tell them apart,
 * about a fact that differs between them, gets a short question with the organisations as
 * choices, answered by touch, by number or by naming one. Phrasings marked "unseen" were written after the change and never
 * tuned on.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfigDir } from '../../../config/load.ts';
import { createEngine, knowledgeFromConfig, type Answer, type Engine } from '../../../models/language/index.ts';

let engine: Engine;
const cfg = loadConfigDir();

beforeAll(() => {
  engine = createEngine(knowledgeFromConfig(cfg), { contextSeconds: 45 });
});

const ask = (q: string): Promise<Answer> => engine.ask(q, engine.newSession());
const departmentOf = (a: Answer) => cfg.catalogue.items.find((i) => i.code === a.match?.id)?.department;

describe('a question naming the organisation gets its item', () => {
  const cases: [string, string][] = [
    ['广州市司法局的律师事务所设立许可', '广州市司法局'],
    ['省司法厅律师事务所设立许可', '广东省司法厅'],
    ['市公安局弩的购置审批', '广州市公安局'],
    ['省公安厅的弩的购置审批', '广东省公安厅'],
    ['水稻研究所的科技成果查询', '广东省农业科学院水稻研究所'],
    ['中山检测院的电子报告查询', '广东省特种设备检测研究院中山检测院'],
    // unseen
    ['省里的弩的运输审批', '广东省公安厅'],
    ['广州市的兼职律师执业许可', '广州市司法局'],
    ['蔬菜研究所的科技成果在哪查', '广东省农业科学院蔬菜研究所'],
  ];
  for (const [q, department] of cases) {
    it(`${q} → ${department}`, async () => {
      const a = await ask(q);
      expect(a.clarify).toBeUndefined();
      expect(departmentOf(a)).toBe(department);
    });
  }
});

describe('items of several organisations the question does not tell apart: ask which organisation when the answer differs', () => {
  const cases: [string, string[], string, string][] = [
    ['律师事务所设立许可要多久', ['广东省司法厅', '广州市司法局'], '市里的', '广州市司法局'],
    ['弩的购置审批要带什么材料', ['广东省公安厅', '广州市公安局'], '省公安厅', '广东省公安厅'],
    // unseen
    ['兼职律师执业许可要多久办好', ['广东省司法厅', '广州市司法局'], '广州市司法局', '广州市司法局'],
    ['弩的进口审批要带什么材料', ['广东省公安厅', '广州市公安局'], '广东省的', '广东省公安厅'],
  ];
  for (const [q, organisations, reply, chosen] of cases) {
    it(`${q}: asks between ${organisations.join(' and ')}; "${reply}" picks ${chosen}`, async () => {
      const s = engine.newSession();
      const a = await engine.ask(q, s);
      expect(a.clarify?.options.map((o) => o.title).sort()).toEqual([...organisations].sort());
      expect(a.answer).toContain(organisations[0]);
      expect(a.answer.length).toBeLessThan(60);
      const b = await engine.ask(reply, s);
      expect(departmentOf(b)).toBe(chosen);
    });
  }

  it('a touch on an organisation picks it', async () => {
    const s = engine.newSession();
    const a = await engine.ask('律师事务所设立许可要多久', s);
    const i = a.clarify!.options.findIndex((o) => o.title === '广东省司法厅');
    const b = await engine.ask('', s, { choice: i + 1 });
    expect(departmentOf(b)).toBe('广东省司法厅');
  });

  it('when every organisation\'s item is served at the same windows, where to go is answered without asking', async () => {
    const a = await ask('律师事务所设立许可在哪办');
    expect(a.clarify).toBeUndefined();
    expect(a.guide?.kind).toBe('window');
  });

  it('an item only one organisation has is answered outright', async () => {
    const a = await ask('结婚登记在哪办');
    expect(a.clarify).toBeUndefined();
    expect(a.match?.title).toBe('结婚登记');
  });
});
