import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = resolve(import.meta.dirname, '../../../bin/xiaojin.mjs');
const dir = mkdtempSync(join(tmpdir(), 'xiaojin-ask-'));

async function ask(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [BIN, 'ask', ...args], { timeout: 60_000, maxBuffer: 16 << 20 });
}

function shape(o: Record<string, unknown>) {
  expect(Object.keys(o).sort()).toEqual(['answer', 'candidates', 'confidence', 'intent', 'match']);
  expect(typeof o.intent).toBe('string');
  expect(typeof o.answer).toBe('string');
  expect(typeof o.confidence).toBe('number');
  for (const c of o.candidates as Record<string, unknown>[]) expect(Object.keys(c).sort()).toEqual(['id', 'kind', 'score', 'title']);
  if (o.match) expect(Object.keys(o.match as object).sort()).toEqual(['id', 'kind', 'title']);
}

describe('xiaojin ask', () => {
  it('prints one JSON object with the documented fields', async () => {
    const { stdout } = await ask('护士执业证书重新注册在哪办?');
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const o = JSON.parse(lines[0]);
    shape(o);
    expect(o.match).toEqual({ kind: 'item', id: 'GZ-WJ-001', title: '护士执业注册' });
    expect(o.answer).toContain('B01、B10');
  }, 60_000);

  it('--trace adds the stages to the JSON and prints each with its time on stderr', async () => {
    const { stdout, stderr } = await ask('--trace', '护士执业证书重新注册在哪办?');
    const o = JSON.parse(stdout);
    const stages = ['understand', 'retrieve', 'rerank', 'accept', 'dialogue', 'compose'];
    expect(o.trace.map((s: { stage: string }) => s.stage)).toEqual(stages);
    expect(o.match.id).toBe('GZ-WJ-001');
    const lines = stderr.split('\n').filter((l) => stages.some((s) => l.startsWith(s)));
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(stages);
    for (const l of lines) expect(l).toMatch(/ ms /);
  }, 60_000);

  it('--batch answers line by line from one index, FAQ ids being row numbers', async () => {
    const faq = join(dir, 'faq.csv');
    writeFileSync(faq, '问题,答案,关键词\n大厅可以寄存行李吗,导办台可以寄存小件行李。,寄存 行李\n哪里有自动售货机,二楼等候区有自动售货机。,售货机\n');
    const batch = join(dir, 'questions.txt');
    writeFileSync(batch, '设保卡不办\n\n哪里有售货机\n今天天气怎么样\n');
    const { stdout } = await ask('--batch', batch, '--faq', faq);
    const out = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(out).toHaveLength(3);
    out.forEach(shape);
    expect(out[0].match.id).toBe('GZ-SB-001');
    expect(out[1].match).toEqual({ kind: 'faq', id: '2', title: '哪里有自动售货机' });
    expect(out[2].intent).toBe('out-of-scope');
    expect(out[2].match).toBeNull();
  }, 60_000);

  it('--catalogue answers from a seed .jsonl instead of the hall catalogue', async () => {
    const seed = readFileSync('/work/shared/data/gd-service-items.jsonl', 'utf8').split('\n').filter(Boolean);
    const pick = seed.filter((l) => /"TASK_NAME":"(律师事务所设立许可|普通话水平测试等级证书核发)"/.test(l)).slice(0, 2);
    expect(pick.length).toBe(2);
    const file = join(dir, 'small.jsonl');
    writeFileSync(file, pick.join('\n') + '\n');
    const code = JSON.parse(pick.find((l) => l.includes('普通话'))!).TASK_CODE;
    const a = JSON.parse((await ask('普通话证书在哪里领', '--catalogue', file)).stdout);
    expect(a.match).toEqual({ kind: 'item', id: code, title: '普通话水平测试等级证书核发' });
    // The hall's own items are not in this knowledge.
    const b = JSON.parse((await ask('社保卡补办', '--catalogue', file)).stdout);
    expect(b.match?.id).not.toBe('GZ-SB-001');
  }, 60_000);

  it('explains its usage without a question', async () => {
    await expect(ask()).rejects.toMatchObject({ code: 2 });
  }, 60_000);
});
