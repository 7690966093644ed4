/**
 * The resident ID card items (居民身份证申领、换领 / 补领 / 临时身份证), the most asked-for
 * service of a hall: in the default catalogue with windows, fees and sources, found first by
 * the kiosk's search, and the robot's answer to the ways citizens ask for them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfigDir } from '../../../config/load.ts';
import { windowsForItem } from '../../../config/hall-query.ts';
import { summaryOf } from '../../../electron/services/catalogue.ts';
import { SearchIndex } from '../../../renderer/kiosk/search/index.ts';
import { createEngine, knowledgeFromConfig, type Engine } from '../../../models/language/index.ts';

const cfg = loadConfigDir();
const ID_CARD_ITEMS = ['GZ-GA-003', 'GZ-GA-004', 'GZ-GA-005'];
const item = (code: string) => cfg.catalogue.items.find((i) => i.code === code)!;

describe('the ID card items in the catalogue', () => {
  it('are hall items served at the household (户政) windows', () => {
    for (const code of ID_CARD_ITEMS) {
      const entry = item(code);
      expect(entry, code).toBeDefined();
      expect(entry.source).toBe('hall');
      expect(entry.department).toBe('广州市公安局');
      const windows = windowsForItem(cfg, entry).map((w) => w.id);
      expect(windows, code).toEqual(['B02', 'B03', 'B04', 'B05']);
    }
  });

  it('state materials, time limits and fees, and say where those come from', () => {
    const apply = item('GZ-GA-003');
    expect(apply.name).toBe('居民身份证申领、换领');
    expect(apply.materials.map((m) => m.name)).toContain('居民户口簿');
    expect(apply.promisedLimit).toMatchObject({ value: 20, unit: '工作日' });
    expect(apply.fee).toMatch(/^20元/);
    const renew = apply.cases.find((c) => c.name === '有效期满换领')!;
    expect(renew.materials.map((m) => m.name)).toEqual(expect.arrayContaining(['原居民身份证', '居民户口簿', '近期免冠照片']));
    expect(renew.materials.find((m) => m.name === '近期免冠照片')?.form).toBe('现场采集');
    expect(apply.cases.find((c) => c.name === '证件损坏换领')?.fee).toBe('40元');

    expect(item('GZ-GA-004')).toMatchObject({ name: '居民身份证补领', promisedLimit: { value: 20, unit: '工作日' } });
    expect(item('GZ-GA-004').fee).toMatch(/^40元/);
    expect(item('GZ-GA-005')).toMatchObject({ name: '临时居民身份证申领', promisedLimit: { unit: '即办' } });
    expect(item('GZ-GA-005').fee).toMatch(/^10元/);
    for (const code of ID_CARD_ITEMS) {
      expect(item(code).sources?.some((s) => s.includes('收费标准')), code).toBe(true);
    }
    expect(item('GZ-GA-003').sources?.some((s) => s.includes('居民身份证法'))).toBe(true);
  });

  it('are on the kiosk: hot items, the 户籍 theme and the police department menu', () => {
    // Among the first hot tiles, beside 社保卡 and 护照 which halls are asked for as often.
    expect(cfg.menus.hot.slice(0, 4)).toEqual(expect.arrayContaining(['GZ-GA-003', 'GZ-GA-004']));
    expect(cfg.menus.themes.find((t) => t.id === 'household')?.items.slice(0, 3)).toEqual(ID_CARD_ITEMS);
    expect(cfg.menus.departments.find((d) => d.title === '广州市公安局')?.items).toEqual(expect.arrayContaining(ID_CARD_ITEMS));
  });
});

describe('kiosk search', () => {
  let index: SearchIndex;
  beforeAll(() => {
    index = SearchIndex.build(cfg.catalogue.items.map(summaryOf));
  }, 60_000);

  it.each(['sfz', '身份证', 'shenfenzheng'])('finds the application and replacement items first for %s', (q) => {
    const top = index.search(q, 5).results.map((r) => r.code);
    expect(top.slice(0, 2).sort()).toEqual(['GZ-GA-003', 'GZ-GA-004']);
  });

  it('finds replacement first for 身份证补办', () => {
    expect(index.search('身份证补办', 5).results[0]?.code).toBe('GZ-GA-004');
  });
});

describe('the robot', () => {
  let engine: Engine;
  beforeAll(() => {
    engine = createEngine(knowledgeFromConfig(cfg), { contextSeconds: 45, now: () => 0 });
    // Indexing the whole catalogue takes seconds, more on a busy machine.
  }, 60_000);

  it.each([
    ['我要办身份证', 'GZ-GA-003'],
    ['身份证到期了要换', 'GZ-GA-003'],
    ['身份证丢了怎么办', 'GZ-GA-004'],
    ['补办身份证', 'GZ-GA-004'],
    ['我要办临时身份证', 'GZ-GA-005'],
  ])('answers %s with the ID card item, not the forgot-your-card answer', async (q, code) => {
    const a = await engine.ask(q);
    expect(a.match).toMatchObject({ kind: 'item', id: code });
    expect(a.answer).toContain('B02');
  });

  it('still answers forgetting the card with the FAQ', async () => {
    expect((await engine.ask('没带身份证能办事吗')).match).toMatchObject({ kind: 'faq', id: 'id-forgot' });
  });
});
