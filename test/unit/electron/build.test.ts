/**
 * The Electron binary cannot be downloaded here, so the bundles are checked by reading
 * them: the preload may require nothing but 'electron', and main.js loads Electron itself
 * and leaves npm packages to node_modules. What main.js does with Electron is the shell's
 * work, tested in process in kiosk-shell.test.ts.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../../..');
mkdirSync(join(ROOT, 'dist'), { recursive: true });
// Inside the checkout so the bundle resolves the project's node_modules as dist/electron would.
const out = mkdtempSync(join(ROOT, 'dist', 'electron-test-'));

beforeAll(async () => {
  await run(process.execPath, [join(ROOT, 'scripts/build-electron.mjs'), '--out', out, '--skip-renderer'], { cwd: ROOT, timeout: 60_000 });
}, 60_000);

afterAll(() => {
  rmSync(out, { recursive: true, force: true });
});

/** Every module a bundle loads, whether by require() or by import. */
function loads(code: string): string[] {
  const found = new Set<string>();
  for (const m of code.matchAll(/\brequire\d*\(\s*["']([^"']+)["']\s*\)/g)) found.add(m[1]);
  for (const m of code.matchAll(/\)\(\s*["']([^"']+)["']\s*\)/g)) found.add(m[1]);
  for (const m of code.matchAll(/^\s*import\s[^;]*?from\s*["']([^"']+)["']/gm)) found.add(m[1]);
  for (const m of code.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)) found.add(m[1]);
  return [...found].sort();
}

describe('Electron bundles', () => {
  it('writes main.js and a CommonJS preload.cjs', () => {
    expect(existsSync(join(out, 'main.js'))).toBe(true);
    expect(existsSync(join(out, 'preload.cjs'))).toBe(true);
  });

  it('preload.cjs loads nothing but electron, as a sandboxed preload must', () => {
    const code = readFileSync(join(out, 'preload.cjs'), 'utf8');
    expect(loads(code)).toEqual(['electron']);
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    expect(code).toContain('exposeInMainWorld("xiaojin"');
    // The page must never be handed ipcRenderer itself.
    expect(code).not.toMatch(/exposeInMainWorld\(\s*"[^"]*"\s*,\s*(ipcRenderer|\{[^}]*ipcRenderer)/);
    expect(code.match(/exposeInMainWorld\(/g)).toHaveLength(1);
  });

  it('main.js loads electron and leaves npm packages to node_modules', () => {
    const code = readFileSync(join(out, 'main.js'), 'utf8');
    const mods = loads(code);
    expect(mods).toContain('electron');
    expect(mods).toContain('zod');
    expect(mods.filter((m) => m.startsWith('.'))).toEqual([]);
    expect(code).toMatch(/createRequire\d*\(import\.meta\.url\)\("electron"\)/);
  });
});
