/**
 * The kiosk's layout measured in Debian's Chromium (#17 defect 3): the search keyboard's
 * candidate bar scrolls sideways with every button keeping the width its text needs.
 * Geometry, not pixels, is asserted; each case is shot under test-artifacts/kiosk-layout/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startHall, type RunningHall } from '../../cli/hall.ts';
import { createLogger } from '../../electron/services/log.ts';
import { artifactDir, LANDSCAPE, launchChromium, PORTRAIT, type LaunchedBrowser } from './browser.ts';

/** A syllable pair spelling catalogue words and many characters (身份 省份 … 信 审 申 …): more than the bar can show. */
const MANY_CANDIDATES = 'shenfen';

let hall: RunningHall;
let chromium: LaunchedBrowser;
let page: Page;
let dataDir: string;
const shots = artifactDir('kiosk-layout');

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'xj-kiosk-layout-'));
  hall = await startHall({ dataDir, ports: { central: 0, kiosk: 0, robot: 0 }, log: createLogger('e2e', 'warn') });
  chromium = await launchChromium(PORTRAIT);
});

afterAll(async () => {
  await chromium?.close();
  await hall?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

beforeEach(async () => {
  hall.kiosk.hub.emit('kiosk.reset', { reason: 'next test' });
  await page?.close();
  page = await chromium.browser.newPage();
  page.on('pageerror', (err) => console.error('kiosk page error:', err.message));
  await page.goto(hall.urls.kiosk);
  await page.getByTestId('home').waitFor({ timeout: 20_000 });
});

interface Box { left: number; top: number; right: number; bottom: number }

interface BarGeometry {
  bar: { scrollWidth: number; clientWidth: number; box: Box };
  keyboard: Box;
  buttons: { text: string; scrollWidth: number; clientWidth: number; box: Box; content: Box; glyphs: Box }[];
}

/** The candidate bar, its keyboard and every candidate: border box, padding box and where the text is drawn. */
function measureBar(): Promise<BarGeometry> {
  return page.evaluate(() => {
    const box = (r: DOMRect) => ({ left: r.left, top: r.top, right: r.right, bottom: r.bottom });
    const bar = document.querySelector<HTMLElement>('[data-testid="candidates"]')!;
    const keyboard = document.querySelector<HTMLElement>('[data-testid="keyboard"]')!;
    const buttons = [...bar.querySelectorAll<HTMLElement>('[data-candidate]')].map((b) => {
      const r = b.getBoundingClientRect();
      // A button's scrollWidth need not grow when its text spills over, so the text's own box is measured too.
      const range = document.createRange();
      range.selectNodeContents(b);
      return {
        text: b.textContent ?? '',
        scrollWidth: b.scrollWidth,
        clientWidth: b.clientWidth,
        box: box(r),
        content: { left: r.left + b.clientLeft, top: r.top + b.clientTop, right: r.left + b.clientLeft + b.clientWidth, bottom: r.top + b.clientTop + b.clientHeight },
        glyphs: box(range.getBoundingClientRect()),
      };
    });
    return { bar: { scrollWidth: bar.scrollWidth, clientWidth: bar.clientWidth, box: box(bar.getBoundingClientRect()) }, keyboard: box(keyboard.getBoundingClientRect()), buttons };
  });
}

const overlaps = (a: Box, b: Box) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
const inside = (inner: Box, outer: Box) => inner.left >= outer.left - 0.5 && inner.right <= outer.right + 0.5;

async function openSearchWithManyCandidates(): Promise<void> {
  await page.getByTestId('search-box').click();
  for (const k of MANY_CANDIDATES) await page.click(`[data-testid="keyboard"] [data-key="${k}"]`);
  await expect.poll(() => page.locator('[data-testid="candidates"] [data-candidate]').count()).toBeGreaterThan(12);
}

async function setElderly(on: boolean): Promise<void> {
  if ((await page.getByTestId('elderly-toggle').getAttribute('aria-pressed')) !== String(on)) await page.getByTestId('elderly-toggle').click();
  await expect.poll(() => page.evaluate(() => document.documentElement.classList.contains('elderly'))).toBe(on);
}

describe('the candidate bar', () => {
  for (const elderly of [false, true]) {
    for (const [label, size] of [['portrait', PORTRAIT], ['landscape', LANDSCAPE]] as const) {
      it(`scrolls with readable, unclipped, separate buttons (${elderly ? 'elderly' : 'standard'}, ${label})`, async () => {
        await page.setViewportSize(size);
        await setElderly(elderly);
        await openSearchWithManyCandidates();
        // The layout settles after the resize and the mode switch; every check waits for the same measure to hold.
        await expect.poll(async () => {
          const g = await measureBar();
          return {
            scrolls: g.bar.scrollWidth > g.bar.clientWidth,
            barInKeyboard: inside(g.bar.box, g.keyboard),
            keyboardOnScreen: g.keyboard.right <= size.width,
            clipped: g.buttons.filter((b) => b.scrollWidth > b.clientWidth || !inside(b.glyphs, b.content)).map((b) => b.text),
            overlapping: g.buttons.flatMap((b, i) => g.buttons.slice(i + 1).filter((c) => overlaps(b.box, c.box) || overlaps(b.glyphs, c.glyphs)).map((c) => `${b.text}/${c.text}`)),
          };
        }).toEqual({ scrolls: true, barInKeyboard: true, keyboardOnScreen: true, clipped: [], overlapping: [] });
        await page.screenshot({ path: join(shots, `candidates-${elderly ? 'elderly' : 'standard'}-${label}.png`) });

        // Readable: candidates are drawn at least as large as the keyboard's letters.
        const sizes = await page.evaluate(() => ({
          candidate: parseFloat(getComputedStyle(document.querySelector('[data-candidate]')!).fontSize),
          key: parseFloat(getComputedStyle(document.querySelector('[data-key="q"]')!).fontSize),
        }));
        expect(sizes.candidate).toBeGreaterThanOrEqual(sizes.key);

        // Scrolling brings the last candidate fully into the bar, still unclipped.
        await page.locator('[data-testid="candidates"] [data-candidate]').last().scrollIntoViewIfNeeded();
        await expect.poll(async () => {
          const g = await measureBar();
          const last = g.buttons[g.buttons.length - 1];
          return inside(last.box, g.bar.box) && inside(last.glyphs, last.content);
        }).toBe(true);
      });
    }
  }
});
