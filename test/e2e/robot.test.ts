/**
 * The robot screen end to end, in Debian's Chromium (portrait) against the hall that
 * `npm start` runs (startHall): a suggested question by touch, a typed question with
 * the spec's example (护士执业证书重新注册 → windows B01、B10), a clarification answered
 * with a big button, and "带我去B01窗口" drawing the route and showing the robot lead.
 * Screens are shot under test-artifacts/robot/.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startHall, type RunningHall } from '../../cli/hall.ts';
import { createLogger } from '../../electron/services/log.ts';
import { artifactDir, launchChromium, PORTRAIT, type LaunchedBrowser } from './browser.ts';
import { openHallClock } from '../helpers/open-hall-clock.ts';
import { queueOf } from '../../server/queue/index.ts';

let hall: RunningHall;
let chromium: LaunchedBrowser;
let page: Page;
let dataDir: string;
const speech: string[] = [];
const shots = artifactDir('robot');

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'xiaojin-robot-e2e-'));
  hall = await startHall({ dataDir, ports: { central: 0, kiosk: 0, robot: 0 }, log: createLogger('e2e-robot', 'silent') });
  hall.robot.hub.on('kiosk.speech', (s) => speech.push(s.audio));
  chromium = await launchChromium(PORTRAIT);
});

// Each test starts from a freshly loaded robot screen, not from where the last one left it.
beforeEach(async () => {
  await page?.close();
  page = await chromium.browser.newPage();
  await page.goto(hall.urls.robot);
});

afterAll(async () => {
  await chromium?.close();
  await hall?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function askTyped(q: string): Promise<string> {
  // Read the old answer before asking: a fast engine replaces it before a later read.
  const prev = await page.getByTestId('answer').textContent({ timeout: 500 }).catch(() => null);
  await page.getByTestId('question').fill(q);
  await page.getByTestId('question').press('Enter');
  await page.waitForFunction((old) => document.querySelector('[data-testid="answer"]')?.textContent !== old, prev);
  return (await page.getByTestId('answer').textContent()) ?? '';
}

/** Publish the hall's follow check at the platform and wait until the robot runs it; returns how to put it back. */
async function setFollowCheck(followCheck: { enabled: boolean; everySeconds: number; answerSeconds: number }): Promise<() => Promise<void>> {
  const password = /password: (\S+)/.exec(readFileSync(hall.adminPasswordFile, 'utf8'))![1];
  const login = await fetch(`${hall.urls.central}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
  const { token } = (await login.json()) as { token: string };
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const publish = async (value: typeof followCheck) => {
    const { version, config } = (await (await fetch(`${hall.urls.central}/api/config`, { headers })).json()) as { version: number; config: { robot: { followCheck: typeof followCheck } } };
    config.robot.followCheck = value;
    const res = await fetch(`${hall.urls.central}/api/config`, { method: 'POST', headers, body: JSON.stringify({ config, baseVersion: version, note: 'e2e follow check' }) });
    const published = (await res.json()) as { version: number };
    await expect.poll(() => hall.robot.context.store.version, { timeout: 15_000 }).toBe(published.version);
  };
  const before = hall.robot.context.store.config.robot.followCheck;
  await publish(followCheck);
  return () => publish(before);
}

describe('robot screen', () => {
  it('greets and offers suggested questions that answer by touch', async () => {
    await page.getByTestId('suggestion').first().waitFor();
    expect(await page.getByTestId('suggestion').count()).toBeGreaterThan(2);
    await page.screenshot({ path: join(shots, '01-welcome.png') });
    await page.getByTestId('suggestion').filter({ hasText: '几点下班' }).click();
    await page.getByTestId('answer').waitFor();
    expect(await page.getByTestId('answer').textContent()).toContain('17:00');
  });

  it('answers the spec example with the windows of this hall and a full card', async () => {
    const answer = await askTyped('护士执业证书重新注册在哪办?');
    expect(answer).toContain('B01、B10');
    const card = await page.getByTestId('card').textContent();
    expect(card).toContain('护士执业注册');
    expect(card).toContain('重新注册');
    // The robot says it too: the host synthesized the sentence for the page to play.
    await expect.poll(() => speech.length, { timeout: 15_000 }).toBeGreaterThan(0);
    expect(Buffer.from(speech.at(-1)!, 'base64').toString('ascii', 0, 4)).toBe('RIFF');
    await page.screenshot({ path: join(shots, '02-answer.png') });
  });

  it('asks which sub-case with big buttons and takes a touch', async () => {
    await askTyped('社保卡要带什么材料');
    expect(await page.getByTestId('option').count()).toBe(4);
    await page.screenshot({ path: join(shots, '03-clarify.png') });
    await page.getByTestId('option').nth(1).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="answer"]')?.textContent?.includes('挂失证明'));
  });

  it('leads to a window and draws the route on the map', async () => {
    await askTyped('带我去B零一窗口');
    await page.getByTestId('guide').waitFor();
    expect(await page.getByTestId('guide').getAttribute('data-state')).toBe('leading');
    expect(await page.getByTestId('route').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('map').getAttribute('data-floor')).toBe('F1');
    // It walks on the hall's simulated base: it says so, and its position moves on the map.
    await expect.poll(() => page.getByTestId('robot-say').textContent()).toContain('请跟我来');
    await expect.poll(() => page.getByTestId('robot-state').getAttribute('data-state')).toBe('guiding');
    await page.getByTestId('robot-pose').waitFor();
    await page.screenshot({ path: join(shots, '04-guide.png') });
    // The emergency stop on the screen stops the base at once.
    await page.getByTestId('estop').click();
    await expect.poll(() => page.getByTestId('robot-state').getAttribute('data-state')).toBe('stopped');
    const state = async () => (await (await fetch(`${hall.urls.robotBase}/state`)).json()) as { goal: unknown; speed: number };
    await expect.poll(async () => (await state()).goal).toBeNull();
    await expect.poll(async () => (await state()).speed).toBe(0);
    await page.getByTestId('resume').click();
    await expect.poll(() => page.getByTestId('robot-state').getAttribute('data-state')).toMatch(/returning|at-post/);
  });

  it('pauses the walk to ask 您还跟着我吗? with a button, and walks on at the tap', async () => {
    const goals = async () => ((await (await fetch(`${hall.urls.robotBase}/state`)).json()) as { goal: { action: string } | null }).goal;
    // The hall asks after 5 s of walking for this test: staff change it at the platform, and the robot takes it live.
    const restore = await setFollowCheck({ enabled: true, everySeconds: 5, answerSeconds: 120 });
    try {
      await expect.poll(() => page.getByTestId('robot-state').getAttribute('data-state'), { timeout: 30_000 }).toMatch(/at-post|returning/);
      await askTyped('带我去B01窗口');
      await expect.poll(async () => (await goals())?.action).toBe('/navigate_to_pose');
      await page.getByTestId('follow-check').waitFor({ timeout: 20_000 });
      expect(await page.getByTestId('follow-check').textContent()).toContain('您还跟着我吗？');
      await expect.poll(() => page.getByTestId('robot-say').getAttribute('data-kind')).toBe('follow-check');
      // The robot waits where it is while it asks.
      await expect.poll(goals).toBeNull();
      expect(await page.getByTestId('robot-state').getAttribute('data-state')).toBe('guiding');
      await page.screenshot({ path: join(shots, '05-follow-check.png') });
      await page.getByTestId('follow-yes').click();
      await page.getByTestId('follow-check').waitFor({ state: 'detached' });
      await expect.poll(() => page.getByTestId('robot-say').textContent()).toBe('好的，请跟我来。');
      await expect.poll(async () => (await goals())?.action).toBe('/navigate_to_pose');
      await page.getByTestId('estop').click();
      await expect.poll(goals).toBeNull();
      await page.getByTestId('resume').click();
    } finally {
      await restore();
    }
  });

  it('stops from the staff console: 急停 there cancels the walk, both screens show it stopped, 恢复 sends it back', async () => {
    const goals = async () => ((await (await fetch(`${hall.urls.robotBase}/state`)).json()) as { goal: { action: string } | null }).goal;
    await expect.poll(() => page.getByTestId('robot-state').getAttribute('data-state'), { timeout: 30_000 }).toMatch(/at-post|returning/);
    const staff = await chromium.browser.newPage();
    try {
      await staff.goto(hall.urls.console);
      await staff.fill('input[name=username]', 'admin');
      await staff.fill('input[name=password]', /password: (\S+)/.exec(readFileSync(hall.adminPasswordFile, 'utf8'))![1]);
      await staff.click('button[type=submit]');
      await staff.getByRole('navigation').getByRole('button', { name: '设备状态' }).click();
      const row = staff.locator('tr[data-device="robot-1"]');
      await row.waitFor();
      await askTyped('带我去B01窗口');
      await expect.poll(async () => (await goals())?.action).toBe('/navigate_to_pose');
      await row.getByTestId('robot-estop').click();
      await expect.poll(() => row.getByTestId('robot-guide').getAttribute('data-state')).toBe('stopped');
      expect(await goals()).toBeNull();
      await expect.poll(() => page.getByTestId('robot-state').getAttribute('data-state')).toBe('stopped');
      expect(await page.getByTestId('robot-state').textContent()).toContain('工作人员在控制台急停');
      await staff.screenshot({ path: join(shots, '06-console-estop.png') });
      await row.getByTestId('robot-resume').click();
      await expect.poll(() => page.getByTestId('robot-state').getAttribute('data-state')).toMatch(/returning|at-post/);
    } finally {
      await staff.close();
    }
  });

  it('offers to lead and walks only on the visitor\'s yes', async () => {
    const goals = async () => ((await (await fetch(`${hall.urls.robotBase}/state`)).json()) as { goal: { action: string } | null }).goal;
    await expect.poll(() => page.getByTestId('robot-state').getAttribute('data-state'), { timeout: 30_000 }).toMatch(/at-post|returning/);
    await askTyped('B05窗口在哪');
    // The offer's answers are buttons: 是 is the visitor's yes, sent as their next turn.
    await page.getByTestId('choice').first().waitFor();
    expect(await page.getByTestId('choice').allTextContents()).toEqual(['是', '不用']);
    expect(await page.getByTestId('guide').count()).toBe(0);
    await page.getByTestId('choice').first().click();
    await page.getByTestId('guide').waitFor();
    await expect.poll(async () => (await goals())?.action).toBe('/navigate_to_pose');
    await page.getByTestId('estop').click();
    await expect.poll(goals).toBeNull();
  });

  it('不用 on the screen declines the offer and the robot stays', async () => {
    await askTyped('医保的窗口在哪边');
    await page.getByTestId('choice').first().waitFor();
    await page.getByTestId('choice').nth(1).click();
    await expect.poll(() => page.locator('section.answer').getAttribute('data-intent')).toBe('stop');
    expect(await page.getByTestId('guide').count()).toBe(0);
  });

  it('takes the ticket a visitor asked for with one touch', async () => {
    // Tickets are issued only while the hall is open: this one is taken on a weekday morning.
    const clock = openHallClock();
    queueOf(hall.central.ctx)!.clock.source = clock;
    hall.robot.get('queue').clock.source = clock;
    expect(await askTyped('我要取个社保的号')).toContain('社保医保');
    await page.getByTestId('take-ticket').click();
    await expect.poll(() => page.getByTestId('ticket').textContent()).toMatch(/A\d{3}/);
    await page.screenshot({ path: join(shots, '06-ticket.png') });
  });

  it("switches to English at the visitor's touch and starts the next visitor in Chinese", async () => {
    const visitor = await chromium.browser.newPage();
    try {
      await visitor.goto(hall.urls.robot);
      const input = visitor.getByTestId('question');
      await expect.poll(() => input.getAttribute('placeholder')).toBe('请输入您的问题');
      await visitor.getByTestId('lang-toggle').click();
      await expect.poll(() => input.getAttribute('placeholder')).toBe('Type your question');
      expect(await visitor.locator('.welcome').innerText()).toContain("Hello, I'm Xiaojin");
      expect(await visitor.locator('html').getAttribute('lang')).toBe('en');
      await visitor.screenshot({ path: join(shots, '05-english.png') });
      await visitor.reload();
      await expect.poll(() => visitor.getByTestId('question').getAttribute('placeholder')).toBe('请输入您的问题');
    } finally {
      await visitor.close();
    }
  });
});
