/**
 * The browser kiosk's screen: Debian's Chromium in kiosk mode on the host's page, kept
 * alive. Where Electron cannot be installed this is the kiosk, so it must recover the
 * way Electron's main process does: a crashed renderer, a hung page (the watchdog) or
 * a browser that died all end with the home screen back, the citizen's data gone.
 * playwright-core only speaks the DevTools protocol here; it downloads nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { Logger } from 'pino';
import type { ScreenWatchdog } from '../services/watchdog.ts';

export interface BrowserKioskOptions {
  url: string;
  executablePath: string;
  watchdog: ScreenWatchdog;
  log: Logger;
  /** Tests and headless terminals; a real kiosk shows the page full screen. */
  headless?: boolean;
  viewport?: { width: number; height: number };
}

export interface BrowserKiosk {
  readonly page: Page;
  /** Times the screen was brought back, by cause. */
  readonly recoveries: Record<'crash' | 'hang' | 'browser-exit', number>;
  close(): Promise<void>;
}

// Off the network a closed hall machine does not have, and no prompts a citizen could meet.
export const BROWSER_KIOSK_FLAGS = [
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--disable-translate',
  '--disable-features=Translate,MediaRouter',
  '--disable-pinch',
  '--overscroll-history-navigation=0',
  '--noerrdialogs',
  '--autoplay-policy=no-user-gesture-required',
];

export async function launchBrowserKiosk(opts: BrowserKioskOptions): Promise<BrowserKiosk> {
  const recoveries = { crash: 0, hang: 0, 'browser-exit': 0 };
  let context: BrowserContext;
  let page: Page;
  let profile = '';
  let closing = false;
  let chain: Promise<void> = Promise.resolve();

  const args = [...BROWSER_KIOSK_FLAGS, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), ...(opts.headless ? ['--disable-gpu'] : ['--kiosk', '--start-fullscreen'])];

  const watch = (p: Page) => {
    p.on('crash', () => {
      opts.watchdog.crashed('renderer crashed');
      recover('crash');
    });
    // The kiosk never leaves its own host: anything else (a link in a guide, a typed URL) goes home.
    p.on('framenavigated', (frame) => {
      if (frame === p.mainFrame() && !frame.url().startsWith(new URL(opts.url).origin)) void p.goto(opts.url).catch(() => {});
    });
  };

  const openPage = async () => {
    page = await context.newPage();
    watch(page);
    opts.watchdog.reset();
    await page.goto(opts.url);
  };

  const launch = async () => {
    // A fresh profile every launch: nothing a citizen typed survives in the browser's storage.
    if (profile) rmSync(profile, { recursive: true, force: true });
    profile = mkdtempSync(join(tmpdir(), 'xiaojin-kiosk-profile-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: opts.executablePath,
      headless: opts.headless ?? false,
      viewport: opts.viewport ?? null,
      args,
    });
    context.on('close', () => {
      if (!closing) recover('browser-exit');
    });
    for (const p of context.pages()) await p.close().catch(() => {});
    await openPage();
  };

  function recover(cause: keyof typeof recoveries): void {
    if (closing) return;
    chain = chain.then(async () => {
      if (closing) return;
      opts.log.warn({ cause, before: recoveries[cause] }, 'bringing the kiosk screen back to home');
      try {
        if (cause === 'browser-exit') {
          await launch();
        } else {
          // A hung renderer cannot run a reload; closing its tab first lets the browser kill
          // the process, so the new tab does not land in the frozen one.
          await page.close({ runBeforeUnload: false }).catch(() => {});
          await openPage();
        }
        recoveries[cause] += 1;
      } catch (err) {
        opts.log.error({ cause, err: (err as Error).message }, 'could not bring the kiosk screen back');
      }
    });
  }

  const onHung = () => recover('hang');
  opts.watchdog.on('hung', onHung);
  await launch();

  return {
    get page() {
      return page;
    },
    recoveries,
    async close() {
      closing = true;
      opts.watchdog.off('hung', onHung);
      await chain.catch(() => {});
      await context.close().catch(() => {});
      if (profile) rmSync(profile, { recursive: true, force: true });
    },
  };
}
