/**
 * A hall on free ports (startHall, as `npm start` runs it) and one Chromium, for suites
 * that need nothing else of their own: `close()` ends both and removes the hall's data.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHall, type RunningHall } from '../../cli/hall.ts';
import { createLogger } from '../../electron/services/log.ts';
import { launchChromium, PORTRAIT, type LaunchedBrowser } from './browser.ts';

export interface SuiteHall {
  hall: RunningHall;
  chromium: LaunchedBrowser;
  close(): Promise<void>;
}

export async function hallInChromium(suite: string, viewport = PORTRAIT): Promise<SuiteHall> {
  const dataDir = mkdtempSync(join(tmpdir(), `xj-${suite}-`));
  let hall: RunningHall | undefined;
  let chromium: LaunchedBrowser | undefined;
  const close = async () => {
    await chromium?.close();
    await hall?.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    hall = await startHall({ dataDir, ports: { central: 0, kiosk: 0, robot: 0 }, log: createLogger('e2e', 'warn') });
    chromium = await launchChromium(viewport);
    return { hall, chromium, close };
  } catch (err) {
    await close();
    throw err;
  }
}
