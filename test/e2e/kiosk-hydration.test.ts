/**
 * The kiosk home page as the host serves it, in Debian's Chromium: the tiles are in the
 * HTML before any script runs, the page's script takes over those same elements without
 * a hydration mismatch, and a tap on a served tile then works. The page as built (what
 * Electron loads) still draws the screen itself. A signed-in citizen's name never reaches
 * the served page. Shots under test-artifacts/kiosk-hydration/.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHall } from '../../cli/hall.ts';
import { RENDERER_DIR } from '../../electron/host/kiosk-host.ts';
import { artifactDir, launchChromium, PORTRAIT, RESIDENT, waitForTakeover, type LaunchedBrowser } from './browser.ts';
import { hallInChromium, type SuiteHall } from './suite-hall.ts';

let suite: SuiteHall;
let hall: RunningHall;
let chromium: LaunchedBrowser;
const shots = artifactDir('kiosk-hydration');

beforeAll(async () => {
  suite = await hallInChromium('kiosk-hydration');
  ({ hall, chromium } = suite);
});

afterAll(async () => {
  await suite?.close();
});

async function sim(path: string, body: unknown): Promise<void> {
  const res = await fetch(`${new URL(hall.urls.kiosk).origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.ok, `${path} answered ${res.status}`).toBe(true);
}

describe('the served kiosk home page', () => {
  it('is taken over by its script as served, and a tap on a served tile opens its guide', async () => {
    const page = await chromium.browser.newPage();
    // The console also carries the page's usual noise (a meta CSP's frame-ancestors, no favicon).
    const errors: string[] = [];
    const crashes: string[] = [];
    page.on('console', (msg) => msg.type() === 'error' && errors.push(msg.text()));
    page.on('pageerror', (err) => crashes.push(err.message));
    // The first hot tile as the HTML parser made it, before any script could draw one.
    await page.addInitScript(() => {
      const w = window as unknown as { __servedTile?: Element | null; __scriptRan?: boolean };
      new MutationObserver((_, obs) => {
        const tile = document.querySelector('.tiles.hot [data-code]');
        if (!tile) return;
        w.__servedTile = tile;
        obs.disconnect();
      }).observe(document, { childList: true, subtree: true });
    });
    try {
      const response = await page.goto(hall.urls.kiosk);
      const html = await response!.text();
      const hot = hall.kiosk.context.store.config.menus.hot;
      expect(html).toContain(`data-code="${hot[0]}"`);
      await waitForTakeover(page);
      await page.screenshot({ path: join(shots, 'home-taken-over.png') });

      // Hydration kept the served elements: a mismatch would have React draw new ones.
      const tile = page.locator(`.tiles.hot [data-code="${hot[0]}"]`);
      expect(await tile.evaluate((el) => (window as unknown as { __servedTile?: Element }).__servedTile === el)).toBe(true);
      await tile.click();
      await page.locator(`[data-testid="guide"][data-code="${hot[0]}"]`).waitFor();
      expect(await tile.count()).toBe(0);
      await page.screenshot({ path: join(shots, 'guide-from-served-tile.png') });
      // React's production build names a mismatch by its error number (418: text or element differs).
      expect(errors.filter((e) => /hydrat|#418|#419|#423|#425/i.test(e)), errors.join('\n')).toEqual([]);
      expect(crashes).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('holds a tap made before the script has taken over and acts on it once it has', async () => {
    const page = await chromium.browser.newPage();
    // React's DOM renderer is held back until the tap is made, so the tap surely comes first.
    let letReactIn!: () => void;
    const gate = new Promise<void>((resolve) => (letReactIn = resolve));
    await page.route(/\/assets\/client-[^/]*\.js$/, async (route) => {
      await gate;
      await route.continue();
    });
    try {
      await page.goto(hall.urls.kiosk, { waitUntil: 'domcontentloaded' });
      const code = hall.kiosk.context.store.config.menus.hot[1];
      await page.locator(`.tiles.hot [data-code="${code}"]`).click();
      expect(await page.evaluate(() => performance.getEntriesByName('kiosk:ready').length)).toBe(0);
      letReactIn();
      await page.locator(`[data-testid="guide"][data-code="${code}"]`).waitFor({ timeout: 20_000 });
    } finally {
      letReactIn();
      await page.close();
    }
  });

  it('takes a tap on a served one-tap group to the ticket screen, and switches language', async () => {
    const page = await chromium.browser.newPage();
    try {
      await page.goto(hall.urls.kiosk);
      await waitForTakeover(page);
      await page.getByTestId('lang-toggle').click();
      const group = hall.kiosk.context.store.config.hall.groups[0];
      await expect.poll(() => page.locator(`[data-group="${group.id}"]`).innerText()).toContain(group.nameEn ?? group.name);
      await page.locator(`[data-group="${group.id}"]`).click();
      await expect.poll(() => page.locator('main.screen').getAttribute('data-screen')).toBe('ticket');
    } finally {
      await page.close();
    }
  });

  it('draws the home screen itself from the page as built, as Electron loads it', async () => {
    // A page Playwright fulfils has no address space of its own, so Chromium's local
    // network check would refuse its WebSocket to the host on loopback.
    const electronLike = await launchChromium(PORTRAIT, ['--disable-features=LocalNetworkAccessChecks']);
    const page = await electronLike.browser.newPage();
    const crashes: string[] = [];
    page.on('pageerror', (err) => crashes.push(err.message));
    try {
      // Electron serves dist/renderer/kiosk/index.html as it is, with an empty root and no boot data.
      await page.route(hall.urls.kiosk, (route) => route.fulfill({ path: join(RENDERER_DIR, 'kiosk', 'index.html'), contentType: 'text/html; charset=utf-8' }));
      const response = await page.goto(hall.urls.kiosk);
      expect(await response!.text()).not.toContain('data-testid="home"');
      await waitForTakeover(page);
      const code = hall.kiosk.context.store.config.menus.hot[1];
      await page.locator(`.tiles.hot [data-code="${code}"]`).click();
      await page.locator(`[data-testid="guide"][data-code="${code}"]`).waitFor();
      expect(crashes).toEqual([]);
    } finally {
      await electronLike.close();
    }
  });

  it('never carries a signed-in citizen into the served page', async () => {
    await sim('/sim/idcard/insert', { card: 'resident' });
    try {
      await expect.poll(async () => {
        const session = await hall.kiosk.router.dispatch('session.get', {});
        return session.ok && (session.value as { person: unknown }).person !== null;
      }).toBe(true);
      const html = await (await fetch(hall.urls.kiosk)).text();
      expect(html).toContain('data-testid="home"');
      for (const personal of [RESIDENT.name, RESIDENT.idNumber, RESIDENT.maskedName, RESIDENT.maskedId]) expect(html).not.toContain(personal);
      expect(html).not.toContain('data-testid="person"');
    } finally {
      await sim('/sim/idcard/remove', {});
    }
  });
});
