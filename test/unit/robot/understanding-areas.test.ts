/**
 * Issue 14, "Understanding": a department or service area (社保, 公积金, 出入境), not one
 * item of it, asked for by where it is, to be taken there, or for a ticket. One describe
 * per class, several phrasings each: the first written before the change, those marked
 * "unseen" written afterwards and never tuned on.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfigDir } from '../../../config/load.ts';
import { createEngine, describeWindows, knowledgeFromConfig, type Answer, type Engine } from '../../../models/language/index.ts';

let engine: Engine;
const cfg = loadConfigDir();

beforeAll(() => {
  engine = createEngine(knowledgeFromConfig(cfg), { contextSeconds: 45 });
});

const ask = (q: string, lang: 'zh' | 'en' = 'zh'): Promise<Answer> => engine.ask(q, engine.newSession(), { lang });
const windowsOf = (group: string) => cfg.hall.windows.filter((w) => w.groups.includes(group)).map((w) => w.id);

describe("where a department's or a service's windows are", () => {
  const cases: [string, string, boolean][] = [
    ['医保的窗口在哪边', 'social', false],
    ['带我去交社保的地方', 'social', true],
    ['公积金在哪里办', 'fund', false],
    ['社保在哪个窗口', 'social', false],
    ['出入境的窗口在哪', 'police', false],
    ['税务窗口在哪里', 'business', false],
    // unseen
    ['户政窗口怎么走', 'police', false],
    ['领我去公积金那边', 'fund', true],
    ['请问不动产登记在哪边', 'estate', false],
    ['小今小今，民政的窗口在哪里', 'civil', false],
  ];
  for (const [q, group, lead] of cases) {
    it(`${q} → the ${group} windows${lead ? ', walking' : ', offered'}`, async () => {
      const a = await ask(q);
      const ids = windowsOf(group);
      expect(a.intent).toBe('navigate');
      expect(a.guide?.kind).toBe('window');
      expect(ids).toContain(a.guide?.id);
      expect(a.card.windows?.map((w) => w.id).sort()).toEqual([...ids].sort());
      expect(Boolean(a.lead)).toBe(lead);
      if (!lead) {
        expect(a.answer).toContain(describeWindows(ids.map((id) => ({ id })), '、', '至'));
        expect(a.choices?.map((c) => c.label)).toEqual(['是', '不用']);
      }
    });
  }

  it('是 to the offer leads to the windows offered', async () => {
    const s = engine.newSession();
    const a = await engine.ask('医保的窗口在哪边', s);
    const yes = await engine.ask(a.choices![0].reply, s);
    expect(yes.lead).toBe(true);
    expect(yes.guide).toMatchObject({ kind: 'window', id: a.guide!.id });
  });

  for (const [q, title] of [['社保卡在哪里办', '社会保障卡申领'], ['护照在哪办', '普通护照签发'], /* unseen */ ['公积金提取在哪个窗口', '住房公积金提取']] as const) {
    it(`${q}: an item named with the area's word is still that item`, async () => {
      const a = await ask(q);
      expect(a.match?.title).toBe(title);
    });
  }
});

describe('take a number for a service or department', () => {
  const cases: [string, string][] = [
    ['我要取个社保的号', 'social'],
    ['帮我拿个出入境的号', 'police'],
    ['取个公积金的号', 'fund'],
    ['给我拿一个医保的号', 'social'],
    // unseen
    ['我想领个不动产的号', 'estate'],
    ['帮我取一个办护照的号', 'police'],
    ['排个税务的号', 'business'],
    ['麻烦帮我拿个结婚登记的号', 'civil'],
  ];
  for (const [q, group] of cases) {
    it(`${q} → a ticket of ${group}`, async () => {
      const a = await ask(q);
      expect(a.intent).toBe('ticket');
      expect(a.ticket?.group).toBe(group);
      expect(a.answer).toContain(a.ticket!.name);
    });
  }

  for (const q of ['我的社保号是多少', /* unseen */ '拿个号码牌要多久']) {
    it(`${q}: 号 in another sense is no ticket for a service`, async () => {
      expect((await ask(q)).ticket).toBeUndefined();
    });
  }
});
