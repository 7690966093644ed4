/**
 * 故障记录 end to end, in Debian's Chromium against the hall `npm start` runs: the kiosk's
 * simulated printer runs out of paper, the kiosk notices and records it, the console's
 * fault history shows it as ongoing in the devices-by-day grid and the list, and once the
 * paper is refilled shows its recovery and how long it took. Screens under test-artifacts/faults/.
 */
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { hallDay } from '../../protocol/clock.ts';
import { artifactDir, LANDSCAPE } from './browser.ts';
import { hallInChromium, initialAdmin, type SuiteHall } from './suite-hall.ts';

let suite: SuiteHall;
let page: Page;
const shots = artifactDir('faults');

async function sim(path: string, body: unknown): Promise<void> {
  const res = await fetch(`${new URL(suite.hall.urls.kiosk).origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.ok, `${path} answered ${res.status}`).toBe(true);
}

beforeAll(async () => {
  suite = await hallInChromium('faults', LANDSCAPE);
  page = await suite.chromium.browser.newPage();
});

afterAll(async () => {
  await page?.close();
  await suite?.close();
});

describe('故障记录', () => {
  it("shows the kiosk's printer out of paper, then its recovery once the paper is refilled", async () => {
    const { username, password } = initialAdmin(dirname(suite.hall.adminPasswordFile));
    await page.goto(suite.hall.urls.console);
    await page.fill('input[name=username]', username);
    await page.fill('input[name=password]', password);
    await page.click('button[type=submit]');
    await page.getByRole('button', { name: '故障记录' }).click();
    await page.getByRole('heading', { name: '故障记录' }).waitFor();

    const episode = page.locator('[data-testid=fault-episode][data-terminal=kiosk-1][data-device=printer]');
    const refresh = page.getByRole('button', { name: '刷新' });
    expect(await episode.count()).toBe(0);
    // The page reloads by itself every few seconds; 刷新 asks at once.
    const shows = (row: Locator) =>
      expect
        .poll(async () => {
          await refresh.click();
          return row.count();
        })
        .toBe(1);

    await sim('/sim/printer/paper', { lines: 0 });
    const ongoing = episode.and(page.locator('[data-recovered=no]'));
    await shows(ongoing);
    expect(await ongoing.innerText()).toContain('未恢复');
    expect(await ongoing.innerText()).toMatch(/缺纸|paper out/);
    const today = page.locator(`[data-testid=fault-row][data-terminal=kiosk-1][data-device=printer] td[data-day="${hallDay(Date.now())}"]`);
    expect(await today.innerText()).toBe('1');
    expect(await today.getAttribute('class')).toContain('heat-1');
    await page.screenshot({ path: join(shots, 'printer-out.png'), fullPage: true });

    await sim('/sim/printer/paper', { lines: 1000 });
    const back = episode.and(page.locator('[data-recovered=yes]'));
    await shows(back);
    expect(await episode.count()).toBe(1);
    expect(await back.innerText()).toMatch(/\d+ 秒/);
    expect(await back.innerText()).not.toContain('未恢复');
    await page.screenshot({ path: join(shots, 'printer-recovered.png'), fullPage: true });
  });
});
