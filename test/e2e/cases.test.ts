/**
 * 办件进度 end to end in Chromium against the hall `npm start` runs: a signed-in citizen
 * takes a ticket at the kiosk, the clerk at window B02 calls it, accepts the case and
 * prints the 受理回执, whose QR code is read off the screen's receipt by zbar; the clerk
 * returns the case for a missing material and moves it on to 待领取; the citizen sees
 * each step at the kiosk by ID card, in Chinese, English and elderly mode, and, signed
 * out, by holding the receipt to the kiosk's simulated scanner.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startHall, type RunningHall } from '../../cli/hall.ts';
import { createLogger } from '../../electron/services/log.ts';
import { artifactDir, LANDSCAPE, launchChromium, PORTRAIT, type LaunchedBrowser } from './browser.ts';
import { queueOf } from '../../server/queue/index.ts';
import { openHallClock } from '../helpers/open-hall-clock.ts';
import { initialAdmin } from './suite-hall.ts';
import { casesOf } from '../../server/cases/index.ts';
import { randomUUID } from 'node:crypto';

const ZBARIMG = '/usr/bin/zbarimg';
let hall: RunningHall;
let chromium: LaunchedBrowser;
let kiosk: Page;
let clerk: Page;
let dataDir: string;
let kioskBase: string;
let admin: { username: string; password: string; token: string };
const shots = artifactDir('cases');

async function post(url: string, body: unknown, token?: string): Promise<unknown> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  const text = await res.text();
  expect(res.ok, `${url} answered ${res.status} ${text}`).toBe(true);
  return text ? JSON.parse(text) : null;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'xj-cases-e2e-'));
  hall = await startHall({ dataDir, ports: { central: 0, kiosk: 0, robot: 0 }, log: createLogger('e2e', 'warn') });
  kioskBase = new URL(hall.urls.kiosk).origin;
  const central = new URL(hall.urls.central).origin;
  // A weekday morning on both ends: the hall issues tickets only while open.
  const clock = openHallClock();
  queueOf(hall.central.ctx)!.clock.source = clock;
  hall.kiosk.get('queue').clock.source = clock;
  const { username, password } = initialAdmin(dataDir);
  const { token } = (await post(`${central}/api/login`, { username, password })) as { token: string };
  admin = { username, password, token };
  await post(`${central}/api/staff`, { username: 'window-b02', password: 'window-pass-2', role: 'window-staff', displayName: '窗口B02' }, token);
  chromium = await launchChromium(LANDSCAPE);
  kiosk = await chromium.browser.newPage();
  clerk = await chromium.browser.newPage();
  for (const p of [kiosk, clerk]) p.on('pageerror', (err) => console.error('page error:', err.message));
  await kiosk.setViewportSize(PORTRAIT);
  await kiosk.goto(hall.urls.kiosk);
  await kiosk.getByTestId('home').waitFor({ timeout: 20_000 });
}, 120_000);

afterAll(async () => {
  await chromium?.close();
  await hall?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** At the window: a move button, then the state badge saying where the case now is. */
async function moveTo(to: string, says: string): Promise<void> {
  await clerk.locator(`[data-move="${to}"]`).click();
  await expect.poll(() => clerk.getByTestId('case-state').innerText()).toBe(says);
}

/** At the kiosk: home, then 办件进度, where the signed-in citizen's case shows in the given state. */
async function kioskSees(state: string): Promise<void> {
  await kiosk.getByTestId('go-home').click();
  await kiosk.getByTestId('home-cases').click();
  await kiosk.locator(`[data-testid="case-progress"][data-state="${state}"]`).waitFor({ timeout: 15_000 });
}

describe('case progress end to end', () => {
  it('follows a case from the window terminal to the kiosk, by ID card and by the receipt scanned at the kiosk', async () => {
    // The citizen signs in and takes a ticket for 居住证办理: it carries their pseudonym.
    await post(`${kioskBase}/sim/idcard/insert`, { card: 'resident' });
    await kiosk.getByTestId('person').waitFor({ timeout: 15_000 });
    await kiosk.locator('.tiles.hot [data-code="GZ-GA-001"]').click();
    await kiosk.getByTestId('take-ticket').click();
    await kiosk.getByTestId('take-now').click();
    await kiosk.getByTestId('ticket').waitFor({ timeout: 15_000 });
    expect(await kiosk.getByTestId('ticket-number').innerText()).toBe('C001');

    // The clerk calls C001, accepts the case for it and the receipt is drawn for the printer.
    await clerk.goto(hall.urls.window);
    await clerk.fill('input[name="username"]', 'window-b02');
    await clerk.fill('input[name="password"]', 'window-pass-2');
    await clerk.click('button[type="submit"]');
    await clerk.locator('[data-window="B02"]').click();
    await expect.poll(() => clerk.getByTestId('window-state').innerText()).toBe('服务中');
    await clerk.locator('[data-action="call-next"]').click();
    await expect.poll(() => clerk.getByTestId('current-number').innerText()).toBe('C001');
    await expect.poll(() => clerk.getByTestId('case-item').inputValue()).toBe('GZ-GA-001');
    await clerk.locator('[data-action="accept-case"]').click();
    await expect.poll(() => clerk.getByTestId('case-state').innerText()).toBe('受理');
    expect(await clerk.getByTestId('case').innerText()).not.toContain('未关联身份证');
    const receipt = clerk.getByTestId('case-receipt');
    expect(await receipt.innerText()).toContain('受理回执');
    expect(await receipt.innerText()).toContain('居住证办理');
    const number = await clerk.getByTestId('case-number').innerText();
    expect(number).toMatch(/^\d{8}-0001$/);
    expect(await receipt.innerText()).toContain(number);
    // The paper's QR as a scanner reads it: the receipt as pixels, decoded by zbar.
    const png = join(dataDir, 'receipt.png');
    await receipt.screenshot({ path: png });
    const qr = execFileSync(ZBARIMG, ['--raw', '-q', png], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    expect(qr).toMatch(/^XJCASE:[2-9A-HJKMNP-Z]{10}$/);
    await clerk.screenshot({ path: join(shots, '01-window-accepted.png') });

    // Under review, then returned for the missing 居民身份证 picked from the item's materials.
    await moveTo('reviewing', '审核中');
    expect(await clerk.locator('[data-move="returned"]').isDisabled()).toBe(true);
    await clerk.locator('[data-material="居民身份证"]').check();
    await moveTo('returned', '退回补正');
    expect(await clerk.locator('.timeline').innerText()).toContain('退回补正：居民身份证');

    await kioskSees('returned');
    expect(await kiosk.getByTestId('case-now').innerText()).toBe('材料还不齐全，需要补充材料');
    expect(await kiosk.getByTestId('case-bring').innerText()).toContain('居民身份证');
    await kiosk.screenshot({ path: join(shots, '02-kiosk-returned.png') });

    // The material brought: back to review, done, ready for collection at B02.
    await moveTo('reviewing', '审核中');
    await moveTo('done', '办结');
    await moveTo('ready', '待领取');
    expect(await clerk.locator('[data-move]').evaluateAll((els) => els.map((e) => e.getAttribute('data-move')))).toEqual(['collected']);

    await kioskSees('ready');
    expect(await kiosk.getByTestId('case-now').innerText()).toBe('已经办好，请带身份证到 B02 窗口领取');
    expect(await kiosk.getByTestId('case-bring').count()).toBe(0);
    const steps = await kiosk.locator('[data-testid="case-timeline"] li').evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));
    expect(steps).toEqual(['accepted', 'reviewing', 'returned', 'reviewing', 'done', 'ready']);
    expect(await kiosk.getByTestId('case-timeline').innerText()).toMatch(/\d{4}\/\d{2}\/\d{2} \d{2}:\d{2} 已受理/);
    await kiosk.screenshot({ path: join(shots, '03-kiosk-ready.png') });

    // Elderly mode and English say the same.
    await kiosk.getByTestId('elderly-toggle').click();
    await kiosk.locator('.elderly [data-testid="case-now"]').waitFor();
    await kiosk.screenshot({ path: join(shots, '04-kiosk-ready-elderly.png') });
    await kiosk.getByTestId('elderly-toggle').click();
    await kiosk.getByTestId('lang-toggle').click();
    await expect.poll(() => kiosk.getByTestId('case-now').innerText()).toBe('It is ready: collect it at window B02 with your ID card');
    expect(await kiosk.getByTestId('case-timeline').innerText()).toContain('Under review');
    await kiosk.screenshot({ path: join(shots, '05-kiosk-ready-en.png') });
    await kiosk.getByTestId('lang-toggle').click();

    // Signed out, with only the receipt: the kiosk's scanner reads its QR.
    await kiosk.getByTestId('sign-out').click();
    await post(`${kioskBase}/sim/idcard/remove`, {});
    await kiosk.getByTestId('signin-hint').waitFor();
    await kiosk.getByTestId('go-home').click().catch(() => {});
    await kiosk.getByTestId('home-cases').click();
    await kiosk.getByTestId('scan-hint').waitFor();
    await post(`${kioskBase}/sim/scanner/scan`, { data: qr });
    await kiosk.locator(`[data-testid="case-progress"][data-case="${number}"][data-state="ready"]`).waitFor({ timeout: 15_000 });
    await kiosk.screenshot({ path: join(shots, '06-kiosk-scanned.png') });

    // Collected at the window: the next scan of the same receipt says so.
    await moveTo('collected', '已领取');
    await post(`${kioskBase}/sim/scanner/scan`, { data: qr });
    await kiosk.locator('[data-testid="case-progress"][data-state="collected"]').waitFor({ timeout: 15_000 });
    expect(await kiosk.getByTestId('case-now').innerText()).toBe('您已领取，本次办理结束');

    // Another code held to the scanner is not taken for a case.
    await post(`${kioskBase}/sim/scanner/scan`, { data: 'https://example.gov.cn/health-code/123' });
    await expect.poll(() => kiosk.getByTestId('cases-failed').innerText()).toBe('这不是受理回执上的二维码，请扫描受理回执。');
  });

  it('counts cases by state in the console and lists the one past its promised working days', async () => {
    const central = new URL(hall.urls.central).origin;
    // 居住证办理 promises 7 working days; a month on, a case still under review is late.
    const opened = (await post(`${central}/api/cases`, { requestId: randomUUID(), windowId: 'B03', itemCode: 'GZ-GA-001' }, admin.token)) as { case: { id: string; number: string } };
    await post(`${central}/api/cases/${opened.case.id}/move`, { requestId: randomUUID(), to: 'reviewing' }, admin.token);
    const store = casesOf(hall.central.ctx)!;
    const later = Date.now() + 30 * 86_400_000;
    store.now = () => later;
    // The browser's profile is shared: the clerk signed in at the window terminal must not be who the console sees.
    await chromium.browser.clearCookies();
    const page = await chromium.browser.newPage();
    try {
      await page.goto(`${central}/console/`);
      await page.fill('input[name=username]', admin.username);
      await page.fill('input[name=password]', admin.password);
      await page.click('button[type=submit]');
      await page.getByTestId('case-counts').waitFor({ timeout: 15_000 });
      expect(await page.locator('[data-testid="case-counts"] [data-state="reviewing"] .big').innerText()).toBe('1');
      expect(await page.getByTestId('case-overdue-count').innerText()).toContain('1');
      const row = page.locator(`[data-testid="case-overdue"] tr[data-case="${opened.case.number}"]`);
      expect(await row.innerText()).toContain('居住证办理');
      expect(await row.innerText()).toContain('B03');
      await page.screenshot({ path: join(shots, '07-console-cases.png'), fullPage: true });
    } finally {
      await page.close();
    }
  });
});
