/**
 * A terminal with its screen as `xiaojin kiosk` runs it (services, host, Chromium kept
 * alive by the watchdog, headless here), in this test process: the process whose tree
 * holds the Chromium renderers is this one.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, vi } from 'vitest';
import { composeTerminal, type KioskServices } from '../../electron/services/kiosk-services.ts';
import { terminalParts } from '../../electron/services/modules.ts';
import { startKioskHost, type RunningHost } from '../../electron/host/kiosk-host.ts';
import { launchBrowserKiosk, type BrowserKiosk } from '../../electron/host/browser-kiosk.ts';
import { createLogger } from '../../electron/services/log.ts';
import { ensureRendererBuilt } from '../../cli/hall.ts';
import { CHROMIUM, PORTRAIT } from '../e2e/browser.ts';
import type { SoakHall } from '../../cli/soak/contract.ts';
import { soakHall, type TestSoakHall } from './soak-hall.ts';

export interface ScreenTerminal {
  services: KioskServices;
  host: RunningHost;
  screen: BrowserKiosk;
  /** This terminal as a SoakHall lists it. */
  entry: SoakHall['terminals'][string];
  close(): Promise<void>;
}

export async function startScreenTerminal(opts: { silenceMs: number }): Promise<ScreenTerminal> {
  await ensureRendererBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'xj-soak-screen-'));
  const log = createLogger('soak-screen', 'silent');
  // Stand-alone (no platform): the renderer faults need only the screen and its host.
  const services = await composeTerminal({ kioskId: 'kiosk-1', dataDir, log, watchdog: { silenceMs: opts.silenceMs, checkMs: 250 } }, terminalParts());
  const host = await startKioskHost(services, { port: 0, home: 'kiosk' });
  const screen = await launchBrowserKiosk({ url: `${host.url}/kiosk/`, executablePath: CHROMIUM, watchdog: services.context.watchdog, log, headless: true, viewport: PORTRAIT });
  await vi.waitFor(() => {
    if (!services.context.watchdog.alive) throw new Error('the kiosk page has not beaten yet');
  }, { timeout: 30_000, interval: 100 });
  return {
    services,
    host,
    screen,
    entry: { url: host.url, dataDir, pid: () => process.pid },
    async close() {
      await screen.close();
      await host.close();
      await services.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A screen terminal for each test that asks, closed after it, with the SoakHall that
 * lists it as 'kiosk-1' (no platform: the renderer faults do not reach one).
 */
export function screenTerminalPerTest(): (opts: { silenceMs: number }) => Promise<{ terminal: ScreenTerminal; hall: TestSoakHall }> {
  let current: ScreenTerminal | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return async (opts) => {
    current = await startScreenTerminal(opts);
    return { terminal: current, hall: soakHall('http://127.0.0.1:1', { 'kiosk-1': current.entry }) };
  };
}

/** The process's state letter from /proc (R running, S sleeping, T stopped), or null once it is gone. */
export function processState(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return null;
  }
}
