import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { logFileBase, rollingLogSettings } from '../../../common/log-destination.ts';

describe('rolling log settings', () => {
  it('is standard output unless a folder is given', () => {
    expect(rollingLogSettings({})).toBeNull();
    expect(rollingLogSettings({ XIAOJIN_LOG_DIR: '  ' })).toBeNull();
    expect(rollingLogSettings({ XIAOJIN_LOG_DIR: '/var/log/xiaojin' })).toEqual({ dir: '/var/log/xiaojin', size: '10m', keep: 9 });
    expect(rollingLogSettings({ XIAOJIN_LOG_DIR: '/l', XIAOJIN_LOG_SIZE: '512K', XIAOJIN_LOG_KEEP: '3' })).toEqual({ dir: '/l', size: '512k', keep: 3 });
  });

  it('names the variable that is wrong', () => {
    expect(() => rollingLogSettings({ XIAOJIN_LOG_DIR: '/l', XIAOJIN_LOG_SIZE: 'lots' })).toThrow(/XIAOJIN_LOG_SIZE/);
    expect(() => rollingLogSettings({ XIAOJIN_LOG_DIR: '/l', XIAOJIN_LOG_SIZE: '0k' })).toThrow(/XIAOJIN_LOG_SIZE/);
    expect(() => rollingLogSettings({ XIAOJIN_LOG_DIR: '/l', XIAOJIN_LOG_KEEP: '0' })).toThrow(/XIAOJIN_LOG_KEEP/);
    expect(() => rollingLogSettings({ XIAOJIN_LOG_DIR: '/l', XIAOJIN_LOG_KEEP: 'all' })).toThrow(/XIAOJIN_LOG_KEEP/);
  });

  it('makes file names that are safe on every system', () => {
    expect(logFileBase('kiosk:kiosk-1')).toBe('kiosk-kiosk-1');
    expect(logFileBase('central-node a')).toBe('central-node-a');
    expect(logFileBase('::')).toBe('xiaojin');
  });
});

describe('rolling log files', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  // Two processes one after the other, as a platform restarted after a crash: the second
  // prunes what the first rolled, and no line of the last one is lost at exit.
  it('rolls by size, keeps the configured count across restarts and flushes at exit', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xiaojin-logs-'));
    dirs.push(dir);
    const script = (run: number) => `
      const { createLogger } = await import(${JSON.stringify(join(process.cwd(), 'server/log.ts'))});
      const log = createLogger('info');
      const again = createLogger('info');
      // A working process logs between turns of its event loop, where pino-roll rolls (once
      // the file stream has drained); one synchronous burst would all land in one file.
      for (let i = 0; i < 1500; i++) {
        (i % 2 ? log : again).info({ run: ${run}, i, filler: 'x'.repeat(40) }, 'line');
        if (i % 25 === 24) await new Promise((r) => setImmediate(r));
      }
      log.info({ run: ${run} }, 'last line');
    `;
    const env = { ...process.env, XIAOJIN_LOG_DIR: dir, XIAOJIN_LOG_SIZE: '16k', XIAOJIN_LOG_KEEP: '3' };
    for (const run of [1, 2]) execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script(run)], { env, stdio: 'pipe' });

    const files = readdirSync(dir).sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
    expect(files.every((f) => /^central\.\d+\.log$/.test(f))).toBe(true);
    expect(files.length).toBeLessThanOrEqual(4);
    // 3,000 lines of ~150 bytes fill ~28 files of 16 kB: rolling happened many times.
    expect(Math.max(...files.map((f) => Number(f.split('.')[1])))).toBeGreaterThan(10);
    for (const f of files) expect(statSync(join(dir, f)).size).toBeLessThan(64 * 1024);
    const newest = readFileSync(join(dir, files[files.length - 1]), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(newest[newest.length - 1]).toMatchObject({ run: 2, msg: 'last line', svc: 'xiaojin-central' });
  });

  it('logs to standard error, and keeps running, when the folder cannot be made', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xiaojin-logs-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'a-file'), '');
    const script = `
      const { createLogger } = await import(${JSON.stringify(join(process.cwd(), 'server/log.ts'))});
      const log = createLogger('info');
      log.info({ n: 1 }, 'still heard');
      setImmediate(() => log.info({ n: 2 }, 'after the failure'));
    `;
    const env = { ...process.env, XIAOJIN_LOG_DIR: join(dir, 'a-file', 'logs') };
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env, encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('cannot write the log file');
    expect(run.stderr).toContain('"msg":"still heard"');
    expect(run.stderr).toContain('"msg":"after the failure"');
  });
});
