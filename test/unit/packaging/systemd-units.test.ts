/**
 * The browser kiosk's and the platform's systemd units, checked by systemd itself
 * (`systemd-analyze verify`, installed by .ci/run). The units name the installed command
 * /usr/local/bin/xiaojin, which verify requires to exist; here it is pointed at this
 * checkout's bin/xiaojin.mjs, the file `npm install -g` links there.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const UNITS = join(ROOT, 'deploy/systemd');
const INSTALLED = '/usr/local/bin/xiaojin';
const run = promisify(execFile);

/** Verify a unit (as a system or a user unit) with ExecStart= pointed at `command`. */
async function verify(unit: string, scope: 'system' | 'user', command = join(ROOT, 'bin/xiaojin.mjs')): Promise<{ ok: boolean; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'xiaojin-units-'));
  const file = join(dir, unit);
  writeFileSync(file, readFileSync(join(UNITS, unit), 'utf8').replaceAll(INSTALLED, command));
  // A user manager needs a runtime directory, which a CI container's root has none of.
  const env = { ...process.env, XDG_RUNTIME_DIR: mkdtempSync(join(tmpdir(), 'xiaojin-run-')), SYSTEMD_LOG_COLOR: '0' };
  const args = [...(scope === 'user' ? ['--user'] : []), 'verify', file];
  try {
    const { stdout, stderr } = await run('systemd-analyze', args, { env });
    return { ok: true, output: stdout + stderr };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? e.message}` };
  }
}

describe('systemd units', () => {
  it.each([
    { unit: 'xiaojin-server.service', scope: 'system', command: 'server', wantedBy: 'multi-user.target' },
    { unit: 'xiaojin-kiosk.service', scope: 'user', command: 'kiosk', wantedBy: 'graphical-session.target' },
  ] as const)('$unit passes systemd-analyze verify as a $scope unit and is restarted when it dies', async ({ unit, scope, command, wantedBy }) => {
    const result = await verify(unit, scope);
    expect(result.output).toBe('');
    expect(result.ok).toBe(true);
    const text = readFileSync(join(UNITS, unit), 'utf8');
    expect(text).toMatch(new RegExp(`^ExecStart=${INSTALLED} ${command} `, 'm'));
    expect(text).toMatch(/^Restart=always$/m);
    expect(text).toMatch(/^RestartSec=\d+$/m);
    expect(text).toMatch(new RegExp(`^WantedBy=${wantedBy}$`, 'm'));
  });

  it('verify fails a unit whose command is not there', async () => {
    const result = await verify('xiaojin-server.service', 'system', join(tmpdir(), 'no-such-xiaojin'));
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/is not executable/);
  });
});
