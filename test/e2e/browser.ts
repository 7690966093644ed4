/**
 * Debian's Chromium driven by playwright-core: the flags keep it off the network this
 * machine does not have, and each launch gets a fresh profile.
 */
import { cpSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DEFAULT_CONFIG_DIR } from '../../config/load.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = resolve(import.meta.dirname, '../../test-artifacts');

export const PORTRAIT = { width: 1080, height: 1920 };
export const LANDSCAPE = { width: 1920, height: 1080 };

/** The simulated reader's resident card ('resident' fixture) and how the screens may show it. */
export const RESIDENT = { name: '李今华', maskedName: '李*华', idNumber: '440104196803150038', maskedId: '4401**********0038' } as const;

export interface LaunchedBrowser {
  browser: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(viewport = LANDSCAPE, extraArgs: string[] = []): Promise<LaunchedBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'xiaojin-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', ...extraArgs],
  });
  return {
    browser: context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Where a test keeps its screenshots: test-artifacts/<suite>/. */
export function artifactDir(suite: string): string {
  const dir = join(ARTIFACTS, suite);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A fresh kiosk page at home in place of the last test's, so no screen state carries over; page errors are printed. */
export async function openKioskHome(browser: BrowserContext, url: string, previous?: Page): Promise<Page> {
  await previous?.close();
  const page = await browser.newPage();
  page.on('pageerror', (err) => console.error('kiosk page error:', err.message));
  await page.goto(url);
  await page.getByTestId('home').waitFor({ timeout: 20_000 });
  await waitForTakeover(page);
  return page;
}

/** The host serves the kiosk's home screen drawn; this waits for the page's script to have taken it over. */
export async function waitForTakeover(page: Page): Promise<void> {
  await page.waitForFunction(() => performance.getEntriesByName('kiosk:ready').length > 0, null, { timeout: 20_000 });
}

/**
 * A copy of the bundled hall's configuration in a fresh folder, its terminals timing out
 * idle after the given seconds (the hall's minimum is 15), so an idle test waits 18 s, not 70.
 */
export function hallConfigWithIdle(prefix: string, idleTimeoutSeconds: number, idleCountdownSeconds: number): string {
  const configDir = mkdtempSync(join(tmpdir(), prefix));
  cpSync(DEFAULT_CONFIG_DIR, configDir, { recursive: true });
  const kiosksFile = join(configDir, 'kiosks.json');
  const kiosks = JSON.parse(readFileSync(kiosksFile, 'utf8')) as { idleTimeoutSeconds: number; idleCountdownSeconds: number }[];
  for (const k of kiosks) Object.assign(k, { idleTimeoutSeconds, idleCountdownSeconds });
  writeFileSync(kiosksFile, JSON.stringify(kiosks, null, 1));
  return configDir;
}
