/** The platform's entry points install process guards: a stray throw or rejection is logged and the process keeps serving. */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { waitFor } from './helpers.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const children: ChildProcess[] = [];

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

describe('process guards', () => {
  it('log an uncaught exception and unhandled rejections without their data and keep the process serving', async () => {
    const proc = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures/guarded-proc.ts')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(proc);
    let out = '';
    proc.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    proc.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    await waitFor('three guarded errors', () => out.split('\n').filter((l) => l.includes('keeps serving')).length === 3);
    const port = Number(/port (\d+)/.exec(out)![1]);
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('serving');
    expect(proc.exitCode).toBeNull();
    const lines = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { msg: string; err: { message: string; stack?: string } });
    expect(lines.map((l) => l.err.message).sort()).toEqual(['a non-error value was thrown (object)', 'rejected with nobody listening', 'thrown in a timer']);
    expect(lines.find((l) => l.err.message === 'thrown in a timer')!.err.stack).toContain('guarded-proc.ts');
    expect(out).not.toContain('440106199001011234');
    expect(out).not.toContain('must not log twice');
  });
});
