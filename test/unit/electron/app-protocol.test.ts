import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assetPath, serveAsset } from '../../../electron/shell/app-protocol.ts';
import { contentSecurityPolicy } from '../../../electron/shell/security.ts';

const base = mkdtempSync(join(tmpdir(), 'xiaojin-protocol-'));
const dir = join(base, 'renderer');

beforeAll(() => {
  mkdirSync(join(dir, 'kiosk'), { recursive: true });
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'kiosk/index.html'), '<!doctype html><title>小今</title>');
  writeFileSync(join(dir, 'assets/kiosk-1a2b.js'), 'console.log(1)');
  writeFileSync(join(base, 'secret.txt'), 'not for the page');
});

const get = (url: string, method = 'GET') => serveAsset(dir, { url, method });

describe('xiaojin:// protocol', () => {
  it('serves the built pages with the CSP and the right type', async () => {
    const res = await get('xiaojin://app/kiosk/index.html');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(contentSecurityPolicy());
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('小今');
    const js = await get('xiaojin://app/assets/kiosk-1a2b.js');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('answers a folder with its index page', async () => {
    expect(await (await get('xiaojin://app/kiosk/')).text()).toContain('小今');
    expect(await (await get('xiaojin://app/kiosk')).text()).toContain('小今');
  });

  it('never serves anything outside the renderer folder', async () => {
    for (const url of [
      'xiaojin://app/../secret.txt',
      'xiaojin://app/%2e%2e/secret.txt',
      'xiaojin://app/kiosk/..%2f..%2fsecret.txt',
      'xiaojin://app/..%5csecret.txt',
      'xiaojin://app/kiosk/index.html%00.js',
      'xiaojin://app/%E0%A4%A',
      'xiaojin://other/kiosk/index.html',
      'https://app/kiosk/index.html',
    ]) {
      const res = await get(url);
      expect(res.status, url).toBe(404);
      expect(await res.text(), url).not.toContain('not for the page');
    }
    expect(assetPath(dir, 'xiaojin://app/kiosk/../kiosk/index.html')).toBe(join(dir, 'kiosk/index.html'));
  });

  it('answers missing files with 404 and writes with 405, both under the CSP', async () => {
    const missing = await get('xiaojin://app/console/index.html');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toBe(contentSecurityPolicy());
    expect((await get('xiaojin://app/kiosk/index.html', 'POST')).status).toBe(405);
  });
});
