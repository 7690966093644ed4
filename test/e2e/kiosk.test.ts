/**
 * The citizen kiosk end to end, in Debian's Chromium against the hall `npm start` runs
 * (startHall) with simulated devices: search by pinyin initials, the guide and the way
 * to the window, the questionnaire to one sub-case, ID-card sign-in, printing the
 * checklist, a bad rating reaching staff as a follow-up, the printer out of paper, and
 * the idle timeout wiping everything personal. Each step is shot in portrait and
 * landscape under test-artifacts/kiosk/.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startHall, type RunningHall } from '../../cli/hall.ts';
import { DEFAULT_CONFIG_DIR } from '../../config/load.ts';
import type { ServiceItem } from '../../config/schema.ts';
import { openDb } from '../../server/db/open.ts';
import { createStaffUser } from '../../server/staff/index.ts';
import { createLogger } from '../../electron/services/log.ts';
import { artifactDir, hallConfigWithIdle, LANDSCAPE, launchChromium, openKioskHome, PORTRAIT, RESIDENT, type LaunchedBrowser } from './browser.ts';
import { findFile } from './suite-hall.ts';

const IDLE_SECONDS = 15;
const COUNTDOWN_SECONDS = 3;
const { name: NAME, maskedName: MASKED_NAME, idNumber: ID_NUMBER, maskedId: MASKED_ID } = RESIDENT;

let hall: RunningHall;
let chromium: LaunchedBrowser;
let page: Page;
let dataDir: string;
let configDir: string;
let kioskBase: string;
const shots = artifactDir('kiosk');

async function shoot(step: string): Promise<void> {
  for (const [label, size] of [['portrait', PORTRAIT], ['landscape', LANDSCAPE]] as const) {
    await page.setViewportSize(size);
    // Screenshots are artifacts, not assertions: a short pause lets the layout settle after the resize.
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(shots, `${step}-${label}.png`) });
  }
}

async function sim(path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${kioskBase}${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.ok, `${path} answered ${res.status}`).toBe(true);
  const text = await res.text();
  return text ? JSON.parse(text) : null;
}

async function typeKeys(keys: string): Promise<void> {
  for (const k of keys) await page.click(`[data-testid="keyboard"] [data-key="${k}"]`);
}

async function searchAndOpen(keys: string, code: string): Promise<void> {
  await page.getByTestId('go-home').or(page.getByTestId('home')).first().waitFor();
  if (await page.getByTestId('go-home').isVisible()) await page.getByTestId('go-home').click();
  await page.getByTestId('search-box').click();
  await typeKeys(keys);
  await page.locator(`[data-testid="results"] [data-code="${code}"]`).click();
  await page.locator(`[data-testid="guide"][data-code="${code}"]`).waitFor();
}

const items = JSON.parse(readFileSync(join(DEFAULT_CONFIG_DIR, 'catalogue.json'), 'utf8')).items as ServiceItem[];
const driving = items.find((i) => i.name === '机动车驾驶证初次申领')!;
const drivingCase = driving.cases.find((c) => c.name === '外国人申领小型汽车准驾车型')!;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'xj-kiosk-e2e-'));
  configDir = hallConfigWithIdle('xj-kiosk-config-', IDLE_SECONDS, COUNTDOWN_SECONDS);
  // One window keeps shorter hours than the hall, as a hall's part-time window does.
  const hallFile = join(configDir, 'hall.json');
  const hallJson = JSON.parse(readFileSync(hallFile, 'utf8')) as { windows: { id: string; openingHours?: unknown }[] };
  hallJson.windows.find((w) => w.id === 'A01')!.openingHours = [{ days: [1, 2, 3, 4, 5], open: '09:00', close: '12:00' }];
  writeFileSync(hallFile, JSON.stringify(hallJson, null, 1));
  hall = await startHall({ dataDir, configDir, ports: { central: 0, kiosk: 0, robot: 0 }, log: createLogger('e2e', 'warn') });
  kioskBase = new URL(hall.urls.kiosk).origin;
  chromium = await launchChromium(PORTRAIT);
});

// The hall is shared, the citizen is not: each test starts on a fresh page at home with
// nobody signed in, no card on the reader and paper in the printer.
beforeEach(async () => {
  await sim('/sim/idcard/remove', {});
  await sim('/sim/printer/paper', { lines: 1000 });
  hall.kiosk.hub.emit('kiosk.reset', { reason: 'next test' });
  page = await openKioskHome(chromium.browser, hall.urls.kiosk, page);
  await expect.poll(() => page.getByTestId('person').count()).toBe(0);
});

/** Answers the driving-licence questionnaire to the foreigner's small-car case. */
async function answerDrivingQuestionnaire(): Promise<void> {
  await searchAndOpen('jdcjszccsl', driving.code);
  await page.getByTestId('start-questionnaire').click();
  await page.locator('[data-option="外国人"]').click();
  await page.locator('[data-option="小型汽车准驾车型"]').click();
  await page.locator(`[data-testid="guide"][data-code="${driving.code}"]`).waitFor();
  await expect.poll(() => page.getByTestId('case-name').innerText()).toBe(drivingCase.name);
}

/** Puts the resident's card on the reader and waits for the kiosk to sign them in. */
async function signInWithCard(): Promise<void> {
  await sim('/sim/idcard/insert', { card: 'resident' });
  await expect.poll(() => page.getByTestId('person').innerText().catch(() => ''), { timeout: 10_000 }).toContain(MASKED_NAME);
}

afterAll(async () => {
  await chromium?.close();
  await hall?.close();
  for (const d of [dataDir, configDir]) if (d) rmSync(d, { recursive: true, force: true });
});

describe('citizen kiosk', () => {
  it('finds 社保卡 from the pinyin initials sbk, as the citizen types', async () => {
    await shoot('01-home');
    await page.getByTestId('search-box').click();
    await typeKeys('sb');
    await expect.poll(() => page.getByTestId('results').locator('[data-code]').count()).toBeGreaterThan(0);
    await typeKeys('k');
    const first = page.getByTestId('results').locator('[data-code]').first();
    await expect.poll(() => first.getAttribute('data-code')).toBe('GZ-SB-001');
    expect(await first.innerText()).toContain('社会保障卡申领');
    expect(await page.getByTestId('candidates').innerText()).toContain('社保卡');
    await shoot('02-search-sbk');
  });

  it('takes a physical keyboard and an input method, reads a typo as what it meant, and shows its length limit', async () => {
    await page.getByTestId('search-box').click();
    const input = page.getByTestId('type-here');
    await input.focus();
    await page.keyboard.type('huzhoa');
    expect(await page.getByTestId('composition').textContent()).toBe('huzhoa');
    const first = page.getByTestId('results').locator('[data-code]').first();
    await expect.poll(() => first.getAttribute('data-code')).toBe('GZ-CRJ-002');
    expect(await page.getByTestId('did-you-mean').textContent()).toContain('护照');
    await shoot('02b-search-typo');
    await page.click('[data-testid="keyboard"] [data-key="clear"]');
    // A system input method: a composition, then the text it commits.
    const cdp = await page.context().newCDPSession(page);
    await input.focus();
    await cdp.send('Input.imeSetComposition', { text: 'shebaoka', selectionStart: 8, selectionEnd: 8 });
    await cdp.send('Input.insertText', { text: '社保卡' });
    await expect.poll(() => page.getByTestId('query').textContent()).toBe('社保卡');
    await expect.poll(() => first.getAttribute('data-code')).toBe('GZ-SB-001');
    // The limit is said, not silent.
    await cdp.send('Input.insertText', { text: '社会保障卡申领'.repeat(6) });
    await expect.poll(() => page.getByTestId('length').textContent()).toBe('40/40');
    await page.getByTestId('length-full').waitFor();
    expect(await page.getByTestId('length-full').textContent()).toBe('最多输入 40 个字');
    await shoot('02c-search-limit');
    await page.click('[data-testid="keyboard"] [data-key="clear"]');
  });

  it('opens the guide with materials, limits, windows and the way there', async () => {
    await searchAndOpen('sbk', 'GZ-SB-001');
    const guide = page.getByTestId('guide');
    const text = await guide.innerText();
    for (const s of ['广州市人力资源和社会保障局', '居民身份证', '承诺时限', '跑动次数', '020-12333', 'A01']) expect(text).toContain(s);
    // The bundled hall names no address phones can reach, so the guide shows no QR code.
    expect(await page.getByTestId('qr').count()).toBe(0);
    await shoot('03-guide');
    await page.getByTestId('show-way').click();
    await page.getByTestId('map').waitFor();
    expect(await page.getByTestId('map-instruction').innerText()).toContain('A01');
    expect(await page.locator('[data-testid="map"] [data-window="A01"].target').count()).toBe(1);
    await shoot('04-map');
    await page.getByTestId('map').getByRole('button', { name: /关闭/ }).click();
  });

  it('completes the guide: the fee or 不收费, the hall\'s and each window\'s hours, how the result is collected, and English names or a plain Chinese-only note', async () => {
    await searchAndOpen('sbk', 'GZ-SB-001');
    // The hall states no fee for this item: the guide says where to ask rather than leave it out.
    expect(await page.getByTestId('fee').innerText()).toBe('以窗口告知为准');
    expect(await page.getByTestId('hall-hours').innerText()).toBe('周一至周五 09:00–17:00；周六 09:00–12:00');
    expect(await page.locator('[data-testid="windows"] [data-window="A01"]').innerText()).toContain('本窗口办公时间：周一至周五 09:00–12:00');
    expect(await page.locator('[data-testid="windows"] [data-window="A02"]').innerText()).toContain('按大厅办公时间');
    expect(await page.getByTestId('result-fact').innerText()).toBe('办结后请本人带身份证到窗口领取');
    expect(await page.getByTestId('guide').innerText()).not.toContain('需现场领取');
    await shoot('03b-guide-hours');

    await searchAndOpen('jhdj', 'GZ-MZ-001');
    expect(await page.getByTestId('fee').innerText()).toBe('不收费');
    expect(await page.getByTestId('zh-only-notice').count()).toBe(0);
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => page.locator('.backbar h1').innerText()).toBe('Marriage registration');
    expect(await page.getByTestId('fee').innerText()).toBe('Free of charge');
    expect(await page.getByTestId('hall-hours').innerText()).toBe('Mon–Fri 09:00–17:00; Sat 09:00–12:00');
    const notice = await page.getByTestId('zh-only-notice').innerText();
    expect(notice).toContain('only available in Chinese');
    expect(notice).not.toContain('no English name');
    await shoot('03c-guide-english');

    // A portal item the hall has not translated keeps its Chinese name and says so.
    await page.getByTestId('lang-toggle').click();
    await searchAndOpen('jdcjszccsl', driving.code);
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => page.getByTestId('zh-only-notice').innerText()).toContain('This service has no English name yet; its Chinese name is shown.');
    expect(await page.locator('.backbar h1').innerText()).toBe(driving.name);
    await shoot('03d-guide-chinese-only');
    await page.getByTestId('lang-toggle').click();
  });

  it('answers the questionnaire one question per screen to the exact sub-case and its materials', async () => {
    await searchAndOpen('jdcjszccsl', driving.code);
    await page.getByTestId('start-questionnaire').click();
    expect(await page.getByTestId('question').innerText()).toBe('申请人属于哪一类？');
    await shoot('05-question-1');
    await page.locator('[data-option="外国人"]').click();
    await expect.poll(() => page.getByTestId('question').innerText()).not.toBe('申请人属于哪一类？');
    await shoot('06-question-2');
    await page.locator('[data-option="小型汽车准驾车型"]').click();
    await page.locator(`[data-testid="guide"][data-code="${driving.code}"]`).waitFor();
    expect(await page.getByTestId('case-name').innerText()).toBe(drivingCase.name);
    const materials = await page.getByTestId('materials').innerText();
    expect(drivingCase.materials.length).toBeGreaterThan(0);
    for (const m of drivingCase.materials) expect(materials).toContain(m.name);
    await shoot('07-case-materials');
  });

  it('signs the citizen in with the ID card and shows only masked values', async () => {
    await answerDrivingQuestionnaire();
    await signInWithCard();
    expect(await page.getByTestId('person').innerText()).toContain(MASKED_ID);
    const html = await page.content();
    expect(html).not.toContain(NAME);
    expect(html).not.toContain(ID_NUMBER);
    await shoot('08-signed-in');
  });

  it('tells a citizen whose ID card has expired, in Chinese and English, and opens the renewal item', async () => {
    await sim('/sim/idcard/insert', { card: 'resident', validTo: '2020-01-01' });
    const notice = page.getByTestId('card-expiry');
    await expect.poll(() => notice.innerText().catch(() => '')).toContain('您的身份证已过期');
    expect(await notice.innerText()).toContain('2020-01-01');
    await shoot('08b-card-expired');
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => notice.innerText()).toContain('Your ID card has expired');
    await page.getByTestId('lang-toggle').click();
    await page.getByTestId('card-renew').click();
    await page.locator('[data-testid="guide"][data-code="GZ-GA-003"]').waitFor();
    await expect.poll(() => page.getByTestId('case-name').innerText()).toBe('有效期满换领');
    expect(await page.getByTestId('fee').innerText()).toBe('20元');
    expect(await notice.count()).toBe(0);
    await shoot('08c-card-renewal');
  });

  it('prints the checklist and the printer renders its materials', async () => {
    await answerDrivingQuestionnaire();
    await signInWithCard();
    const before = ((await sim('/sim/printer/receipts')) as unknown[]).length;
    await page.getByTestId('print').click();
    await page.getByTestId('print-done').waitFor({ timeout: 15_000 });
    await shoot('09-printed');
    const receipts = (await sim('/sim/printer/receipts')) as { text: string; qr: string[] }[];
    expect(receipts.length).toBe(before + 1);
    const slip = receipts[receipts.length - 1];
    expect(slip.text).toContain('办事材料清单');
    expect(slip.text).toContain(drivingCase.name.slice(0, 6));
    for (const m of drivingCase.materials) expect(slip.text.replace(/\s+/g, '')).toContain(m.name.replace(/\s+/g, ''));
    // The bundled hall names no phone guide: no QR on paper or screen rather than one that opens nothing.
    expect(slip.qr).toEqual([]);
    expect(slip.text).not.toContain('扫码');
    expect(await page.getByTestId('qr').count()).toBe(0);
    expect(slip.text).not.toContain(NAME);
  });

  it('rates 不满意 with a reason, and staff see the follow-up at the central platform', async () => {
    await answerDrivingQuestionnaire();
    await page.getByTestId('rate').click();
    await page.locator('[data-level="2"]').click();
    expect(await page.getByTestId('submit-rating').isDisabled()).toBe(true);
    await page.getByTestId('need-reason').waitFor();
    await shoot('10-rating-needs-reason');
    await page.locator('[data-reason="等候时间长"]').click();
    await page.getByTestId('submit-rating').click();
    await page.getByTestId('rating-done').waitFor();
    await shoot('11-rating-done');

    const dbFile = findFile(dataDir, 'central.db');
    expect(dbFile, 'the central platform keeps central.db under the hall data folder').not.toBeNull();
    const db = openDb(dbFile!, dataDir);
    await createStaffUser(db, { username: 'e2e-manager', password: 'e2e-pass-9f3k', role: 'hall-manager' });
    const login = await fetch(`${new URL(hall.urls.central).origin}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'e2e-manager', password: 'e2e-pass-9f3k' }),
    });
    expect(login.ok).toBe(true);
    const { token } = (await login.json()) as { token: string };
    const followup = async () => {
      const res = await fetch(`${new URL(hall.urls.central).origin}/api/followups`, { headers: { authorization: `Bearer ${token}` } });
      const body = (await res.json()) as { followups: Record<string, unknown>[] };
      return body.followups.find((f) => JSON.stringify(f).includes('等候时间长')) ?? null;
    };
    await expect.poll(followup, { timeout: 30_000, interval: 500 }).not.toBeNull();
    const f = (await followup())!;
    expect(JSON.stringify(f)).toContain(driving.code);
    expect(Number(f.level)).toBe(2);
  });

  it('says where to get the checklist instead when the printer is out of paper', async () => {
    await sim('/sim/printer/paper', { lines: 0 });
    await searchAndOpen('sbk', 'GZ-SB-001');
    const print = page.getByTestId('print');
    const alternative = page.getByTestId('print-alternative');
    // Either the kiosk has already heard the printer is out (the button goes disabled and the
    // alternative shows by itself) or it learns it from a print that is held. Which one comes
    // first is a race with the printer's status poll, so try a click only while neither has.
    await expect
      .poll(
        async () => {
          if (await alternative.isVisible()) return true;
          await print.click({ timeout: 1_000 }).catch(() => undefined);
          return alternative.isVisible();
        },
        { timeout: 15_000 },
      )
      .toBe(true);
    expect(await alternative.innerText()).toMatch(/缺纸|不可用|无法打印/);
    // No phone address in the bundled hall: the desk, not a QR code that opens nothing.
    expect(await alternative.innerText()).toContain('咨询导办台');
    expect(await page.getByTestId('qr').count()).toBe(0);
    expect(await page.content()).not.toMatch(/Error:|at \w+ \(|stack/);
    await shoot('12-no-paper-qr');
    await sim('/sim/printer/paper', { lines: 1000 });
  });

  it('elderly mode enlarges the screen and reads it aloud', async () => {
    const spoken: string[] = [];
    const off = hall.kiosk.hub.on('kiosk.speech', (s) => spoken.push(s.audio));
    const normal = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
    await page.getByTestId('elderly-toggle').click();
    await searchAndOpen('sbk', 'GZ-SB-001');
    const large = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
    expect(large).toBeGreaterThan(normal);
    // The guide was read out: the host synthesized it and the page holds the audio to play.
    await expect.poll(() => spoken.length, { timeout: 15_000 }).toBeGreaterThan(0);
    expect(Buffer.from(spoken.at(-1)!, 'base64').toString('ascii', 0, 4)).toBe('RIFF');
    await shoot('12b-elderly-guide');
    await page.getByTestId('elderly-toggle').click();
    off();
  });

  it('returns home after the idle timeout and leaves nothing personal in the DOM or storage', async () => {
    // A citizen who searched and signed in, then walked away.
    await searchAndOpen('jdcjszccsl', driving.code);
    await signInWithCard();
    await page.getByTestId('idle-countdown').waitFor({ timeout: (IDLE_SECONDS + 5) * 1000 });
    await shoot('13-idle-countdown');
    await page.getByTestId('home').waitFor({ timeout: (COUNTDOWN_SECONDS + 5) * 1000 });
    await expect.poll(() => page.getByTestId('person').count()).toBe(0);
    const html = await page.content();
    for (const secret of [MASKED_NAME, MASKED_ID, NAME, ID_NUMBER]) expect(html).not.toContain(secret);
    const storage = await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length }));
    expect(storage).toEqual({ local: 0, session: 0 });
    await page.getByTestId('search-box').click();
    expect(await page.getByTestId('query').innerText()).not.toContain('jdcjszccsl');
    await page.getByTestId('go-home').click();
    await shoot('14-home-after-idle');
  });
});

