/**
 * The browser kiosk keeps itself alive: Chromium in kiosk mode (headless here) on a
 * kiosk host, launched and watched by `launchBrowserKiosk` as `xiaojin kiosk` runs it.
 * A page whose main thread freezes and a renderer that crashes both end with the home
 * screen back and the citizen's session wiped, and each is recorded in the terminal's
 * outbox as a screen fault and its recovery for the console's fault history.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { composeTerminal, type KioskServices } from '../../electron/services/kiosk-services.ts';
import { terminalParts } from '../../electron/services/modules.ts';
import { startKioskHost, type RunningHost } from '../../electron/host/kiosk-host.ts';
import { launchBrowserKiosk, type BrowserKiosk } from '../../electron/host/browser-kiosk.ts';
import { createLogger } from '../../electron/services/log.ts';
import { CHROMIUM, PORTRAIT } from './browser.ts';
import Database from 'better-sqlite3';

let dataDir: string;
let services: KioskServices;
let host: RunningHost;
let screen: BrowserKiosk;
let resets: string[] = [];

// Each test gets its own terminal and screen: a recovery one test causes is not another's starting point.
beforeEach(async () => {
  resets = [];
  dataDir = mkdtempSync(join(tmpdir(), 'xj-watchdog-'));
  const log = createLogger('e2e-watchdog', 'silent');
  // Stand-alone terminal (no platform): the watchdog needs only the screen and its host.
  services = await composeTerminal({ kioskId: 'kiosk-1', dataDir, log, watchdog: { silenceMs: 6000, checkMs: 250 } }, terminalParts());
  services.hub.on('kiosk.reset', (r) => resets.push(r.reason));
  host = await startKioskHost(services, { port: 0, home: 'kiosk' });
  screen = await launchBrowserKiosk({ url: `${host.url}/kiosk/`, executablePath: CHROMIUM, watchdog: services.context.watchdog, log, headless: true, viewport: PORTRAIT });
  await screen.page.getByTestId('home').waitFor({ timeout: 20_000 });
  await vi.waitFor(() => expect(services.context.watchdog.alive).toBe(true), { timeout: 15_000, interval: 100 });
});

afterEach(async () => {
  await screen?.close();
  await host?.close();
  await services?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** The screen's fault records waiting in the stand-alone terminal's outbox: state and detail. */
function screenFaults(): string[] {
  const db = new Database(join(dataDir, 'outbox.db'), { readonly: true });
  try {
    const rows = db.prepare("SELECT payload FROM outbox WHERE type = 'device-fault' ORDER BY seq").all() as { payload: string }[];
    return rows.map((r) => JSON.parse(r.payload) as { device: string; state: string; detail?: string }).filter((f) => f.device === 'screen').map((f) => `${f.state}${f.detail ? `: ${f.detail}` : ''}`);
  } finally {
    db.close();
  }
}

describe('browser kiosk watchdog', () => {
  it('brings a frozen page back to home and wipes the session', async () => {
    const frozen = screen.page;
    // Freeze the page's main thread for good, the way a runaway loop in a screen would.
    await frozen.evaluate('setTimeout(() => { for (;;) {} }, 0)');
    await expect.poll(() => screen.recoveries.hang, { timeout: 30_000 }).toBe(1);
    expect(resets).toContain('hang');
    await expect.poll(() => screen.page !== frozen, { timeout: 20_000 }).toBe(true);
    await screen.page.getByTestId('home').waitFor({ timeout: 20_000 });
    await expect.poll(() => services.context.watchdog.alive, { timeout: 15_000 }).toBe(true);
    await expect.poll(screenFaults).toHaveLength(2);
    expect(screenFaults()[0]).toMatch(/^faulty: hung \((reported|silent)/);
    expect(screenFaults()[1]).toBe('ok');
  });

  it('brings a crashed renderer back to home', async () => {
    const before = screen.page;
    await before.goto('chrome://crash').catch(() => {});
    await expect.poll(() => screen.recoveries.crash, { timeout: 20_000 }).toBe(1);
    await screen.page.getByTestId('home').waitFor({ timeout: 20_000 });
    expect(screen.page).not.toBe(before);
    // The crash was not also counted as a hang: one cause, one recovery.
    expect(screen.recoveries.hang).toBe(0);
    expect(resets).not.toContain('hang');
    await expect.poll(screenFaults).toEqual(['faulty: renderer crashed', 'ok']);
  });
});
