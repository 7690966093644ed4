/**
 * The browser kiosk's host serves the home screen already drawn: the one-tap groups, the
 * hot items and the help and language buttons of the configuration in force at the
 * request, and the data they were drawn from for the page's script to take over. A
 * changed configuration shows on the next load; a page the host cannot draw is still served.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeTerminal, type KioskServices } from '../../../electron/services/kiosk-services.ts';
import { startKioskHost, type RunningHost } from '../../../electron/host/kiosk-host.ts';
import { createLogger } from '../../../electron/services/log.ts';
import { KIOSK_BOOT_ID, type KioskHomeBoot } from '../../../protocol/ui/prerender.ts';
import { removeTempDirs, tempDir } from '../server/helpers.ts';

const closers: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const c of closers.reverse()) await c();
  removeTempDirs();
});

/** A renderer folder holding only the kiosk page: its source stands in for the build, since the host fills the same root element in either. */
function pageDir(template?: string): string {
  const dir = tempDir('xj-kiosk-page-');
  mkdirSync(join(dir, 'kiosk'));
  if (template === undefined) copyFileSync(resolve(import.meta.dirname, '../../../renderer/kiosk/index.html'), join(dir, 'kiosk', 'index.html'));
  else writeFileSync(join(dir, 'kiosk', 'index.html'), template);
  return dir;
}

async function terminalWithHost(staticDir: string): Promise<{ services: KioskServices; host: RunningHost }> {
  const services = await composeTerminal({ kioskId: 'kiosk-1', dataDir: tempDir(), log: createLogger('it-kiosk-page', 'silent') }, []);
  const host = await startKioskHost(services, { port: 0, home: 'kiosk', staticDir });
  closers.push(async () => {
    await host.close();
    await services.close();
  });
  return { services, host };
}

const attrs = (html: string, name: string) => [...html.matchAll(new RegExp(`${name}="([^"]+)"`, 'g'))].map((m) => m[1]);

function boot(html: string): KioskHomeBoot {
  const m = html.match(new RegExp(`<script type="application/json" id="${KIOSK_BOOT_ID}">(.*?)</script>`, 's'));
  expect(m, 'the page carries its boot data').not.toBeNull();
  return JSON.parse(m![1]) as KioskHomeBoot;
}

describe('the kiosk page as the host serves it', () => {
  let services: KioskServices;
  let host: RunningHost;

  beforeAll(async () => {
    ({ services, host } = await terminalWithHost(pageDir()));
  });

  async function served(path = '/kiosk/'): Promise<string> {
    const res = await fetch(`${host.url}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    // Drawn from the configuration at this request, so never kept by a browser.
    expect(res.headers.get('cache-control')).toBe('no-store');
    return res.text();
  }

  it('has the home tiles of the configuration in force, in Chinese', async () => {
    const { config } = services.context.store;
    const html = await served();
    expect(attrs(html, 'data-group')).toEqual(config.hall.groups.map((g) => g.id));
    // The first page of hot items (twelve a page) and every theme and department of the first pages.
    expect(attrs(html, 'data-code')).toEqual(config.menus.hot.slice(0, 12));
    expect(attrs(html, 'data-theme')).toEqual(config.menus.themes.slice(0, 18).map((t) => t.id));
    const firstHot = config.catalogue.items.find((i) => i.code === config.menus.hot[0])!;
    expect(html).toContain(`data-code="${firstHot.code}">${firstHot.name}</button>`);
    expect(html).toContain(`<span class="hall-name">${config.hall.name}</span>`);
    expect(html).toContain('data-testid="help-button"');
    expect(html).toContain('data-testid="lang-toggle" lang="en">English</button>');
    expect(html).toContain('<html lang="zh-CN">');
    const data = boot(html);
    expect(data.home.menus.hot).toEqual(config.menus.hot);
    expect(Object.keys(data.home.items).sort()).toEqual([...new Set(config.menus.hot)].filter((c) => config.catalogue.items.some((i) => i.code === c)).sort());
    expect(await served('/kiosk/index.html')).toContain(`data-code="${firstHot.code}"`);
  });

  it('shows a changed menu on the next load', async () => {
    const store = services.context.store;
    const before = store.config;
    const newcomer = before.catalogue.items.find((i) => !before.menus.hot.includes(i.code))!;
    const next = structuredClone(before);
    next.menus.hot = [newcomer.code, ...before.menus.hot.slice(0, 5)];
    next.hall.groups[0].name = `${before.hall.groups[0].name}（新）`;
    expect(store.apply(next)).toBeNull();
    const html = await served();
    expect(attrs(html, 'data-code')).toEqual(next.menus.hot);
    expect(html).toContain(`data-code="${newcomer.code}">${newcomer.name}</button>`);
    expect(html).toContain(`${next.hall.groups[0].name}</button>`);
    expect(boot(html).home.menus.hot).toEqual(next.menus.hot);
  });

  it('keeps text from closing the boot data script early', async () => {
    const store = services.context.store;
    const next = structuredClone(store.config);
    next.hall.name = '小今</script><script>alert(1)</script>中心';
    expect(store.apply(next)).toBeNull();
    const html = await served();
    expect(html).not.toContain('<script>alert(1)');
    expect(boot(html).info.hallName).toBe(next.hall.name);
  });
});

describe('a kiosk page the host cannot draw into', () => {
  it('is served as built, for its script to draw', async () => {
    const template = '<!doctype html><html><body><main id="app"></main></body></html>';
    const { host } = await terminalWithHost(pageDir(template));
    const res = await fetch(`${host.url}/kiosk/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(template);
  });
});
