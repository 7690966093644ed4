/**
 * `xiaojin sim base` as a process: it starts on the hall's dock, refuses goals until it
 * undocks, and walks the hall's aisle to a window; bad arguments exit with a usage error.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { BaseLink } from '../../../drivers/base/link.ts';
import type { Pose2D } from '../../../drivers/base/messages.ts';

const ROOT = join(import.meta.dirname, '../../..');
const BIN = join(ROOT, 'bin/xiaojin.mjs');
const children: ChildProcess[] = [];
const links: BaseLink[] = [];

afterEach(async () => {
  for (const l of links.splice(0)) await l.stop();
  for (const c of children.splice(0)) {
    if (c.exitCode === null) {
      const gone = new Promise((r) => c.once('exit', r));
      c.kill('SIGINT');
      await gone;
    }
  }
});

function startBase(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'sim', 'base', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let err = '';
    child.stderr!.on('data', (d) => {
      err += d;
      const m = /rosbridge (ws:\/\/\S+),/.exec(err);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`simulator exited (${code}): ${err}`)));
  });
}

describe('xiaojin sim base', () => {
  it('starts docked, undocks and walks the aisle to window B05', async () => {
    const url = await startBase(['--port', '0', '--time-scale', '40']);
    const base = new BaseLink({ url });
    links.push(base);
    base.start();
    await expect.poll(() => base.snapshot.link).toBe('up');
    expect(await base.navigateTo({ x: 22, y: 34, theta: Math.PI / 2 })).toMatchObject({ ok: false, reason: 'refused' });
    expect(await base.undock()).toMatchObject({ ok: true });
    const poses: Pose2D[] = [];
    base.on('progress', (p) => p.pose && poses.push(p.pose));
    expect(await base.navigateTo({ x: 22, y: 34, theta: Math.PI / 2 })).toMatchObject({ ok: true });
    // Along the floor's middle aisle (y = 20 on a 40 m floor), not across the seating.
    expect(poses.some((p) => Math.abs(p.y - 20) < 0.1 && p.x > 30 && p.x < 45)).toBe(true);
    const end = poses.at(-1)!;
    expect(Math.hypot(end.x - 22, end.y - 34)).toBeLessThan(0.2);
  });

  it('exits with a usage error on a bad port', async () => {
    const child = spawn(process.execPath, [BIN, 'sim', 'base', '--port', 'ninety'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise((r) => child.on('exit', r));
    expect(code).toBe(2);
    expect(err).toMatch(/--port must be a TCP port number, got 'ninety'/);
  });
});
