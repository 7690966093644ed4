import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ConfigStore, loadConfigDir } from '../../../config/load.ts';
import { bundleStops, combinedMaterials, materialKey } from '../../../config/bundles.ts';
import { ServiceItem } from '../../../config/schema.ts';
import { copyDefaultHall, editJson } from './helpers.ts';

const item = (code: string, materials: object[], cases: object[] = []) =>
  ServiceItem.parse({ code, name: code, department: '广州市示例局', materials, cases });

describe('the combined material list', () => {
  const idCard = { name: '居民身份证', form: '原件' };
  const items = [
    item('A', [idCard, { name: '申请表', copies: 1 }]),
    item('B', [{ name: '居民身份证（复印件）', form: '复印件', copies: 2 }, { name: '照片', required: false }]),
    item('C', [], [{ code: 'C-1', name: '首次', fullName: 'C首次', materials: [{ name: ' 居民 身份证 ', copies: 1 }, { name: '照片' }] }]),
  ];

  it('lists one ID card for every service, with the services that need it, every form and the most copies', () => {
    const list = combinedMaterials(items, [{ item: 'A' }, { item: 'B' }, { item: 'C', case: 'C-1' }]);
    expect(list.map((m) => m.name)).toEqual(['居民身份证', '申请表', '照片']);
    const id = list[0];
    expect(id.items).toEqual(['A', 'B', 'C']);
    expect(id.copies).toBe(2);
    expect(id.forms).toEqual(['原件', '复印件']);
    // Optional for B, required for C's case: the citizen must bring it.
    expect(list[2]).toMatchObject({ required: true, items: ['B', 'C'] });
  });

  it('takes a case\'s own materials once the case is known, the item\'s before, and skips unknown items', () => {
    expect(combinedMaterials(items, [{ item: 'C' }, { item: 'nope' }])).toEqual([]);
    expect(combinedMaterials(items, [{ item: 'C', case: 'C-1' }]).map((m) => m.name)).toEqual(['居民 身份证', '照片']);
  });

  it('treats full- and half-width, spaces and a trailing form as the same name, and different words as different', () => {
    expect(materialKey('居民身份证（原件）')).toBe(materialKey('居民身份证'));
    expect(materialKey('户口簿(复印件)')).toBe(materialKey('户口簿'));
    expect(materialKey('ＡＢＣ 证明')).toBe(materialKey('abc证明'));
    expect(materialKey('父母双方户口簿')).not.toBe(materialKey('户口簿'));
  });
});

describe('bundles in the hall configuration', () => {
  it('loads the default bundles, whose newborn list asks for the birth certificate once', () => {
    const config = loadConfigDir();
    const newborn = config.bundles.find((b) => b.id === 'newborn')!;
    expect(newborn.acceptance).toBe('one-window');
    const list = combinedMaterials(config.catalogue.items, newborn.items);
    const birth = list.filter((m) => m.name === '出生医学证明');
    expect(birth).toHaveLength(1);
    expect(birth[0].items).toEqual(['GZ-GA-002', 'GZ-YB-001']);
    expect(bundleStops(config, newborn)).toEqual([{ items: ['GZ-GA-002', 'GZ-YB-001', 'GZ-SB-001'], windows: [expect.objectContaining({ id: 'B09' })] }]);
    const restaurant = config.bundles.find((b) => b.id === 'open-restaurant')!;
    expect(bundleStops(config, restaurant)[0].windows.map((w) => w.id)).toContain('D01');
  });

  it('refuses one-window acceptance without its window, naming the field', () => {
    const dir = copyDefaultHall();
    editJson(dir, 'bundles.json', (b) => delete b[1].window);
    expect(() => loadConfigDir(dir)).toThrow(`${join(dir, 'bundles.json')}: [1].window: one-window acceptance names its 综合窗口`);
  });

  it('refuses an unknown item, a case of another item, an unknown group and a window off the group, each by its path', () => {
    const dir = copyDefaultHall();
    editJson(dir, 'bundles.json', (b) => {
      b[0].items[0].item = 'NO-SUCH';
      b[1].items[1].case = 'GZ-SB-001-01';
      b[1].group = 'fund';
    });
    let message = '';
    try {
      loadConfigDir(dir);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('[0].items[0].item: unknown item code NO-SUCH');
    expect(message).toContain('[1].items[1].case: unknown case code GZ-SB-001-01 (not a case of GZ-YB-001)');
    expect(message).toContain('[1].window: window B09 does not serve queue group fund');
  });

  it('refuses a field it does not know rather than ignore a misspelling', () => {
    const dir = copyDefaultHall();
    editJson(dir, 'bundles.json', (b) => (b[0].acceptence = 'one-window'));
    expect(() => loadConfigDir(dir)).toThrow(/bundles\.json: \[0\]: Unrecognized key/);
  });

  it('keeps the last good configuration in force when a bad bundle arrives', () => {
    const store = ConfigStore.fromDir();
    const good = store.config;
    const bad = structuredClone(good);
    bad.bundles[1].group = 'no-such-group';
    const err = store.apply(bad, 7, 'staff edit');
    expect(err?.message).toContain('staff edit: [1].group: unknown queue group no-such-group');
    expect(store.config).toBe(good);
    expect(store.version).toBe(1);
  });
});
