/**
 * The console's 一件事 page in Debian Chromium against a platform started here: staff change
 * a bundle's services and acceptance, a bundle whose 综合窗口 does not take its queue's
 * tickets is refused naming the field with the draft kept, and the fixed bundle reaches a
 * live kiosk as the next configuration version.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../server/app.ts';
import { launchChromium, artifactDir, type LaunchedBrowser } from './browser.ts';
import { ADMIN, kiosk, online, removeTempDirs, Staff, tempDir, waitFor, type TestKiosk } from '../integration/server/helpers.ts';

const STATIC = resolve(import.meta.dirname, '../../dist/renderer');
let server: RunningServer;
let browser: LaunchedBrowser;
let page: Page;
let k: TestKiosk;
const shots = artifactDir('console');

beforeAll(async () => {
  browser = await launchChromium({ width: 1440, height: 900 });
});

afterAll(async () => {
  await browser?.close();
  removeTempDirs();
});

beforeEach(async () => {
  server = await startServer({ port: 0, dataDir: tempDir(), logLevel: 'silent', seedAdmin: ADMIN, staticDir: STATIC });
  const staff = await Staff.login(server.url);
  k = await kiosk(server.url, await staff.code('kiosk', 1, 'kiosk-1'), { withConfig: true });
  await online(k.client);
  page = await browser.browser.newPage();
});

afterEach(async () => {
  await page?.close();
  await k?.close();
  await server?.close();
});

describe('the console\'s 一件事 page', () => {
  it('edits a bundle, refuses a 综合窗口 off its queue naming the field, and the kiosk runs the fixed one', async () => {
    await page.goto(`${server.url}/console/`);
    await page.fill('input[name=username]', ADMIN.username);
    await page.fill('input[name=password]', ADMIN.password);
    await page.click('button[type=submit]');
    await page.getByRole('navigation').getByRole('button', { name: '一件事' }).click();
    const newborn = page.locator('li.menu-entry[data-bundle="newborn"]');
    await newborn.getByRole('button', { name: '编辑' }).click();
    await newborn.getByRole('button', { name: '移除 社会保障卡申领' }).click();
    await newborn.getByRole('button', { name: '上移 城乡居民医疗保险参保登记' }).click();
    await newborn.locator('select[name=group]').selectOption('fund');
    await page.getByRole('button', { name: '保存为新版本' }).click();
    await expect.poll(() => page.locator('.problems').innerText().catch(() => '')).toContain('window B09 does not serve queue group fund');
    expect(await page.locator('.problems code').first().innerText()).toBe('[1].window');
    expect(server.ctx.config.version).toBe(1);

    // The draft is still there to fix: the fund queue's own window.
    await newborn.locator('select[name=window]').selectOption('A06');
    await page.getByRole('button', { name: '保存为新版本' }).click();
    await page.getByRole('status').filter({ hasText: '已保存为第 2 版' }).waitFor();
    await waitFor('the kiosk to run version 2', () => k.client.configVersion === 2);
    const bundle = k.config!.config.bundles.find((b) => b.id === 'newborn')!;
    expect(bundle.items.map((i) => i.item)).toEqual(['GZ-YB-001', 'GZ-GA-002']);
    expect(bundle).toMatchObject({ group: 'fund', acceptance: 'one-window', window: 'A06' });
    await page.screenshot({ path: join(shots, 'bundles.png') });
  });
});
