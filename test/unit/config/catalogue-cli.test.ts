import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigDir } from '../../../config/load.ts';
import { Catalogue, Menus } from '../../../config/schema.ts';
import { copyDefaultHall, seedRecord } from './helpers.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const BIN = join(ROOT, 'bin/xiaojin.mjs');
const SEED = resolve(ROOT, '../shared/data/gd-service-items.jsonl');
const SEED_NOTICE = resolve(ROOT, '../shared/data/NOTICE.md');

function xiaojin(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, timeout: 120_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) =>
      done({ code: err ? Number((err as NodeJS.ErrnoException & { code?: unknown }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function fixture(): { file: string; notice: string } {
  const dir = mkdtempSync(join(tmpdir(), 'xiaojin-seed-'));
  const file = join(dir, 'fixture.jsonl');
  writeFileSync(
    file,
    [
      JSON.stringify(seedRecord({ TASK_CODE: 'F1', TASK_NAME: '律师执业许可' })),
      '{"TASK_CODE": "F2", ',
      JSON.stringify(seedRecord({ TASK_CODE: 'F3', TASK_NAME: '实验动物生产许可(新申请)', subTaskName: '新申请', matter_name: '实验动物生产许可', CATAID: 'C7' })),
      JSON.stringify(seedRecord({ TASK_CODE: 'F4', TASK_NAME: '实验动物生产许可(变更)', subTaskName: '变更', matter_name: '实验动物生产许可', CATAID: 'C7' })),
    ].join('\n') + '\n',
  );
  const notice = '# fixture\n\nMIT licence text that must travel with the data.\n';
  writeFileSync(join(dir, 'NOTICE.md'), notice);
  return { file, notice };
}

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

describe('xiaojin catalogue import', () => {
  it('imports a small export, reporting the bad line and keeping the notice', async () => {
    const { file, notice } = fixture();
    const out = mkdtempSync(join(tmpdir(), 'xiaojin-out-'));
    const r = await xiaojin('catalogue', 'import', file, '--config', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`${file}:2: skipped: not valid JSON`);
    expect(r.stdout).toContain('imported 3 records as 2 items (1 with sub-cases)');
    expect(r.stdout).toContain('1 line(s) skipped');
    const catalogue = Catalogue.parse(readJson(join(out, 'catalogue.json')));
    expect(catalogue.source).toBe('fixture.jsonl');
    expect(catalogue.notice).toBe(notice);
    expect(catalogue.items.map((i) => [i.code, i.name, i.cases.map((c) => c.code)])).toEqual([
      ['F1', '律师执业许可', []],
      ['G-ORG1-C7', '实验动物生产许可', ['F3', 'F4']],
    ]);
    expect(readFileSync(join(out, 'NOTICE.md'), 'utf8')).toBe(notice);
    expect(() => Menus.parse(readJson(join(out, 'menus.json')))).not.toThrow();
    expect(Array.isArray(readJson(join(out, 'questionnaires.json')))).toBe(true);
  }, 60_000);

  it('leaves the menus alone with --keep-menus', async () => {
    const { file } = fixture();
    const out = mkdtempSync(join(tmpdir(), 'xiaojin-out-'));
    const r = await xiaojin('catalogue', 'import', file, '--config', out, '--keep-menus');
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(out, 'catalogue.json'))).toBe(true);
    expect(existsSync(join(out, 'menus.json'))).toBe(false);
  }, 60_000);

  it('fails clearly on a missing file and explains its usage', async () => {
    const out = mkdtempSync(join(tmpdir(), 'xiaojin-out-'));
    const missing = await xiaojin('catalogue', 'import', join(out, 'nope.jsonl'), '--config', out);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('ENOENT');
    expect(existsSync(join(out, 'catalogue.json'))).toBe(false);
    const usage = await xiaojin('catalogue');
    expect(usage.code).toBe(2);
    expect(usage.stdout).toContain('usage: xiaojin catalogue import FILE');
  }, 60_000);

  it.skipIf(!existsSync(SEED))(
    'imports the Guangdong seed into a hall that still loads, the same way every time',
    async () => {
      const dir = copyDefaultHall();
      const first = await xiaojin('catalogue', 'import', SEED, '--config', dir);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stderr).toBe('');
      expect(first.stdout).toMatch(/imported 2262 records as 2018 items \(83 with sub-cases\) .*; 0 line\(s\) skipped/);

      const text = readFileSync(join(dir, 'catalogue.json'), 'utf8');
      const catalogue = Catalogue.parse(JSON.parse(text));
      const cases = catalogue.items.flatMap((i) => i.cases);
      expect(cases).toHaveLength(327);
      // Every record is somewhere: as an item of its own or as a case of one.
      expect(catalogue.items.filter((i) => i.cases.length === 0).length + cases.length).toBe(2262);
      expect(catalogue.items.filter((i) => i.cases.length > 0).every((i) => i.code.startsWith('G-'))).toBe(true);
      expect(catalogue.items.find((i) => i.name === '实验动物生产许可')?.cases.map((c) => c.name).sort()).toEqual(['变更', '延续', '新申请', '注销'].sort());
      expect(text).not.toContain('"无"');

      const notice = readFileSync(join(dir, 'NOTICE.md'), 'utf8');
      expect(notice).toBe(readFileSync(SEED_NOTICE, 'utf8'));
      expect(notice).toContain('MIT License');
      expect(catalogue.notice).toBe(notice);

      // The regenerated menus and questionnaires fit the hall they were written into.
      const config = loadConfigDir(dir);
      expect(config.catalogue.items.length).toBe(catalogue.items.length + readJson(join(dir, 'city-items.json')).items.length);

      const second = await xiaojin('catalogue', 'import', SEED, '--config', dir);
      expect(second.code).toBe(0);
      expect(readFileSync(join(dir, 'catalogue.json'), 'utf8')).toBe(text);
    },
    120_000,
  );
});
