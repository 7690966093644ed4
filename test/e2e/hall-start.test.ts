/**
 * The foundation journey: `xiaojin start` (what `npm start` runs) brings the hall up,
 * prints its URLs, the kiosk page shows the default hall's menu in Chinese at both
 * orientations, and Ctrl-C stops everything cleanly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactDir, LANDSCAPE, launchChromium, PORTRAIT, type LaunchedBrowser } from './browser.ts';

const ROOT = resolve(import.meta.dirname, '../..');

/** A base port with the five after it free too (kiosk, robot, robot base, gateway simulator, teller machine). */
async function freeBase(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 30000);
    const ok = await Promise.all(
      [0, 1, 2, 3, 4, 5].map(
        (d) =>
          new Promise<boolean>((res) => {
            const s = createServer();
            s.once('error', () => res(false));
            s.listen(base + d, '127.0.0.1', () => s.close(() => res(true)));
          }),
      ),
    );
    if (ok.every(Boolean)) return base;
  }
  throw new Error('no free ports');
}

describe('npm start', () => {
  let child: ChildProcess;
  let output = '';
  let dataDir: string;
  const urls: Record<string, string> = {};
  let chromium: LaunchedBrowser;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'xiaojin-hall-'));
    const base = await freeBase();
    child = spawn(process.execPath, ['bin/xiaojin.mjs', 'start', '--port', String(base), '--data', dataDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const started = Date.now();
    await new Promise<void>((res, rej) => {
      const timer = setInterval(() => {
        if (output.includes('Press Ctrl-C to stop.')) {
          clearInterval(timer);
          res();
        } else if (child.exitCode !== null || Date.now() - started > 60_000) {
          clearInterval(timer);
          rej(new Error(`hall did not start within a minute:\n${output}`));
        }
      }, 100);
    });
    for (const [label, key] of [['citizen kiosk', 'kiosk'], ['robot screen', 'robot'], ['teller machine', 'teller'], ['staff console', 'console'], ['window terminal', 'window'], ['call display', 'display'], ['central platform', 'central']]) {
      const m = new RegExp(`${label}\\s+(http\\S+)`).exec(output);
      if (m) urls[key] = m[1];
    }
    chromium = await launchChromium(PORTRAIT);
  });

  afterAll(async () => {
    await chromium?.close();
    if (child && child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints the URL of every screen', () => {
    expect(Object.keys(urls).sort()).toEqual(['central', 'console', 'display', 'kiosk', 'robot', 'teller', 'window']);
  });

  it('runs the 24/7 teller machine beside the hall kiosk, saying it is self-service around the clock', async () => {
    const page = await chromium.browser.newPage();
    await page.goto(urls.teller);
    await expect.poll(() => page.getByTestId('self-service-hours').textContent(), { timeout: 20_000 }).toBe('自助服务 · 24小时');
    await page.getByTestId('home').waitFor();
    // The hall kiosk is staffed: no such notice there.
    const kiosk = await chromium.browser.newPage();
    await kiosk.goto(urls.kiosk);
    await kiosk.getByTestId('home').waitFor({ timeout: 20_000 });
    expect(await kiosk.getByTestId('self-service-hours').count()).toBe(0);
    await page.screenshot({ path: join(artifactDir('hall'), 'teller-home.png') });
    await Promise.all([page.close(), kiosk.close()]);
  });

  for (const [label, viewport] of [['portrait', PORTRAIT], ['landscape', LANDSCAPE]] as const) {
    it(`shows the default hall's menu in Chinese (${label})`, async () => {
      const page = await chromium.browser.newPage();
      await page.setViewportSize(viewport);
      await page.goto(urls.kiosk);
      const home = page.getByTestId('home');
      await home.waitFor({ timeout: 20_000 });
      const text = await home.innerText();
      // Hall-written items and imported catalogue items both reach the menu.
      expect(text).toContain('社会保障卡申领');
      expect(text).toContain('住房公积金提取');
      expect(text).toMatch(/出生|入学|社保/);
      expect(text).toMatch(/广东省\S+厅/);
      await page.screenshot({ path: join(artifactDir('hall'), `kiosk-home-${label}.png`), fullPage: false });
      await page.close();
    });
  }

  it('stops everything on Ctrl-C', async () => {
    const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('stopped.');
  });
});
