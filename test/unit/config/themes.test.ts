import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertSeed } from '../../../config/import-gd.ts';
import { buildMenus } from '../../../config/menus.ts';
import { ConfigError, loadConfigDir } from '../../../config/load.ts';
import { Menus, type Catalogue, type ServiceItem } from '../../../config/schema.ts';
import { THEMES, classify } from '../../../config/themes.ts';
import { copyDefaultHall, editJson } from './helpers.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const SEED = resolve(ROOT, '../shared/data/gd-service-items.jsonl');

const seed = (): Catalogue => convertSeed(readFileSync(SEED, 'utf8')).catalogue;
const codeOf = (c: Catalogue, name: string) => c.items.find((i) => i.name === name)!.code;
const theme = (menus: Menus, id: string) => menus.themes.find((t) => t.id === id)!;

describe('themes built from the items’ classification', () => {
  it('keeps 注册会计师注册 (a profession with cases for Hong Kong and Macao residents) out of 出入境', () => {
    const catalogue = seed();
    const menus = buildMenus(catalogue);
    const cpa = codeOf(catalogue, '注册会计师注册');
    expect(theme(menus, 'exit').items).not.toContain(cpa);
    expect(theme(menus, 'qualification').items).toContain(cpa);
    expect(theme(menus, 'qualification').reasons?.[cpa]).toEqual({ by: 'tag', value: '职业资格' });
    // Passports and permits are still there, each for a reason staff can read.
    expect(theme(menus, 'exit').items).toContain(codeOf(catalogue, '办理及加注普通护照'));
  });

  it('records why every item of every theme is there', () => {
    const menus = buildMenus(seed());
    for (const t of menus.themes) {
      expect(Object.keys(t.reasons ?? {}).sort(), t.id).toEqual([...t.items].sort());
      for (const code of t.items) expect(['tag', 'department', 'name', 'staff'], `${t.id} ${code}`).toContain(t.reasons![code].by);
    }
  });

  it('uses a word of the name only for items their tags and department place nowhere', () => {
    const item = (over: Partial<ServiceItem>) => ({ ...seed().items[0], themes: [], department: '广州市示例局', ...over }) as ServiceItem;
    // A notary's guide tagged 司法公证 is a legal service, whatever its name says.
    const tagged = classify(item({ name: '离婚协议公证指引', themes: ['司法公证'] }));
    expect([...tagged.keys()]).toEqual(['law']);
    const untagged = classify(item({ name: '离婚协议公证指引' }));
    expect(untagged.get('marriage')).toEqual({ by: 'name', value: '离婚' });
    expect(classify(item({ name: '签证延期', department: '广州市公安局出入境管理支队' })).get('exit')).toEqual({ by: 'department', value: '广州市公安局出入境管理支队' });
    expect(THEMES.every((t) => t.tags.length > 0)).toBe(true);
  });
});

describe('staff corrections of the themes', () => {
  it('moves and removes items, the moved item first with the staff’s note', () => {
    const catalogue = seed();
    const passport = codeOf(catalogue, '办理及加注普通护照');
    const permit = codeOf(catalogue, '办理往来港澳通行证');
    const menus = buildMenus(catalogue, [], [
      { item: passport, from: 'exit', to: 'household', note: '本厅护照在户籍窗口办' },
      { item: permit, from: 'exit' },
    ]);
    expect(theme(menus, 'exit').items).not.toContain(passport);
    expect(theme(menus, 'exit').items).not.toContain(permit);
    expect(theme(menus, 'household').items[0]).toBe(passport);
    expect(theme(menus, 'household').reasons?.[passport]).toEqual({ by: 'staff', value: '本厅护照在户籍窗口办' });
    expect(menus.corrections).toHaveLength(2);
  });

  it('survive `xiaojin catalogue import` of the portal export', async () => {
    const dir = copyDefaultHall();
    const catalogue = loadConfigDir(dir).catalogue;
    const passport = codeOf(catalogue, '办理及加注普通护照');
    editJson(dir, 'menus.json', (m) => {
      m.corrections.push({ item: passport, from: 'exit', to: 'household', note: '本厅护照在户籍窗口办' }, { item: 'GONE-1', from: 'exit' });
      m.themes.find((t: { id: string }) => t.id === 'exit').items = m.themes.find((t: { id: string }) => t.id === 'exit').items.filter((c: string) => c !== passport);
    });
    const r = await new Promise<{ code: number; stderr: string }>((done) =>
      execFile(process.execPath, [join(ROOT, 'bin/xiaojin.mjs'), 'catalogue', 'import', SEED, '--config', dir], { cwd: ROOT, timeout: 120_000 }, (err, _out, stderr) =>
        done({ code: err ? 1 : 0, stderr }),
      ),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('theme correction of GONE-1 dropped: the item is no longer in the catalogue');
    const config = loadConfigDir(dir);
    expect(theme(config.menus, 'exit').items).not.toContain(passport);
    expect(theme(config.menus, 'household').items).toContain(passport);
    expect(config.menus.corrections.map((c) => c.item)).toContain(passport);
    expect(config.menus.corrections.map((c) => c.item)).not.toContain('GONE-1');
  }, 120_000);

  it('refuses a correction naming a theme the menus lack, saying where', () => {
    const dir = copyDefaultHall();
    editJson(dir, 'menus.json', (m) => m.corrections.push({ item: 'GZ-GA-003', from: 'exit', to: 'nowhere' }));
    let problems: ConfigError['problems'] = [];
    try {
      loadConfigDir(dir);
    } catch (err) {
      problems = (err as ConfigError).problems;
    }
    expect(problems).toEqual([expect.objectContaining({ path: expect.stringMatching(/^corrections\[\d+\]\.to$/), message: 'unknown theme nowhere' })]);
  });

  it('refuses a correction that names no theme', () => {
    expect(() => Menus.parse({ themes: [], departments: [], corrections: [{ item: 'A' }] })).toThrow(/names the theme it moves the item from, to, or both/);
  });
});
