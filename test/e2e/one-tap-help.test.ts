/**
 * The first screen's one-tap ticket, booking check-in by code, and 一键求助, end to end in
 * Debian's Chromium against the hall `npm start` runs (startHall) with simulated devices:
 * a group button gives a printed ticket with no card; a booking code typed on the keypad
 * checks in for the priority ticket; a tap on 一键求助 reaches the staff console and the
 * window terminal with the kiosk's place on the map, and a member of staff's
 * acknowledgement shows on the kiosk as 工作人员马上到. Screenshots in test-artifacts/one-tap-help/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startHall, type RunningHall } from '../../cli/hall.ts';
import { createLogger } from '../../electron/services/log.ts';
import { queueOf } from '../../server/queue/index.ts';
import { createStaffUser } from '../../server/staff/index.ts';
import { openHallClock } from '../helpers/open-hall-clock.ts';
import { hallInstant } from '../../protocol/clock.ts';
import { artifactDir, LANDSCAPE, launchChromium, PORTRAIT, type LaunchedBrowser } from './browser.ts';

const TUESDAY = '2026-09-29';
let hall: RunningHall;
let chromium: LaunchedBrowser;
let kiosk: Page;
let dataDir: string;
const shots = artifactDir('one-tap-help');

beforeAll(async () => {
  chromium = await launchChromium(PORTRAIT);
});

afterAll(async () => {
  await chromium?.close();
});

// Each test runs in a hall of its own on a Tuesday morning (open, and the 11:00 slot due for check-in), so none starts from another's tickets or calls.
beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'xj-onetap-e2e-'));
  hall = await startHall({ dataDir, ports: { central: 0, kiosk: 0, robot: 0 }, log: createLogger('e2e', 'warn') });
  const clock = openHallClock(TUESDAY, '10:10');
  queueOf(hall.central.ctx)!.clock.source = clock;
  hall.kiosk.get('queue').clock.source = clock;
  kiosk = await chromium.browser.newPage();
  kiosk.on('pageerror', (err) => console.error('kiosk page error:', err.message));
  await kiosk.setViewportSize(PORTRAIT);
  await kiosk.clock.install({ time: hallInstant(TUESDAY, '10:10') });
  await kiosk.goto(hall.urls.kiosk);
  await kiosk.getByTestId('home').waitFor({ timeout: 20_000 });
});

afterEach(async () => {
  await kiosk?.close();
  await hall?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function receipts(): Promise<string> {
  const res = await fetch(`${new URL(hall.urls.kiosk).origin}/sim/printer/receipts`);
  return JSON.stringify(await res.json());
}

async function staffPage(url: string, user: { username: string; password: string }): Promise<Page> {
  const p = await chromium.browser.newPage();
  p.on('pageerror', (err) => console.error('staff page error:', err.message));
  await p.setViewportSize(LANDSCAPE);
  await p.goto(url);
  // The e2e browser's pages share one cookie jar: a page opened after another signed in is signed in already.
  await p.locator('input[name="username"], nav.side, [data-window]').first().waitFor({ timeout: 30_000 });
  if (await p.locator('input[name="username"]').isVisible()) {
    await p.fill('input[name="username"]', user.username);
    await p.fill('input[name="password"]', user.password);
    await p.click('button[type="submit"]');
  }
  return p;
}

describe('the first screen', () => {
  it('gives a printed ticket for a business group in one tap, with no card', async () => {
    const groups = kiosk.getByTestId('group-tiles');
    await expect.poll(() => groups.locator('[data-group]').count()).toBe(hall.central.ctx.config.config.hall.groups.length);
    await kiosk.screenshot({ path: join(shots, 'home-groups.png') });
    const social = groups.locator('[data-group="social"]');
    expect(await social.innerText()).toContain('A');
    // Two taps in one instant are one ticket.
    await social.dblclick();
    await kiosk.getByTestId('ticket').waitFor({ timeout: 15_000 });
    expect(await kiosk.getByTestId('ticket-number').innerText()).toBe('A001');
    await kiosk.getByTestId('ticket-printed').waitFor();
    await expect.poll(receipts).toContain('A001');
    const issued = await hall.central.ctx.db.query<{ n: number }>("SELECT COUNT(*) AS n FROM queue_tickets WHERE group_id = 'social'");
    expect(Number(issued[0].n)).toBe(1);
    await kiosk.screenshot({ path: join(shots, 'group-ticket.png') });
  });

  it('checks in by the booking code typed on the keypad, and says when a code is unknown', async () => {
    const booked = await queueOf(hall.central.ctx)!.appointments.book({ itemCode: 'GZ-SB-001', date: TUESDAY, start: '11:00', idKey: 'a'.repeat(64) });
    const code = booked.bookingCode!;
    await kiosk.getByTestId('home-check-in').click();
    await kiosk.getByTestId('keypad').waitFor();
    const type = async (digits: string) => {
      for (const d of digits) await kiosk.locator(`[data-key="${d}"]`).click();
    };
    const wrong = code === '111111' ? '222222' : '111111';
    await type(wrong);
    await kiosk.getByTestId('keypad-confirm').click();
    await expect.poll(() => kiosk.getByTestId('check-in-problem').innerText()).toContain('预约码');
    await kiosk.locator('[data-key="clear"]').click();
    await type(code);
    expect(await kiosk.getByTestId('keypad-code').innerText()).toContain(code[0]);
    await kiosk.screenshot({ path: join(shots, 'check-in-code.png') });
    await kiosk.getByTestId('keypad-confirm').click();
    await kiosk.getByTestId('ticket').waitFor({ timeout: 15_000 });
    expect(await kiosk.getByTestId('ticket-priority').innerText()).toContain('预约签到');
    const number = await kiosk.getByTestId('ticket-number').innerText();
    await expect.poll(receipts).toContain(number);
    const after = await queueOf(hall.central.ctx)!.appointments.forDay(TUESDAY);
    expect(after.find((a) => a.id === booked.id)?.state).toBe('checked-in');
    await kiosk.screenshot({ path: join(shots, 'check-in-ticket.png') });
  });
});

describe('一键求助', () => {
  it('reaches the console and the window terminal with the kiosk on the map, and the citizen sees 工作人员马上到', async () => {
    const admin = { username: 'help-admin', password: 'help-admin-pass-1' };
    const clerk = { username: 'help-clerk', password: 'help-clerk-pass-1' };
    await createStaffUser(hall.central.ctx.db, { ...admin, role: 'admin', displayName: '值班长' });
    await createStaffUser(hall.central.ctx.db, { ...clerk, role: 'window-staff', displayName: '窗口B02' });
    const consolePage = await staffPage(hall.urls.console, admin);
    const windowPage = await staffPage(hall.urls.window, clerk);
    await windowPage.locator('[data-window="B02"]').click();
    await windowPage.getByTestId('window-terminal').waitFor();
    try {
      await kiosk.getByTestId('help-button').click();
      await kiosk.getByTestId('help-panel').waitFor();
      await kiosk.getByTestId('help-button').click();
      await expect.poll(() => kiosk.getByTestId('help-panel').getAttribute('data-state'), { timeout: 15_000 }).toBe('open');
      await kiosk.screenshot({ path: join(shots, 'kiosk-help-told.png') });

      for (const p of [consolePage, windowPage]) {
        const alert = p.locator('[data-testid="help-alerts"] li[data-device="kiosk-1"]');
        await expect.poll(() => alert.count(), { timeout: 15_000 }).toBe(1);
        expect(await alert.innerText()).toContain('一楼自助服务终端1号');
        await p.getByTestId('help-map').locator('.map-here').waitFor();
      }
      await consolePage.screenshot({ path: join(shots, 'console-help.png') });
      await windowPage.screenshot({ path: join(shots, 'window-help.png') });

      await windowPage.getByTestId('help-ack').click();
      await expect.poll(() => kiosk.getByTestId('help-panel').getAttribute('data-state'), { timeout: 15_000 }).toBe('acknowledged');
      expect(await kiosk.getByTestId('help-panel').innerText()).toContain('工作人员马上到');
      await expect.poll(() => consolePage.locator('[data-testid="help-alerts"] li').count()).toBe(0);
      await kiosk.screenshot({ path: join(shots, 'kiosk-help-coming.png') });
    } finally {
      await consolePage.close();
      await windowPage.close();
    }
  });

  it('is on the robot screen too', async () => {
    const robot = await chromium.browser.newPage();
    try {
      await robot.goto(hall.urls.robot);
      await robot.getByTestId('help-button').click();
      await expect.poll(() => robot.getByTestId('help-panel').getAttribute('data-state'), { timeout: 15_000 }).toBe('open');
      const filed = await hall.central.ctx.db.query<{ device_id: string }>('SELECT device_id FROM help_requests');
      expect(filed.map((r) => r.device_id)).toEqual(['robot-1']);
      await robot.screenshot({ path: join(shots, 'robot-help.png') });
    } finally {
      await robot.close();
    }
  });
});
