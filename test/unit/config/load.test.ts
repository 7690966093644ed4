import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfigDir, validateConfig, type ConfigProblem } from '../../../config/load.ts';
import { copyDefaultHall, editJson } from './helpers.ts';

/** The problems a broken folder yields; fails the test if the folder loads. */
function problemsOf(dir: string): ConfigProblem[] {
  try {
    loadConfigDir(dir);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error(`${dir} loaded although it is broken`);
}

describe('loading a configuration folder', () => {
  it('loads the default hall', () => {
    const config = loadConfigDir();
    expect(config.hall.windows.length).toBeGreaterThanOrEqual(25);
    expect(config.catalogue.items.length).toBeGreaterThan(2000);
  });

  it('names the file, the field path and what was expected for a bad value', () => {
    const dir = copyDefaultHall();
    editJson(dir, 'hall.json', (h) => (h.windows[3].id = 'b1'));
    const problems = problemsOf(dir);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: join(dir, 'hall.json'), path: 'windows[3].id' });
    expect(problems[0].message).toContain('a window id like B01');
    expect(problems[0].message).toContain('found "b1"');
    const err = (() => {
      try {
        loadConfigDir(dir);
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err?.message).toBe(`${join(dir, 'hall.json')}: windows[3].id: ${problems[0].message}`);
  });

  it('says what type was expected and that a field is missing', () => {
    const dir = copyDefaultHall();
    editJson(dir, 'settings.json', (s) => (s.queue.priorityRatio = 'three'));
    editJson(dir, 'hall.json', (h) => delete h.name);
    const problems = problemsOf(dir);
    const ratio = problems.find((p) => p.path === 'queue.priorityRatio');
    expect(ratio?.file).toBe(join(dir, 'settings.json'));
    expect(ratio?.message).toMatch(/expected number/);
    expect(ratio?.message).toContain('found "three"');
    const name = problems.find((p) => p.path === 'name');
    expect(name?.file).toBe(join(dir, 'hall.json'));
    expect(name?.message).toMatch(/expected string/);
    expect(name?.message).toContain('(missing)');
  });

  it('adds everyday item names from item-aliases.json, once each, and names an unknown code', () => {
    const dir = copyDefaultHall();
    const code = loadConfigDir(dir).catalogue.items[20].code;
    writeFileSync(join(dir, 'item-aliases.json'), JSON.stringify({ [code]: ['甲乙丙丁', '甲乙丙丁', '戊己庚'] }));
    const item = loadConfigDir(dir).catalogue.items.find((i) => i.code === code)!;
    expect(item.aliases.filter((a) => a === '甲乙丙丁')).toHaveLength(1);
    expect(item.aliases).toContain('戊己庚');
    writeFileSync(join(dir, 'item-aliases.json'), JSON.stringify({ [code]: ['甲乙丙丁'], 'NO-SUCH-CODE': ['某事'] }));
    const problems = problemsOf(dir);
    expect(problems).toEqual([{ file: join(dir, 'item-aliases.json'), path: 'NO-SUCH-CODE', message: 'unknown item code NO-SUCH-CODE' }]);
  });

  it('reports a garbled JSON file by name, with where the parser gave up', () => {
    const dir = copyDefaultHall();
    const file = join(dir, 'kiosks.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"kind"', '"kind" "kiosk",').slice(0, 300));
    const problems = problemsOf(dir);
    expect(problems).toHaveLength(1);
    expect(problems[0].file).toBe(file);
    expect(problems[0].path).toBe('');
    expect(problems[0].message).toMatch(/^not valid JSON: .*position \d+/);
  });

  it('reports every broken file at once, not just the first', () => {
    const dir = copyDefaultHall();
    writeFileSync(join(dir, 'menus.json'), '{ "hot": [ }');
    editJson(dir, 'kiosks.json', (k) => (k[0].idleTimeoutSeconds = 5));
    rmSync(join(dir, 'settings.json'));
    const problems = problemsOf(dir);
    expect(problems.map((p) => p.file.split('/').pop()).sort()).toEqual(['kiosks.json', 'menus.json', 'settings.json']);
    expect(problems.find((p) => p.file.endsWith('kiosks.json'))).toMatchObject({ path: '[0].idleTimeoutSeconds' });
    expect(problems.find((p) => p.file.endsWith('settings.json'))?.message).toContain('ENOENT');
  });

  it('reads the hall’s unattended recovery time, 60 s when a hall leaves it out, and refuses one under 10 s', () => {
    const dir = copyDefaultHall();
    expect(loadConfigDir(dir).unattended.recoverWithinSeconds).toBe(60);
    editJson(dir, 'settings.json', (s) => (s.unattended = { recoverWithinSeconds: 120 }));
    expect(loadConfigDir(dir).unattended.recoverWithinSeconds).toBe(120);
    editJson(dir, 'settings.json', (s) => delete s.unattended);
    expect(loadConfigDir(dir).unattended.recoverWithinSeconds).toBe(60);
    editJson(dir, 'settings.json', (s) => (s.unattended = { recoverWithinSeconds: 5 }));
    expect(problemsOf(dir).find((p) => p.path === 'unattended.recoverWithinSeconds')?.file).toBe(join(dir, 'settings.json'));
  });

  it('accepts a file saved with a byte-order mark', () => {
    const dir = copyDefaultHall();
    const file = join(dir, 'hall.json');
    writeFileSync(file, '\ufeff' + readFileSync(file, 'utf8'));
    expect(loadConfigDir(dir).hall.id).toBeTruthy();
  });
});

describe('cross-references', () => {
  it('names a window that serves a queue group the hall does not have', () => {
    const dir = copyDefaultHall();
    editJson(dir, 'hall.json', (h) => (h.windows[2].groups = [h.windows[2].groups[0], 'no-such-group']));
    expect(problemsOf(dir)).toEqual([{ file: join(dir, 'hall.json'), path: 'windows[2].groups[1]', message: 'unknown queue group no-such-group' }]);
  });

  it('names a menu entry that lists an item the catalogue lacks', () => {
    const dir = copyDefaultHall();
    editJson(dir, 'menus.json', (m) => (m.themes[0].items[1] = 'NO-SUCH-ITEM'));
    expect(problemsOf(dir)).toEqual([{ file: join(dir, 'menus.json'), path: 'themes[0].items[1]', message: 'unknown item code NO-SUCH-ITEM' }]);
  });

  it('names a menu entry shown on a kiosk that does not exist', () => {
    const dir = copyDefaultHall();
    editJson(dir, 'menus.json', (m) => (m.departments[1].kiosks = ['kiosk-1', 'kiosk-77']));
    expect(problemsOf(dir)).toEqual([{ file: join(dir, 'menus.json'), path: 'departments[1].kiosks[1]', message: 'unknown kiosk id kiosk-77' }]);
  });

  it('names zones, places and kiosks on floors the hall does not have', () => {
    const dir = copyDefaultHall();
    editJson(dir, 'hall.json', (h) => {
      h.zones[0].floor = 'F9';
      h.places[0].floor = 'F9';
    });
    editJson(dir, 'kiosks.json', (k) => (k[1].floor = 'B2'));
    const found = problemsOf(dir).map((p) => `${p.file.split('/').pop()} ${p.path} ${p.message}`);
    expect(found).toEqual(expect.arrayContaining(['hall.json zones[0].floor unknown floor F9', 'hall.json places[0].floor unknown floor F9', 'kiosks.json [1].floor unknown floor B2']));
  });

  it('refuses a questionnaire answer that leads to another item’s case', () => {
    const dir = copyDefaultHall();
    const config = loadConfigDir(dir);
    const other = config.catalogue.items.find((i) => i.cases.length && i.code !== config.questionnaires[0].item)!;
    editJson(dir, 'questionnaires.json', (q) => (q[0].questions[0].options[0].case = other.cases[0].code));
    const [problem] = problemsOf(dir);
    expect(problem).toMatchObject({ file: join(dir, 'questionnaires.json'), path: '[0].questions[0].options[0].case' });
    expect(problem.message).toContain(`not a case of ${config.questionnaires[0].item}`);
  });

  it('places a duplicate item code in its own file at its own index', () => {
    const dir = copyDefaultHall();
    let dupe = '';
    editJson(dir, 'city-items.json', (c) => (dupe = c.items[2].code));
    editJson(dir, 'catalogue.json', (c) => (c.items[5].code = dupe));
    expect(problemsOf(dir)).toContainEqual({ file: join(dir, 'catalogue.json'), path: 'items[5].code', message: `duplicate item code ${dupe}` });

    const again = copyDefaultHall();
    editJson(again, 'city-items.json', (c) => (c.items[4].code = c.items[1].code));
    expect(problemsOf(again)).toContainEqual(expect.objectContaining({ file: join(again, 'city-items.json'), path: 'items[4].code' }));
  });

  it('validates an in-memory configuration under its label', () => {
    const config = loadConfigDir();
    const broken = structuredClone(config);
    broken.hall.windows[0].groups = ['ghost'];
    expect(() => validateConfig(broken, 'configuration version 7')).toThrow('configuration version 7: windows[0].groups[0]: unknown queue group ghost');
  });
});
