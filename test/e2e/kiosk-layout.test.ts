/**
 * The kiosk's layout measured in Debian's Chromium (#17 defect 3): the search keyboard's
 * candidate bar scrolls sideways with every button keeping the width its text needs, and
 * elderly mode's home screen gives the screen to larger tiles instead of leaving it empty.
 * Geometry, not pixels, is asserted; each case is shot under test-artifacts/kiosk-layout/.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { RunningHall } from '../../cli/hall.ts';
import { artifactDir, LANDSCAPE, openKioskHome, PORTRAIT, type LaunchedBrowser } from './browser.ts';
import { hallInChromium, type SuiteHall } from './suite-hall.ts';

/** A syllable pair spelling catalogue words and many characters (身份 省份 … 信 审 申 …): more than the bar can show. */
const MANY_CANDIDATES = 'shenfen';
/** "Most of the screen": the share of the screen's visible content area elderly tiles must cover. */
const ELDERLY_TILE_COVER = 0.5;

let suite: SuiteHall;
let hall: RunningHall;
let chromium: LaunchedBrowser;
let page: Page;
const shots = artifactDir('kiosk-layout');

beforeAll(async () => {
  suite = await hallInChromium('kiosk-layout');
  ({ hall, chromium } = suite);
});

afterAll(async () => {
  await suite?.close();
});

beforeEach(async () => {
  hall.kiosk.hub.emit('kiosk.reset', { reason: 'next test' });
  page = await openKioskHome(chromium.browser, hall.urls.kiosk, page);
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

/** Every hot item's code, turning the hot list's pages from the first to the last. */
async function hotCodes(): Promise<string[]> {
  const section = page.locator('section[aria-labelledby="hot-title"]');
  const prev = section.locator('.pager button').first();
  while (await prev.isVisible() && await prev.isEnabled()) await prev.click();
  const codes: string[] = [];
  for (;;) {
    const shown = await section.locator('.tile').evaluateAll((tiles) => tiles.map((t) => t.getAttribute('data-code') ?? ''));
    codes.push(...shown);
    const next = section.locator('.pager button').last();
    if (!(await next.isVisible()) || !(await next.isEnabled())) return codes;
    const first = shown[0];
    await next.click();
    await expect.poll(() => section.locator('.tile').first().getAttribute('data-code')).not.toBe(first);
  }
}

describe('elderly home', () => {
  for (const [label, size] of [['portrait', PORTRAIT], ['landscape', LANDSCAPE]] as const) {
    it(`fills the screen with larger tiles, more of them where they fit (${label})`, async () => {
      await page.setViewportSize(size);
      const standardTile = await page.locator('.tiles.hot .tile').first().boundingBox();
      await setElderly(true);
      const cover = () => page.evaluate(() => {
        const screen = document.querySelector<HTMLElement>('.screen')!.getBoundingClientRect();
        const seen = (r: DOMRect) => Math.max(0, Math.min(r.right, screen.right) - Math.max(r.left, screen.left)) * Math.max(0, Math.min(r.bottom, screen.bottom) - Math.max(r.top, screen.top));
        const tiles = [...document.querySelectorAll<HTMLElement>('.home .tiles .tile')].map((t) => t.getBoundingClientRect());
        return tiles.reduce((sum, r) => sum + seen(r), 0) / (screen.width * screen.height);
      });
      await expect.poll(cover).toBeGreaterThanOrEqual(ELDERLY_TILE_COVER);
      await page.screenshot({ path: join(shots, `home-elderly-${label}.png`) });

      // Everything on the page is reachable without scrolling the screen: the pagers turn pages instead.
      const screen = await page.evaluate(() => { const s = document.querySelector<HTMLElement>('.screen')!; return { scrollHeight: s.scrollHeight, clientHeight: s.clientHeight }; });
      expect(screen.scrollHeight).toBeLessThanOrEqual(screen.clientHeight);

      // Larger than the standard tiles, and no tile's text spills out of it.
      const elderlyTile = await page.locator('.tiles.hot .tile').first().boundingBox();
      expect(elderlyTile!.height).toBeGreaterThan(standardTile!.height);
      const spilled = await page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.home .tiles .tile')].filter((t) => t.scrollWidth > t.clientWidth || t.scrollHeight > t.clientHeight).map((t) => t.textContent));
      expect(spilled).toEqual([]);

      // The sections (one-tap groups, hot items, themes, departments) share the screen without overlapping.
      const boxes = await page.locator('.home > section').evaluateAll((els) => els.map((e) => { const r = e.getBoundingClientRect(); return { l: r.left, r: r.right, t: r.top, b: r.bottom }; }));
      for (const [i, a] of boxes.entries()) for (const b of boxes.slice(i + 1)) expect(a.r <= b.l + 1 || b.r <= a.l + 1 || a.b <= b.t + 1 || b.b <= a.t + 1).toBe(true);
      // Pages sized to the screen still list every hot item once.
      await setElderly(false);
      const standardCodes = await hotCodes();
      await setElderly(true);
      expect(await hotCodes()).toEqual(standardCodes);
    });
  }
});
