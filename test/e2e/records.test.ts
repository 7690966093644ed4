/**
 * 查询打印 and 主动提醒 end to end, in Debian's Chromium against the hall `npm start` runs:
 * the citizen taps 查询打印, signs in with the simulated reader, reads their social-security
 * record (masked, in both languages, in elderly mode too), and is told in plain words
 * when the gateway has no record, is down or is slow. At sign-in an older citizen with a
 * card ending soon sees both reminders, which go with sign-out and with the idle wipe.
 * Screens under test-artifacts/records/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startHall, type RunningHall } from '../../cli/hall.ts';
import { createLogger } from '../../electron/services/log.ts';
import { hallDate } from '../../electron/services/session.ts';
import { artifactDir, hallConfigWithIdle, launchChromium, openKioskHome, PORTRAIT, RESIDENT, type LaunchedBrowser } from './browser.ts';

const IDLE_SECONDS = 15;
const COUNTDOWN_SECONDS = 3;

let hall: RunningHall;
let chromium: LaunchedBrowser;
let page: Page;
let dataDir: string;
let configDir: string;
let kioskBase: string;
const shots = artifactDir('records');

async function post(base: string, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.ok, `${path} answered ${res.status}`).toBe(true);
}
const sim = (path: string, body: unknown) => post(kioskBase, path, body);
const gateway = (path: string, body: unknown) => post(hall.urls.datashare, path, body);

async function signIn(card: Record<string, string> = { card: 'resident' }, masked: string = RESIDENT.maskedName): Promise<void> {
  await sim('/sim/idcard/insert', card);
  await expect.poll(() => page.getByTestId('person').innerText().catch(() => ''), { timeout: 10_000 }).toContain(masked);
}

/** From home, signed in: 查询打印 → the record kind → its record (or its failure). */
async function openRecord(kind: string): Promise<void> {
  await page.getByTestId('home-records').click();
  await page.locator(`[data-testid="record-kinds"] [data-kind="${kind}"]`).click();
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'xj-records-e2e-'));
  configDir = hallConfigWithIdle('xj-records-config-', IDLE_SECONDS, COUNTDOWN_SECONDS);
  hall = await startHall({
    dataDir,
    configDir,
    ports: { central: 0, kiosk: 0, robot: 0 },
    log: createLogger('e2e-records', 'warn'),
    dataShare: { timeoutMs: 1500, deadlineMs: 3000, retries: 1, backoff: { baseMs: 50, maxMs: 100 } },
  });
  kioskBase = new URL(hall.urls.kiosk).origin;
  chromium = await launchChromium(PORTRAIT);
});

beforeEach(async () => {
  await sim('/sim/idcard/remove', {});
  await gateway('/sim/datashare/clear', {});
  hall.kiosk.hub.emit('kiosk.reset', { reason: 'next test' });
  page = await openKioskHome(chromium.browser, hall.urls.kiosk, page);
  await expect.poll(() => page.getByTestId('person').count()).toBe(0);
});

afterAll(async () => {
  await Promise.all([chromium?.close(), hall?.close()]);
  for (const d of [dataDir, configDir].filter(Boolean)) rmSync(d, { recursive: true, force: true });
});

describe('records at the kiosk', () => {
  it('asks for the ID card, then shows the social-security record large, masked, in Chinese and English', async () => {
    await page.getByTestId('home-records').click();
    await page.getByTestId('card-prompt').waitFor();
    await signIn();
    await page.locator('[data-testid="record-kinds"] [data-kind="social-security"]').click();
    const record = page.getByTestId('record');
    await record.waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('record-title').innerText()).toBe('广州市社会保险参保缴费记录');
    expect(await page.getByTestId('record-holder').innerText()).toContain(`${RESIDENT.maskedName} ${RESIDENT.maskedId}`);
    expect(await page.getByTestId('record-rows').innerText()).toContain('正常参保');
    expect(await page.getByTestId('record-table').locator('tbody tr').count()).toBe(12);
    // This kiosk has no A4 printer: no print button pretends it can print (with one: id-copy.test.ts).
    expect(await page.getByTestId('record-print-button').count()).toBe(0);
    const html = await page.content();
    expect(html).not.toContain(RESIDENT.name);
    expect(html).not.toContain(RESIDENT.idNumber);
    await page.screenshot({ path: join(shots, '01-social-security.png') });

    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => page.getByTestId('record-title').innerText()).toBe('Guangzhou social insurance contribution record');
    expect(await page.getByTestId('record-rows').innerText()).toContain('Employer');
    await page.getByTestId('lang-toggle').click();

    // Elderly mode: the same record, in larger type.
    const normal = await page.locator('.record-rows dd').first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    await page.getByTestId('elderly-toggle').click();
    await expect.poll(() => page.locator('.record-rows dd').first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).toBeGreaterThan(normal);
    await page.screenshot({ path: join(shots, '02-social-security-elderly.png') });
  });

  it('tells the citizen plainly when there is no record, the source is down (and retries), or it is too slow', async () => {
    await signIn();
    await gateway('/sim/datashare/fault', { mode: 'no-record', kind: 'income-tax' });
    await openRecord('income-tax');
    const failure = page.getByTestId('record-failure');
    await expect.poll(() => failure.getAttribute('data-reason'), { timeout: 15_000 }).toBe('no-record');
    expect(await failure.innerText()).toContain('没有查到您的这项记录');
    expect(await page.getByTestId('record-retry').count()).toBe(0);
    await page.screenshot({ path: join(shots, '03-no-record.png') });

    await page.getByTestId('go-home').click();
    await gateway('/sim/datashare/fault', { mode: 'down' });
    await openRecord('housing-fund');
    await expect.poll(() => failure.getAttribute('data-reason'), { timeout: 15_000 }).toBe('source-down');
    expect(await failure.innerText()).toContain('暂时无法访问，请稍后再试');
    await page.screenshot({ path: join(shots, '04-source-down.png') });
    // The source comes back: 再试一次 brings the record, nothing lost.
    await gateway('/sim/datashare/clear', {});
    await page.getByTestId('record-retry').click();
    await page.getByTestId('record').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('record-title').innerText()).toBe('广州住房公积金缴存记录');

    await page.getByTestId('go-home').click();
    await gateway('/sim/datashare/fault', { mode: 'slow', delayMs: 60_000 });
    await openRecord('real-estate');
    await page.getByTestId('record-asking').waitFor();
    await expect.poll(() => failure.getAttribute('data-reason'), { timeout: 15_000 }).toBe('timeout');
    expect(await failure.innerText()).toContain('查询时间过长');
    await page.screenshot({ path: join(shots, '05-timeout.png') });
  });
});

describe('reminders at sign-in', () => {
  /** A resident born 1960 whose card ends in 30 days, on the hall's calendar. */
  const soon = hallDate(new Date(Date.now() + 30 * 86_400_000));
  const elder = { card: 'resident', birth: '1960-05-01', validTo: soon };

  it("shows an older citizen's card and age reminders at sign-in, and takes them away at sign-out", async () => {
    await signIn(elder);
    const reminders = page.getByTestId('reminders');
    await expect.poll(() => reminders.getByTestId('card-expiry').innerText().catch(() => ''), { timeout: 10_000 }).toContain(soon);
    expect(await reminders.getByTestId('senior-reminder').innerText()).toContain('老年人优待卡');
    expect(await reminders.getByTestId('senior-reminder').innerText()).toContain('2020-05-01');
    await page.screenshot({ path: join(shots, '06-reminders.png') });
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => reminders.getByTestId('senior-reminder').innerText()).toContain('senior citizen concession card');
    await page.getByTestId('lang-toggle').click();

    await reminders.getByTestId('senior-open').click();
    await page.locator('[data-testid="guide"][data-code="GZ-WJ-002"]').waitFor();
    expect(await page.getByTestId('senior-reminder').count()).toBe(0);

    await page.getByTestId('sign-out').click();
    await page.getByTestId('home').waitFor();
    expect(await page.getByTestId('reminders').count()).toBe(0);
    expect(await page.getByTestId('card-expiry').count()).toBe(0);
    expect(await page.getByTestId('senior-reminder').count()).toBe(0);
  });

  it('shows no age reminder to a younger citizen, and the idle wipe takes the reminders away', async () => {
    await signIn({ card: 'resident', validTo: soon });
    await page.getByTestId('card-expiry').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('senior-reminder').count()).toBe(0);
    await sim('/sim/idcard/remove', {});

    // Another visitor steps up after the idle wipe: an older citizen's reminders come, and go with the countdown.
    await expect.poll(() => page.getByTestId('person').count(), { timeout: (IDLE_SECONDS + COUNTDOWN_SECONDS + 10) * 1000 }).toBe(0);
    await signIn(elder);
    await page.getByTestId('senior-reminder').waitFor({ timeout: 10_000 });
    await page.getByTestId('idle-countdown').waitFor({ timeout: (IDLE_SECONDS + 5) * 1000 });
    await expect.poll(() => page.getByTestId('reminders').count(), { timeout: (COUNTDOWN_SECONDS + 10) * 1000 }).toBe(0);
    expect(await page.getByTestId('person').count()).toBe(0);
    expect(await page.content()).not.toContain('老年人优待卡');
  });
});
