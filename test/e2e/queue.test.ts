/**
 * The queue end to end in Debian's Chromium against the hall `npm start` runs: a ticket
 * taken by tapping 取号 on the kiosk's guide is printed by the simulated printer, called
 * from the window terminal, shown on the call display, and its announcement is queued;
 * with the printer out of paper the kiosk says so and offers the QR code instead.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startHall, type RunningHall } from '../../cli/hall.ts';
import { createLogger } from '../../electron/services/log.ts';
import type { AnnouncerState } from '../../protocol/queue-views.ts';
import { artifactDir, LANDSCAPE, launchChromium, PORTRAIT, type LaunchedBrowser } from './browser.ts';
import { findFile } from './suite-hall.ts';
import { queueOf } from '../../server/queue/index.ts';
import { openHallClock } from '../helpers/open-hall-clock.ts';

let hall: RunningHall;
let chromium: LaunchedBrowser;
let kioskPage: Page;
let windowPage: Page;
let displayPage: Page;
let dataDir: string;
let central: string;
const shots = artifactDir('queue');

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  expect(res.ok, `${url} answered ${res.status}`).toBe(true);
  return (await res.json()) as T;
}

/**
 * The hall's public address for phones: a name a phone would resolve, which this test's
 * browser resolves to the platform on this machine (loopback itself is refused by the schema).
 */
const PUBLIC_HOST = 'zwfw.xiaojin-hall.cn';

beforeAll(async () => {
  chromium = await launchChromium(LANDSCAPE, [`--host-resolver-rules=MAP ${PUBLIC_HOST} 127.0.0.1`]);
});

afterAll(async () => {
  await chromium?.close();
});

// Each test runs in a hall of its own, opened that morning, so none starts from another's tickets.
beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'xj-queue-e2e-'));
  hall = await startHall({ dataDir, ports: { central: 0, kiosk: 0, robot: 0 }, log: createLogger('e2e', 'warn') });
  central = new URL(hall.urls.central).origin;
  // A weekday morning on both ends: the hall issues tickets only while open.
  const clock = openHallClock();
  queueOf(hall.central.ctx)!.clock.source = clock;
  hall.kiosk.get('queue').clock.source = clock;
  // A window staff account, made by the hall's first admin as a hall would.
  const adminFile = findFile(dataDir, 'initial-admin.txt');
  expect(adminFile, 'the platform wrote its first admin account').not.toBeNull();
  const [, username, password] = /username: (\S+)\npassword: (\S+)/.exec(readFileSync(adminFile!, 'utf8'))!;
  const login = await fetch(`${central}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  const { token } = (await login.json()) as { token: string };
  // Staff set the hall's address for phones in the console; every terminal gets it as version 2.
  const { config } = await json<{ config: { hall: Record<string, unknown> } }>(`${central}/api/config`, { headers: { authorization: `Bearer ${token}` } });
  config.hall.publicBaseUrl = `http://${PUBLIC_HOST}:${new URL(central).port}/`;
  await json(`${central}/api/config`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ config, note: 'public address for phones' }) });
  // The kiosk may still be enrolling on a loaded machine; it fetches the newest version once linked.
  await expect.poll(() => hall.kiosk.context.store.config.hall.publicBaseUrl, { timeout: 60_000 }).toBe(config.hall.publicBaseUrl);
  await json(`${central}/api/staff`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ username: 'window-b02', password: 'window-pass-2', role: 'window-staff', displayName: '窗口B02' }),
  });
  for (const p of [(kioskPage = await chromium.browser.newPage()), (windowPage = await chromium.browser.newPage()), (displayPage = await chromium.browser.newPage())]) {
    p.on('pageerror', (err) => console.error('page error:', err.message));
  }
  await kioskPage.setViewportSize(PORTRAIT);
  await kioskPage.goto(hall.urls.kiosk);
  await kioskPage.getByTestId('home').waitFor({ timeout: 20_000 });
});

afterEach(async () => {
  for (const p of [kioskPage, windowPage, displayPage]) await p?.close();
  await hall?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Taps 取号 on the residence-permit guide, as a citizen would, and waits for the ticket on screen. */
async function takeTicket(priority?: 'elderly'): Promise<void> {
  await kioskPage.locator('.tiles.hot [data-code="GZ-GA-001"]').click();
  await kioskPage.getByTestId('take-ticket').click();
  await (priority ? kioskPage.locator(`[data-priority="${priority}"]`) : kioskPage.getByTestId('take-now')).click();
  await kioskPage.getByTestId('ticket').waitFor({ timeout: 15_000 });
}

/** Signs in at the window terminal and opens window B02 for service. */
async function openWindowB02(): Promise<void> {
  await windowPage.goto(hall.urls.window);
  await windowPage.fill('input[name="username"]', 'window-b02');
  await windowPage.fill('input[name="password"]', 'window-pass-2');
  await windowPage.click('button[type="submit"]');
  await windowPage.locator('[data-window="B02"]').click();
  await expect.poll(() => windowPage.getByTestId('window-state').innerText()).toBe('服务中');
}

/** Opens window B02 and calls the next ticket. */
async function callNextAtB02(): Promise<void> {
  await openWindowB02();
  await windowPage.locator('[data-action="call-next"]').click();
  await expect.poll(() => windowPage.getByTestId('current-number').innerText()).toBe('C001');
}

/** Opens the call display and waits until it is on screen, so it hears the calls that follow. */
async function openDisplay(): Promise<void> {
  await displayPage.goto(hall.urls.display);
  await displayPage.getByTestId('display').waitFor({ timeout: 15_000 });
}

describe('queue end to end', () => {
  it('takes a ticket at the kiosk and the simulated printer prints it', async () => {
    const kioskBase = new URL(hall.urls.kiosk).origin;
    const before = (await json<unknown[]>(`${kioskBase}/sim/printer/receipts`)).length;
    await kioskPage.locator('.tiles.hot [data-code="GZ-GA-001"]').click();
    await kioskPage.locator('[data-testid="guide"][data-code="GZ-GA-001"]').waitFor();
    const button = kioskPage.getByTestId('take-ticket');
    const box = (await button.boundingBox())!;
    expect(Math.min(box.width, box.height)).toBeGreaterThanOrEqual(48);
    await kioskPage.screenshot({ path: join(shots, '00-guide-take-ticket.png') });
    await button.click();
    await kioskPage.getByTestId('ticket-take').waitFor();
    expect(await kioskPage.locator('[data-priority="elderly"]').innerText()).toContain('老年人');
    await kioskPage.screenshot({ path: join(shots, '00-ticket-choice.png') });
    await kioskPage.getByTestId('take-now').click();
    await kioskPage.getByTestId('ticket').waitFor({ timeout: 15_000 });
    expect(await kioskPage.getByTestId('ticket-number').innerText()).toBe('C001');
    expect(await kioskPage.getByTestId('ticket-windows').innerText()).toContain('B02');
    expect(await kioskPage.getByTestId('ticket-ahead').innerText()).toBe('0 人');
    expect(await kioskPage.getByTestId('ticket-group').innerText()).toContain('居住证办理');
    await kioskPage.getByTestId('ticket-printed').waitFor();
    expect(await kioskPage.getByTestId('ticket-bound').count()).toBe(0);
    expect(await kioskPage.getByTestId('ticket-offline').count()).toBe(0);
    // The phone link on screen is the one on the slip: the ticket's id is read from it.
    const followUrl = (await kioskPage.getByTestId('qr').getAttribute('data-value'))!;
    expect(new URL(followUrl).host).toBe(`${PUBLIC_HOST}:${new URL(central).port}`);
    expect(new URL(followUrl).searchParams.get('ticket')).toBeTruthy();
    await kioskPage.screenshot({ path: join(shots, '00-ticket.png') });
    await expect.poll(async () => (await json<unknown[]>(`${kioskBase}/sim/printer/receipts`)).length, { timeout: 15_000 }).toBe(before + 1);
    const receipts = await json<{ text: string; qr: string[] }[]>(`${kioskBase}/sim/printer/receipts`);
    const slip = receipts[receipts.length - 1];
    expect(slip.text).toContain('C001');
    expect(slip.text).toContain('B02');
    expect(slip.text).toMatch(/前面还有\s*0\s*人/);
    expect(slip.text).toMatch(/大厅办公时间：周一至周五 09:00–17:00\s+周六 09:00–12:00/);
    expect(slip.qr[0]).toBe(followUrl);
  });

  it('calls it from the window terminal', async () => {
    await takeTicket();
    await openWindowB02();
    await expect.poll(() => windowPage.getByTestId('window-waiting').innerText()).toBe('1');
    await windowPage.screenshot({ path: join(shots, '01-window-ready.png') });
    await windowPage.locator('[data-action="call-next"]').click();
    await expect.poll(() => windowPage.getByTestId('current-number').innerText()).toBe('C001');
    // The clerk sees what the citizen came for before they reach the window.
    expect(await windowPage.getByTestId('current-service').innerText()).toBe('办理事项：居住证办理');
    await windowPage.screenshot({ path: join(shots, '02-window-called.png') });
    await windowPage.getByTestId('lang-toggle').click();
    await expect.poll(() => windowPage.getByTestId('current-service').innerText()).toBe('Service: Residence permit');
    await windowPage.getByTestId('lang-toggle').click();
    // Signing out ends the session on the platform, not only on the screen.
    await windowPage.locator('[data-action="sign-out"]').click();
    await windowPage.locator('input[name="username"]').waitFor();
    expect(await windowPage.evaluate(async () => (await fetch('/api/me')).status)).toBe(401);
    await windowPage.reload();
    await windowPage.locator('input[name="username"]').waitFor();
  });

  it('shows the call on the display', async () => {
    await takeTicket();
    await openDisplay();
    await callNextAtB02();
    const row = displayPage.locator('[data-testid="current-calls"] tr[data-number="C001"]');
    await row.waitFor({ timeout: 10_000 });
    expect(await row.innerText()).toContain('B02');
    await expect.poll(() => displayPage.getByTestId('recent-calls').innerText()).toContain('C001');
    await displayPage.screenshot({ path: join(shots, '03-display.png') });
  });

  it('queues the announcement 请C001号到B02窗口办理', async () => {
    await takeTicket();
    await openDisplay();
    await callNextAtB02();
    const announced = async () => {
      const state = await json<AnnouncerState>(`${central}/api/queue/announcements`);
      const all = [...(state.speaking ? [state.speaking] : []), ...state.queued, ...state.recent];
      return { state, a: all.find((x) => x.number === 'C001') };
    };
    await expect.poll(async () => (await announced()).a).toBeDefined();
    const { state, a } = await announced();
    expect(a!.text).toBe('请C001号到B02窗口办理');
    if (state.engine) expect(['queued', 'speaking', 'done']).toContain(a!.state);
    else expect(a).toMatchObject({ state: 'skipped', reason: expect.stringContaining('espeak-ng') });
    await expect.poll(() => displayPage.getByTestId('announcing').innerText(), { timeout: 10_000 }).toMatch(/请C001号到B02窗口办理|语音播报未启用/);
  });

  it('follows the ticket on a phone through its QR link', async () => {
    await takeTicket();
    const followUrl = (await kioskPage.getByTestId('qr').getAttribute('data-value'))!;
    await callNextAtB02();
    const phone = await chromium.browser.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(followUrl);
    await expect.poll(() => phone.getByTestId('follow').innerText(), { timeout: 10_000 }).toContain('请到 B02 窗口办理');
    await phone.close();
  });

  it('with the printer out of paper, says so plainly and offers the QR code for a priority ticket', async () => {
    const kioskBase = new URL(hall.urls.kiosk).origin;
    const post = (path: string, body: unknown) => json(`${kioskBase}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await post('/sim/printer/paper', { lines: 0 });
    try {
      // A ticket already taken that morning, so this one is the second of the day.
      await takeTicket();
      await kioskPage.getByTestId('ticket-done').click();
      await takeTicket('elderly');
      expect(await kioskPage.getByTestId('ticket-number').innerText()).toBe('C002');
      expect(await kioskPage.getByTestId('ticket-priority').innerText()).toBe('优先办理');
      expect(await kioskPage.getByTestId('ticket-not-printed').innerText()).toContain('缺纸');
      expect(await kioskPage.getByTestId('ticket').getAttribute('data-paper')).toBe('paper-out');
      expect(await kioskPage.getByTestId('qr').getAttribute('data-value')).toContain('ticket=');
      expect(await kioskPage.getByTestId('qr').isVisible()).toBe(true);
      expect(await kioskPage.content()).not.toMatch(/Error:|at \w+ \(|stack/);
      await kioskPage.screenshot({ path: join(shots, '05-ticket-no-paper.png') });
    } finally {
      await post('/sim/printer/paper', { lines: 1000 });
    }
  });
});

describe('a closed hall', () => {
  it('shows 今日非办公时间 with the hours on a Sunday instead of issuing, and offers booking', async () => {
    const sunday = openHallClock('2026-10-11', '10:00');
    queueOf(hall.central.ctx)!.clock.source = sunday;
    hall.kiosk.get('queue').clock.source = sunday;
    await kioskPage.locator('.tiles.hot [data-code="GZ-GA-001"]').click();
    await kioskPage.getByTestId('take-ticket').click();
    const closed = kioskPage.getByTestId('ticket-closed');
    await closed.waitFor({ timeout: 15_000 });
    expect(await closed.getAttribute('data-reason')).toBe('closed-day');
    expect(await closed.innerText()).toContain('今日非办公时间');
    expect(await kioskPage.getByTestId('closed-hours').innerText()).toContain('09:00–17:00');
    expect(await kioskPage.getByTestId('take-now').count()).toBe(0);
    await kioskPage.screenshot({ path: join(shots, '20-hall-closed.png') });
    await kioskPage.getByTestId('closed-book').click();
    await kioskPage.getByTestId('booking').waitFor({ timeout: 15_000 });
    expect(await queueOf(hall.central.ctx)!.store.tickets('2026-10-11')).toEqual([]);
  });
});

describe('window terminal and call display in English', () => {
  it('switches the window terminal to English and keeps that choice on this PC', async () => {
    // Its own browser profile: signed out, nothing stored.
    const own = await launchChromium(LANDSCAPE);
    try {
      const p = await own.browser.newPage();
      await p.goto(hall.urls.window);
      await p.getByRole('heading', { name: '窗口叫号终端' }).waitFor();
      await p.getByTestId('lang-toggle').click();
      await p.getByRole('heading', { name: 'Window terminal' }).waitFor();
      await p.fill('input[name="username"]', 'window-b02');
      await p.fill('input[name="password"]', 'window-pass-2');
      await p.getByRole('button', { name: 'Sign in' }).click();
      await p.getByRole('heading', { name: 'Choose your window' }).waitFor();
      await p.screenshot({ path: join(shots, '06-window-english.png') });
      await p.reload();
      await p.getByRole('heading', { name: 'Choose your window' }).waitFor();
      await p.getByTestId('lang-toggle').click();
      await p.getByRole('heading', { name: '请选择您的窗口' }).waitFor();
    } finally {
      await own.close();
    }
  });

  it("shows the call display in the hall's language, or in both", async () => {
    const board = await chromium.browser.newPage();
    try {
      const url = new URL(hall.urls.display);
      url.searchParams.set('lang', 'en');
      await board.goto(url.href);
      await board.getByTestId('display').waitFor({ timeout: 15_000 });
      const english = await board.getByTestId('display').innerText();
      expect(english).toContain('Now serving');
      expect(english).not.toContain('请以下号码到窗口办理');
      await board.screenshot({ path: join(shots, '07-display-english.png') });
      url.searchParams.set('lang', 'both');
      await board.goto(url.href);
      await board.getByTestId('display').waitFor({ timeout: 15_000 });
      const both = await board.getByTestId('display').innerText();
      expect(both).toContain('请以下号码到窗口办理');
      expect(both).toContain('Now serving');
    } finally {
      await board.close();
    }
  });
});
