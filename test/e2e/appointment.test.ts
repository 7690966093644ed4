/**
 * Appointments end to end, in Debian's Chromium against the hall `npm start` runs
 * (startHall) with simulated devices: booking asks for the ID card and goes on once the
 * simulated card is read; a day and a time are picked (closed days marked); the booking
 * shows under 我的预约 and is cancelled there; booked again, it is checked in on the day
 * for a priority ticket that the simulated printer prints; signing out leaves none of it.
 *
 * Check-in only opens from an hour before the slot, so the hall is stood at 08:30 on its
 * next weekday: the platform's queue clock and the browser's clock are both moved there
 * (time keeps running), which makes the 09:00 slot both bookable and due for check-in
 * whenever the test runs. Screenshots, portrait and landscape, go to
 * test-artifacts/appointment/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startHall, type RunningHall } from '../../cli/hall.ts';
import { ConfigStore, DEFAULT_CONFIG_DIR } from '../../config/load.ts';
import { createLogger } from '../../electron/services/log.ts';
import { queueOf } from '../../server/queue/index.ts';
import { dayPlan } from '../../server/queue/calendar.ts';
import { addDays, hallDay, hallInstant, isoWeekday } from '../../protocol/clock.ts';
import { artifactDir, LANDSCAPE, launchChromium, PORTRAIT, RESIDENT, type LaunchedBrowser } from './browser.ts';

const ITEM = 'GZ-MZ-001';
const ITEM_NAME = '结婚登记';
const { name: NAME, maskedName: MASKED_NAME, idNumber: ID_NUMBER, maskedId: MASKED_ID } = RESIDENT;

let hall: RunningHall;
let chromium: LaunchedBrowser;
let page: Page;
let dataDir: string;
let kioskBase: string;
let day: string;
const shots = artifactDir('appointment');

/** The next weekday the hall opens on its full hours, by its own calendar (holidays skipped). */
function nextWorkday(): string {
  const config = ConfigStore.fromDir(DEFAULT_CONFIG_DIR).config;
  let d = hallDay(Date.now());
  for (let i = 0; i < 30; i++) {
    d = addDays(d, 1);
    if (isoWeekday(d) <= 5 && dayPlan(config, d).open) return d;
  }
  throw new Error('no working day in the next 30 days');
}

async function shoot(step: string): Promise<void> {
  for (const [label, size] of [['portrait', PORTRAIT], ['landscape', LANDSCAPE]] as const) {
    await page.setViewportSize(size);
    // Screenshots are artifacts, not assertions: a short pause lets the layout settle after the resize.
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(shots, `${step}-${label}.png`) });
  }
  await page.setViewportSize(PORTRAIT);
}

async function sim(path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${kioskBase}${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.ok, `${path} answered ${res.status}`).toBe(true);
  const text = await res.text();
  return text ? JSON.parse(text) : null;
}

async function openGuide(): Promise<void> {
  if (await page.getByTestId('go-home').isVisible()) await page.getByTestId('go-home').click();
  await page.locator(`.tiles.hot [data-code="${ITEM}"]`).click();
  await page.locator(`[data-testid="guide"][data-code="${ITEM}"]`).waitFor();
}

async function bookNineOClock(): Promise<void> {
  await page.locator(`[data-testid="days"] [data-date="${day}"]`).click();
  await page.locator('[data-testid="slots"] [data-slot="09:00"]').click();
  await page.getByTestId('booking-confirm').waitFor();
  await page.getByTestId('confirm-booking').click();
  await page.getByTestId('booking-done').waitFor({ timeout: 15_000 });
}

beforeAll(async () => {
  day = nextWorkday();
  chromium = await launchChromium(PORTRAIT);
});

afterAll(async () => {
  await chromium?.close();
});

// Each test runs in a hall of its own at 08:30 on the same working day, so no booking,
// cancellation or ticket of one test is another's starting point.
beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'xj-appointment-e2e-'));
  hall = await startHall({ dataDir, ports: { central: 0, kiosk: 0, robot: 0 }, log: createLogger('e2e', 'warn') });
  kioskBase = new URL(hall.urls.kiosk).origin;
  const at = hallInstant(day, '08:30');
  const offset = at - Date.now();
  queueOf(hall.central.ctx)!.clock.source = { now: () => Date.now() + offset };
  page = await chromium.browser.newPage();
  page.on('pageerror', (err) => console.error('kiosk page error:', err.message));
  await page.clock.install({ time: at });
  await page.goto(hall.urls.kiosk);
  await page.getByTestId('home').waitFor({ timeout: 20_000 });
});

afterEach(async () => {
  await page?.close();
  await hall?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Taps 预约办理 on the guide and signs in with the card, ending on the choice of day. */
async function startBooking(): Promise<void> {
  await openGuide();
  await page.getByTestId('book').click();
  await page.getByTestId('card-prompt').waitFor();
  await sim('/sim/idcard/insert', { card: 'resident' });
  await page.locator('[data-testid="booking"][data-step="day"]').waitFor({ timeout: 10_000 });
}

/** Books 09:00 today and goes home, where the kiosk offers to check in; returns the appointment's id. */
async function bookedAndHome(): Promise<string> {
  await startBooking();
  await bookNineOClock();
  const id = (await page.getByTestId('booking-done').getAttribute('data-appointment'))!;
  await page.getByTestId('go-home').click();
  await page.getByTestId('check-in-offer').waitFor({ timeout: 10_000 });
  return id;
}

describe('appointments at the kiosk', () => {
  it('asks for the ID card to book, and goes on by itself once the card is read', async () => {
    await openGuide();
    const book = page.getByTestId('book');
    expect(await book.innerText()).toBe('预约办理');
    const box = (await book.boundingBox())!;
    expect(Math.min(box.width, box.height)).toBeGreaterThanOrEqual(48);
    await book.click();
    await page.getByTestId('card-prompt').waitFor();
    expect(await page.getByTestId('card-prompt').innerText()).toContain('请将身份证放在读卡区');
    await shoot('01-place-card');
    await sim('/sim/idcard/insert', { card: 'resident' });
    await page.locator('[data-testid="booking"][data-step="day"]').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('person').innerText()).toContain(MASKED_NAME);
  });

  it('offers the days ahead with the places left, and marks the days the hall is closed', async () => {
    await startBooking();
    const today = page.locator(`[data-testid="days"] [data-date="${day}"]`);
    expect(await today.getAttribute('data-status')).toBe('open');
    const text = await today.innerText();
    expect(text).toContain('今天');
    // 结婚登记 takes eight bookings a slot (settings.json perItem), over six slots.
    expect(text).toContain('余 48 个');
    // Eight days from a weekday always take in a Sunday, which the hall does not open.
    const closed = page.locator('[data-testid="days"] [data-status="closed"]');
    expect(await closed.count()).toBeGreaterThan(0);
    expect(await closed.first().isDisabled()).toBe(true);
    expect(await closed.first().innerText()).toMatch(/非办公日|节|闭馆/);
    await shoot('02-days');
    // Elderly mode: larger type and fewer days a screen; English: the same screen in the other language.
    await page.getByTestId('elderly-toggle').click();
    expect(await page.locator('[data-testid="days"] [data-date]').count()).toBe(4);
    await shoot('02-days-elderly');
    await page.getByTestId('elderly-toggle').click();
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => today.innerText()).toContain('Today');
    expect(await today.innerText()).toContain('48 left');
    await shoot('02-days-english');
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => today.innerText()).toContain('今天');
  });

  it('books the 09:00 slot today after a last look', async () => {
    await startBooking();
    await page.locator(`[data-testid="days"] [data-date="${day}"]`).click();
    const nine = page.locator('[data-testid="slots"] [data-slot="09:00"]');
    expect(await nine.innerText()).toContain('余 8 个');
    await shoot('03-slots');
    await nine.click();
    const confirm = page.getByTestId('booking-confirm');
    await confirm.waitFor();
    expect(await confirm.innerText()).toContain(MASKED_NAME);
    await shoot('04-confirm');
    await page.getByTestId('confirm-booking').click();
    const done = page.getByTestId('booking-done');
    await done.waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('booked-when').innerText()).toMatch(/今天.*09:00–10:00/);
    expect(await done.innerText()).toContain('08:00–10:30');
    expect(await done.getAttribute('data-appointment')).toBeTruthy();
    await shoot('05-booked');
  });

  it('shows the booking under 我的预约 and cancels it after a second tap', async () => {
    await startBooking();
    await bookNineOClock();
    const bookedId = (await page.getByTestId('booking-done').getAttribute('data-appointment'))!;
    await page.getByTestId('see-mine').click();
    const row = page.locator(`[data-testid="appointment-list"] [data-appointment="${bookedId}"]`);
    await row.waitFor({ timeout: 10_000 });
    expect(await row.innerText()).toContain(ITEM_NAME);
    expect(await row.getAttribute('data-state')).toBe('booked');
    expect(await row.getByTestId('check-in').isVisible()).toBe(true);
    await shoot('06-mine');
    await row.getByTestId('cancel').click();
    await shoot('07-confirm-cancel');
    await row.getByTestId('confirm-cancel').click();
    await expect.poll(() => row.getAttribute('data-state')).toBe('cancelled');
    expect(await row.getByTestId('appointment-state').innerText()).toBe('已取消');
    expect(await row.getByTestId('cancel').count()).toBe(0);
    await shoot('08-cancelled');
  });

  it('books the same slot again, and the home screen offers to check in for it', async () => {
    // Booked and cancelled first, so this is the slot booked again.
    await startBooking();
    await bookNineOClock();
    const cancelled = (await page.getByTestId('booking-done').getAttribute('data-appointment'))!;
    await page.getByTestId('see-mine').click();
    const row = page.locator(`[data-testid="appointment-list"] [data-appointment="${cancelled}"]`);
    await row.getByTestId('cancel').click();
    await row.getByTestId('confirm-cancel').click();
    await expect.poll(() => row.getAttribute('data-state')).toBe('cancelled');
    await openGuide();
    await page.getByTestId('book').click();
    await bookNineOClock();
    await page.getByTestId('go-home').click();
    const offer = page.getByTestId('check-in-offer');
    await offer.waitFor({ timeout: 10_000 });
    expect(await offer.innerText()).toContain(`${ITEM_NAME}`);
    expect(await offer.innerText()).toContain('09:00–10:00');
    expect(await page.getByTestId('my-appointments').isVisible()).toBe(true);
    await shoot('09-home-check-in');
  });

  it('checks in for a priority ticket bound to the card, and the printer prints it', async () => {
    await bookedAndHome();
    const before = ((await sim('/sim/printer/receipts')) as unknown[]).length;
    await page.getByTestId('check-in-offer').getByTestId('check-in').click();
    await page.getByTestId('ticket').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('ticket-number').innerText()).toBe('D001');
    expect(await page.getByTestId('ticket-priority').innerText()).toContain('预约签到');
    expect(await page.getByTestId('ticket-bound').isVisible()).toBe(true);
    expect(await page.getByTestId('ticket-windows').innerText()).toContain('B06');
    await page.getByTestId('ticket-printed').waitFor();
    await shoot('10-checked-in-ticket');
    await expect.poll(async () => ((await sim('/sim/printer/receipts')) as unknown[]).length, { timeout: 15_000 }).toBe(before + 1);
    const receipts = (await sim('/sim/printer/receipts')) as { text: string; qr: string[] }[];
    const slip = receipts[receipts.length - 1];
    expect(slip.text).toContain('D001');
    expect(slip.text).toContain('优先办理');
    expect(slip.text).toContain(ITEM_NAME);
    expect(slip.text).toContain('B06');
    // The bundled hall has no public address for phones: no QR on paper or screen.
    expect(slip.qr).toEqual([]);
    expect(await page.getByTestId('qr').count()).toBe(0);
    for (const secret of [NAME, ID_NUMBER]) expect(slip.text).not.toContain(secret);
  });

  it('lists the appointment as checked in, and signing out leaves nothing of it on screen', async () => {
    const bookedId = await bookedAndHome();
    await page.getByTestId('check-in-offer').getByTestId('check-in').click();
    await page.getByTestId('ticket').waitFor({ timeout: 15_000 });
    await page.getByTestId('ticket-done').click();
    await page.getByTestId('my-appointments').click();
    const rows = page.locator('[data-testid="appointment-list"] [data-state="checked-in"]');
    await rows.first().waitFor({ timeout: 10_000 });
    expect(await rows.first().innerText()).toContain('已签到');
    await page.getByTestId('sign-out').click();
    await page.getByTestId('home').waitFor();
    await expect.poll(() => page.getByTestId('person').count()).toBe(0);
    expect(await page.getByTestId('my-appointments').count()).toBe(0);
    const html = await page.content();
    for (const secret of [MASKED_NAME, MASKED_ID, NAME, ID_NUMBER, 'D001', bookedId]) expect(html).not.toContain(secret);
    await shoot('11-signed-out');
  });

  it("reminds a citizen signing in on another screen of today's appointment, and checks them in from the reminder", async () => {
    await bookedAndHome();
    await page.getByTestId('sign-out').click();
    await page.getByTestId('home').waitFor();
    // The reader must see the card go before it reads the same card again.
    const gone = new Promise<void>((resolve) => hall.kiosk.get('devices').manager!.once('card-removed', () => resolve()));
    await sim('/sim/idcard/remove', {});
    await gone;
    await openGuide();
    await sim('/sim/idcard/insert', { card: 'resident' });
    const offer = page.getByTestId('reminders').getByTestId('check-in-offer');
    await offer.waitFor({ timeout: 15_000 });
    expect(await offer.innerText()).toContain(ITEM_NAME);
    await shoot('12-reminder-check-in');
    await offer.getByTestId('check-in').click();
    await page.getByTestId('ticket').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('ticket-priority').innerText()).toContain('预约签到');
    expect(await page.getByTestId('check-in-offer').count()).toBe(0);
  });
});
