/**
 * 一件事 and the 待办清单 end to end, in Debian's Chromium against the hall `npm start` runs:
 * from the home screen to a bundle, its combined questionnaire and its material list with
 * each material once, one ticket and one printed list on the simulated receipt printer;
 * and a list collected while browsing, kept on the platform across two sign-ins with the
 * simulated card reader, then deleted by the citizen. Screens under test-artifacts/bundles/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startHall, type RunningHall } from '../../cli/hall.ts';
import { createLogger } from '../../electron/services/log.ts';
import { queueOf } from '../../server/queue/index.ts';
import { openHallClock } from '../helpers/open-hall-clock.ts';
import { cardReader } from '../helpers/card-reader.ts';
import { artifactDir, hallConfigWithIdle, launchChromium, openKioskHome, PORTRAIT, RESIDENT, type LaunchedBrowser } from './browser.ts';

const IDLE_SECONDS = 15;
const COUNTDOWN_SECONDS = 3;

let hall: RunningHall;
let chromium: LaunchedBrowser;
let page: Page;
let dataDir: string;
let configDir: string;
let kioskBase: string;
const shots = artifactDir('bundles');

async function sim(path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${kioskBase}${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.ok, `${path} answered ${res.status}`).toBe(true);
  const text = await res.text();
  return text ? JSON.parse(text) : null;
}

const receipts = async () => (await sim('/sim/printer/receipts')) as { text: string }[];
const storedLists = () => hall.central.ctx.db.query<{ id_key: string; entries: string }>('SELECT id_key, entries FROM pending_lists');

const reader = cardReader(() => hall);

async function signIn(): Promise<void> {
  await reader.insert({ card: 'resident' });
  await expect.poll(() => page.getByTestId('person').innerText().catch(() => ''), { timeout: 10_000 }).toContain(RESIDENT.maskedName);
}

/** Signs out on screen and takes the card off the reader, as a citizen leaving does. */
async function signOut(): Promise<void> {
  await page.getByTestId('sign-out').click();
  await expect.poll(() => page.getByTestId('person').count()).toBe(0);
  await reader.take();
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'xj-bundles-e2e-'));
  configDir = hallConfigWithIdle('xj-bundles-config-', IDLE_SECONDS, COUNTDOWN_SECONDS);
  hall = await startHall({ dataDir, configDir, ports: { central: 0, kiosk: 0, robot: 0 }, log: createLogger('e2e-bundles', 'warn') });
  kioskBase = new URL(hall.urls.kiosk).origin;
  // A weekday morning on both ends: the hall issues tickets only while open.
  const clock = openHallClock();
  queueOf(hall.central.ctx)!.clock.source = clock;
  hall.kiosk.get('queue').clock.source = clock;
  chromium = await launchChromium(PORTRAIT);
});

beforeEach(async () => {
  await reader.take();
  await hall.kiosk.router.dispatch('session.signOut', { reason: 'reset' });
  await sim('/sim/printer/paper', { lines: 1000 });
  hall.kiosk.hub.emit('kiosk.reset', { reason: 'next test' });
  page = await openKioskHome(chromium.browser, hall.urls.kiosk, page);
  await expect.poll(() => page.getByTestId('person').count()).toBe(0);
});

afterAll(async () => {
  await Promise.all([chromium?.close(), hall?.close()]);
  for (const d of [dataDir, configDir].filter(Boolean)) rmSync(d, { recursive: true, force: true });
});

describe('一件事 bundles', () => {
  it('goes from the home screen to one material list with each material once, one printed list and one ticket', async () => {
    await page.getByTestId('home-bundles').click();
    await page.locator('[data-testid="bundles"] [data-bundle="newborn"]').click();
    await page.locator('[data-testid="bundle"][data-bundle="newborn"]').waitFor();
    expect(await page.locator('[data-testid="bundle-items"] li').count()).toBe(3);
    const materials = page.getByTestId('combined-materials');
    // 出生医学证明 is asked for by 户口 and 医保 alike: listed once, for both.
    await expect.poll(() => materials.locator('[data-material="出生医学证明"]').count()).toBe(1);
    const birth = await materials.locator('[data-material="出生医学证明"]').innerText();
    expect(birth).toContain('户口迁入');
    expect(birth).toContain('城乡居民医疗保险参保登记');
    const names = await materials.locator('li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-material')));
    expect(new Set(names).size).toBe(names.length);
    expect(await page.getByTestId('bundle-windows').innerText()).toContain('B09');
    await page.screenshot({ path: join(shots, '01-newborn.png') });

    const before = (await receipts()).length;
    await page.getByTestId('print-materials').click();
    await page.getByTestId('print-done').waitFor({ timeout: 15_000 });
    const printed = await receipts();
    expect(printed).toHaveLength(before + 1);
    const slip = printed[printed.length - 1].text;
    expect(slip).toContain('新生儿出生');
    expect(slip).toContain('合并材料清单');
    for (const item of ['户口迁入（新生儿入户（出生登记））', '城乡居民医疗保险参保登记（新生儿参保）', '社会保障卡申领（首次申领）']) expect(slip).toContain(item);
    expect(slip.split('出生医学证明').length - 1).toBe(1);
    expect(slip).toContain('用于[1][2]');

    await page.getByTestId('bundle-ticket').click();
    await page.getByTestId('ticket').waitFor({ timeout: 15_000 });
    const number = await page.getByTestId('ticket-number').innerText();
    // The bundle's one ticket is in 综合受理 (prefix F), served at B09.
    expect(number).toMatch(/^F\d{3}$/);
    expect(await page.getByTestId('ticket-windows').innerText()).toContain('B09');
    await expect.poll(async () => (await receipts()).length).toBe(before + 2);
    expect((await receipts()).at(-1)!.text).toContain(number);
    await page.screenshot({ path: join(shots, '02-ticket.png') });
  });

  it('asks each service\'s own question in one questionnaire and lists that case\'s materials', async () => {
    await page.getByTestId('home-bundles').click();
    await page.locator('[data-testid="bundles"] [data-bundle="open-restaurant"]').click();
    await page.getByTestId('bundle-question').waitFor();
    await page.locator('[data-testid="bundle-question"] [data-option="个体工商户注册"]').click();
    await expect.poll(() => page.getByTestId('bundle-question').count()).toBe(0);
    await expect.poll(() => page.getByTestId('combined-materials').innerText()).toContain('个体工商户登记（备案）申请书');
    expect(await page.getByTestId('bundle-items').innerText()).toContain('个体工商户注册');
    expect(await page.getByTestId('bundle-windows').innerText()).toContain('D01');
  });
});

describe('待办清单', () => {
  it('keeps a list across two sign-ins on the platform, and deletes it there when the citizen clears it', async () => {
    await hall.central.ctx.db.run('DELETE FROM pending_lists');
    // Collected before signing in: it joins the stored list at sign-in.
    await page.locator('.tiles.hot [data-code="GZ-GA-001"]').click();
    await page.locator('[data-testid="guide"][data-code="GZ-GA-001"]').waitFor();
    await page.getByTestId('add-pending').click();
    await page.getByTestId('view-pending').waitFor();
    await signIn();
    await expect.poll(async () => (await storedLists()).length).toBe(1);

    await page.getByTestId('go-home').click();
    await page.getByTestId('home-bundles').click();
    await page.locator('[data-testid="bundles"] [data-bundle="newborn"]').click();
    await page.getByTestId('add-pending').click();
    await expect.poll(async () => JSON.parse((await storedLists())[0]?.entries ?? '[]')).toEqual([
      { kind: 'item', code: 'GZ-GA-001' },
      { kind: 'bundle', id: 'newborn' },
    ]);
    const row = JSON.stringify(await storedLists());
    expect(row).not.toContain(RESIDENT.idNumber);
    expect(row).not.toContain(RESIDENT.name);

    await page.getByTestId('view-pending').click();
    await expect.poll(() => page.locator('[data-testid="pending-entries"] li').count()).toBe(2);
    expect(await page.getByTestId('pending-status').innerText()).toContain('已保存');
    // 居住证 and the newborn bundle both ask for 居民身份证: once on the combined list.
    await expect.poll(() => page.locator('[data-testid="combined-materials"] [data-material="居民身份证"]').count()).toBe(1);
    await page.screenshot({ path: join(shots, '03-pending.png') });

    // Signing out wipes the screen's copy; the platform keeps the list.
    await signOut();
    await page.getByTestId('home').waitFor();
    expect(await page.getByTestId('home-pending').count()).toBe(0);

    // The next visit: the card brings the list back.
    await signIn();
    await expect.poll(() => page.getByTestId('home-pending').innerText()).toContain('2');
    await page.getByTestId('home-pending').click();
    await expect.poll(() => page.locator('[data-testid="pending-entries"] li').count()).toBe(2);
    const before = (await receipts()).length;
    await page.getByTestId('print-materials').click();
    await page.getByTestId('print-done').waitFor({ timeout: 15_000 });
    const slip = (await receipts()).at(-1)!.text;
    expect(slip).toContain('待办清单');
    // Once as a material line (父母双方居民身份证 of 新生儿入户 is another material).
    expect(slip.match(/\d+\. 居民身份证（/g)).toHaveLength(1);
    expect(await receipts()).toHaveLength(before + 1);

    // 清空 deletes it on the platform too: the next sign-in finds nothing.
    await page.getByTestId('pending-clear').click();
    await page.getByTestId('pending-empty').waitFor();
    await expect.poll(async () => (await storedLists()).length).toBe(0);
    await signOut();
    await signIn();
    await page.getByTestId('home').waitFor();
    // Give the sign-in's load its answer: the stored list, empty, is asked for and comes back.
    await expect.poll(async () => (await hall.kiosk.router.dispatch('pending.load', {})).ok).toBe(true);
    expect(await page.getByTestId('home-pending').count()).toBe(0);
  });

  it('wipes an unsigned list at the idle timeout, from the home screen too, and keeps nothing of it on the platform', async () => {
    await hall.central.ctx.db.run('DELETE FROM pending_lists');
    await page.locator('.tiles.hot [data-code="GZ-GA-001"]').click();
    await page.getByTestId('add-pending').click();
    await page.getByTestId('go-home').click();
    await expect.poll(() => page.getByTestId('home-pending').count()).toBe(1);
    // Nobody touches the screen: the idle countdown runs on the home screen too while a list is on it, and wipes it.
    await page.getByTestId('idle-countdown').waitFor({ timeout: (IDLE_SECONDS + 5) * 1000 });
    await expect.poll(() => page.getByTestId('home-pending').count(), { timeout: (COUNTDOWN_SECONDS + 10) * 1000 }).toBe(0);
    expect(await storedLists()).toEqual([]);
  });
});
