/**
 * 条件预判 end to end, in Debian's Chromium against the hall `npm start` runs: the 老年人优待证
 * questionnaire tells a citizen one day short of 59 years and 10 months (the card may be
 * applied for two months before 60) that they do not qualify and why (in Chinese, English
 * and elderly mode), one who is 59 years and 10 months today goes on to the guide and a
 * ticket, and nobody signed in is asked for the card, the verdict following
 * the sign-in. In the console, the 试算 panel gives verdicts for sample answers and card
 * facts, and a broken rule is refused on publishing with its field named while the kiosk
 * keeps the last good configuration. Screens under test-artifacts/eligibility/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { hallDate } from '../../electron/services/session.ts';
import { monthsOn } from '../../config/age.ts';
import { queueOf } from '../../server/queue/index.ts';
import { openHallClock } from '../helpers/open-hall-clock.ts';
import { artifactDir, openKioskHome, RESIDENT } from './browser.ts';
import { hallInChromium, type SuiteHall } from './suite-hall.ts';

const SENIOR = 'GZ-WJ-002';
let suite: SuiteHall;
let page: Page;
let kioskBase: string;
const shots = artifactDir('eligibility');

async function sim(path: string, body: unknown): Promise<void> {
  const res = await fetch(`${kioskBase}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.ok, `${path} answered ${res.status}`).toBe(true);
}

/** The date `years` years before today on the hall's calendar, moved by `days`. */
function bornYearsAgo(years: number, days = 0): string {
  const [y, m, d] = hallDate(new Date()).split('-').map(Number);
  return new Date(Date.UTC(y - years, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The youngest citizen who is 59 years and 10 months old today on the hall's calendar: the first day they may apply. */
function bornTwoMonthsBefore60(): string {
  const today = hallDate(new Date());
  const [y, m, d] = today.split('-').map(Number);
  // Start a few days after the plain subtraction and step back: some days (30 December) are nobody's 59y10m day.
  for (let back = -3; ; back += 1) {
    const birth = new Date(Date.UTC(y - 59, m - 1 - 10, d - back)).toISOString().slice(0, 10);
    if (monthsOn(birth, today)! >= 59 * 12 + 10) return birth;
  }
}

/** The day after `birth`: one day short of the age `birth` has reached. */
const dayAfter = (birth: string) => new Date(Date.parse(birth) + 86_400_000).toISOString().slice(0, 10);

async function signInBorn(birth: string): Promise<void> {
  await sim('/sim/idcard/insert', { card: 'resident', birth });
  await expect.poll(() => page.getByTestId('person').innerText().catch(() => ''), { timeout: 10_000 }).toContain(RESIDENT.maskedName);
}

/** From home: the senior card's guide, its questionnaire, 首次申领. */
async function askSeniorCard(): Promise<void> {
  await page.getByTestId('search-box').click();
  for (const key of 'lnrydz') await page.click(`[data-testid="keyboard"] [data-key="${key}"]`);
  await page.locator(`[data-testid="results"] [data-code="${SENIOR}"]`).click();
  await page.getByTestId('start-questionnaire').click();
  await page.locator('[data-option="首次申领"]').click();
}

const verdict = () => page.getByTestId('eligibility').getAttribute('data-verdict').catch(() => null);

beforeAll(async () => {
  suite = await hallInChromium('eligibility');
  kioskBase = new URL(suite.hall.urls.kiosk).origin;
  // A weekday morning on both ends, so the eligible citizen can take a ticket whenever the suite runs.
  const clock = openHallClock();
  queueOf(suite.hall.central.ctx)!.clock.source = clock;
  suite.hall.kiosk.get('queue').clock.source = clock;
});

beforeEach(async () => {
  await sim('/sim/idcard/remove', {});
  suite.hall.kiosk.hub.emit('kiosk.reset', { reason: 'next test' });
  page = await openKioskHome(suite.chromium.browser, suite.hall.urls.kiosk, page);
  await expect.poll(() => page.getByTestId('person').count()).toBe(0);
});

afterAll(async () => {
  await suite?.close();
});

describe('eligibility at the kiosk', () => {
  it('tells a citizen one day short of 59 years and 10 months that they do not qualify, and why, in Chinese, English and elderly mode', async () => {
    const birth = dayAfter(bornTwoMonthsBefore60());
    await signInBorn(birth);
    await askSeniorCard();
    await expect.poll(verdict).toBe('ineligible');
    const panel = page.getByTestId('eligibility');
    expect(await panel.locator('h2').innerText()).toBe('您不符合条件');
    expect(await page.getByTestId('eligibility-reason').innerText()).toBe('因为：老年人优待卡发给年满60周岁的老年人，最早可在60周岁生日前两个月申领，您还未到可以申领的时间。');
    // The card's facts stay on the host: the page holds the verdict, never the birth date or the number.
    const html = await page.content();
    expect(html).not.toContain(birth);
    expect(html).not.toContain(RESIDENT.idNumber.slice(0, 10));
    await page.screenshot({ path: join(shots, '01-ineligible.png') });

    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => panel.locator('h2').innerText()).toBe('You do not qualify');
    expect(await page.getByTestId('eligibility-reason').innerText()).toBe('Because: The senior citizen card is for people aged 60 and over, and you may apply from two months before your 60th birthday; that day has not come yet.');
    await page.getByTestId('lang-toggle').click();

    const before = await page.getByTestId('eligibility-reason').evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
    await page.getByTestId('elderly-toggle').click();
    await expect.poll(() => page.getByTestId('eligibility-reason').evaluate((e) => parseFloat(getComputedStyle(e).fontSize))).toBeGreaterThan(before * 1.2);
    await page.screenshot({ path: join(shots, '02-ineligible-elderly.png') });
    await page.getByTestId('elderly-toggle').click();

    // Changing the answer goes back to the question, nothing else lost.
    await page.getByTestId('eligibility-change').click();
    await page.locator('[data-option="遗失补领"]').click();
    await expect.poll(verdict).toBe('eligible');
  });

  it('lets a citizen who is 59 years and 10 months old today go on to the guide of their case and take a ticket', async () => {
    await signInBorn(bornTwoMonthsBefore60());
    await askSeniorCard();
    await expect.poll(verdict).toBe('eligible');
    expect(await page.getByTestId('eligibility').locator('h2').innerText()).toBe('您符合条件');
    await page.screenshot({ path: join(shots, '03-eligible.png') });
    await page.getByTestId('eligibility-continue').click();
    await page.locator(`[data-testid="guide"][data-code="${SENIOR}"]`).waitFor();
    expect(await page.getByTestId('case-name').innerText()).toBe('首次申领');
    // The guide gives the item's sourced facts: 15 working days, and the residence permit for those registered elsewhere.
    expect(await page.getByTestId('guide').innerText()).toContain('15(工作日)');
    expect(await page.getByTestId('guide').innerText()).toContain('广州市居住证');
    await page.getByTestId('take-ticket').click();
    await page.getByTestId('take-now').click();
    await page.getByTestId('ticket').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('ticket-number').innerText()).toMatch(/^[A-Z]{1,2}\d{3}$/);
  });

  it('gives the verdict for a case picked on the guide before its guide and ticket', async () => {
    await signInBorn(dayAfter(bornTwoMonthsBefore60()));
    await page.getByTestId('search-box').click();
    for (const key of 'lnrydz') await page.click(`[data-testid="keyboard"] [data-key="${key}"]`);
    await page.locator(`[data-testid="results"] [data-code="${SENIOR}"]`).click();
    await page.locator('[data-case="GZ-WJ-002-01"]').click();
    await expect.poll(verdict).toBe('ineligible');
    expect(await page.getByTestId('eligibility-reason').innerText()).toContain('最早可在60周岁生日前两个月申领');
    // 换个选择 goes to the question the case answers, as after the questions themselves.
    await page.getByTestId('eligibility-change').click();
    await page.locator('[data-option="遗失补领"]').click();
    await expect.poll(verdict).toBe('eligible');
    await page.getByTestId('eligibility-continue').click();
    await page.locator(`[data-testid="guide"][data-code="${SENIOR}"]`).waitFor();
    expect(await page.getByTestId('case-name').innerText()).toBe('遗失补领');
  });

  it('asks for the card when nobody signed in, and decides once the card is read', async () => {
    await askSeniorCard();
    await expect.poll(verdict).toBe('ask');
    expect(await page.getByTestId('eligibility-reason').innerText()).toBe('预判需要核对您身份证上的年龄。请把身份证放在读卡区，或到窗口咨询。');
    await page.screenshot({ path: join(shots, '04-ask-for-card.png') });
    await signInBorn(bornYearsAgo(59));
    await expect.poll(verdict).toBe('ineligible');
  });
});

describe('eligibility in the console', () => {
  async function consoleOnSeniorItem(): Promise<Page> {
    const [, username, password] = /username: (\S+)\npassword: (\S+)/.exec(readFileSync(suite.hall.adminPasswordFile, 'utf8'))!;
    const staff = await suite.chromium.browser.newPage();
    await staff.setViewportSize({ width: 1440, height: 900 });
    await staff.goto(suite.hall.urls.console);
    // The browser keeps the staff session of an earlier test; sign in only where it asks.
    const figures = staff.getByRole('heading', { name: '今日数据' });
    await staff.locator('input[name=username]').or(figures).first().waitFor();
    if (!(await figures.isVisible())) {
      await staff.fill('input[name=username]', username);
      await staff.fill('input[name=password]', password);
      await staff.click('button[type=submit]');
      await figures.waitFor();
    }
    await staff.getByRole('navigation').getByRole('button', { name: '服务事项' }).click();
    await staff.getByLabel('搜索事项').fill(SENIOR);
    await staff.getByRole('button', { name: /老年人优待证办理/ }).click();
    return staff;
  }

  it('gives the verdict for sample answers and card facts in 试算', async () => {
    const staff = await consoleOnSeniorItem();
    const trial = staff.getByTestId('eligibility-trial');
    const verdictOf = () => trial.getByTestId('trial-verdict').getAttribute('data-verdict');
    await trial.getByLabel('您要办理「老年人优待证办理」的哪种业务？').selectOption('首次申领');
    await trial.getByLabel('年龄（周岁）').fill('59');
    await expect.poll(verdictOf).toBe('ineligible');
    expect(await trial.getByTestId('trial-verdict').innerText()).toContain('最早可在60周岁生日前两个月申领');
    await trial.getByLabel('又几个月').fill('10');
    await expect.poll(verdictOf).toBe('eligible');
    await trial.getByLabel('又几个月').fill('9');
    await expect.poll(verdictOf).toBe('ineligible');
    await trial.getByLabel('年龄（周岁）').fill('60');
    await expect.poll(verdictOf).toBe('eligible');
    await trial.getByLabel('已刷身份证').uncheck();
    await expect.poll(verdictOf).toBe('ask');
    expect(await trial.getByTestId('trial-verdict').innerText()).toContain('缺少身份证信息：年龄');
    await staff.screenshot({ path: join(shots, '05-console-trial.png') });
    await staff.close();
  });

  it('refuses to publish a broken rule, naming its field, and kiosks keep the last good configuration', async () => {
    const central = suite.hall.central;
    const versionBefore = suite.hall.kiosk.context.store.version;
    const staff = await consoleOnSeniorItem();
    const box = staff.getByLabel('情形问卷');
    const text = await box.inputValue();
    expect(text).toContain('"years": 59');
    await box.fill(text.replace('"years": 59', '"years": -59'));
    // 试算 names the problem before anything is published.
    await staff.getByTestId('trial-problems').waitFor();
    expect(await staff.getByTestId('trial-problems').innerText()).toContain('eligibility.rules[0].when.age.below.years: expected a number of whole years ≥ 0');
    await staff.getByRole('button', { name: '应用问卷修改' }).click();
    await staff.getByRole('button', { name: '保存为新版本' }).click();
    const problems = staff.getByRole('region', { name: '保存配置' }).locator('ul.problems').filter({ hasText: 'eligibility.rules[0].when.age.below.years' });
    await problems.waitFor();
    expect(await problems.innerText()).toMatch(/questionnaires\[\d+\]\.eligibility\.rules\[0\]\.when\.age\.below\.years\s+expected a number of whole years ≥ 0 \(found -59\)/);
    await staff.screenshot({ path: join(shots, '06-console-refused.png') });
    await staff.close();

    // The platform still serves, and the kiosk still runs, the last good rules.
    expect(central.ctx.config.version).toBe(versionBefore);
    expect(suite.hall.kiosk.context.store.version).toBe(versionBefore);
    await signInBorn(bornYearsAgo(59));
    await askSeniorCard();
    await expect.poll(verdict).toBe('ineligible');
  });
});
