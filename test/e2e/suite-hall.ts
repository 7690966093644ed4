/**
 * A hall on free ports (startHall, as `npm start` runs it) and one Chromium, for suites
 * that need nothing else of their own: `close()` ends both and removes the hall's data.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
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

/** The first file of that name anywhere under dir (the hall lays its data out in folders per part). */
export function findFile(dir: string, name: string): string | null {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) {
      const f = findFile(p, name);
      if (f) return f;
    } else if (e === name) return p;
  }
  return null;
}

/** The first admin account the hall's platform made on its first start, as staff would read it. */
export function initialAdmin(dataDir: string): { username: string; password: string } {
  const file = findFile(dataDir, 'initial-admin.txt');
  if (!file) throw new Error(`the platform wrote no initial-admin.txt under ${dataDir}`);
  const [, username, password] = /username: (\S+)\npassword: (\S+)/.exec(readFileSync(file, 'utf8'))!;
  return { username, password };
}
