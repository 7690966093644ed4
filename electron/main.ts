/**
 * The Electron kiosk's entry: loads Electron and hands it to the shell (electron/shell/kiosk-shell.ts),
 * which opens the locked-down window and wires everything else. Everything that can be
 * decided without Electron lives in electron/shell/ and is unit-tested there.
 *
 * Flags (or environment): --kiosk ID (XIAOJIN_KIOSK), --config DIR (XIAOJIN_CONFIG),
 * --data DIR (XIAOJIN_DATA), --central URL (XIAOJIN_CENTRAL_URL), --enroll-code CODE,
 * --screen kiosk|robot, --windowed (XIAOJIN_WINDOWED=1) with --devtools for development.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ElectronMain } from './shell/electron-api.ts';
import { runKioskShell } from './shell/kiosk-shell.ts';

// Electron is an optional dependency without types on most machines; see electron-api.ts.
const electron = createRequire(import.meta.url)('electron') as ElectronMain;

void runKioskShell(electron, {
  argv: process.argv.slice(electron.app.isPackaged ? 1 : 2),
  env: process.env,
  cwd: process.cwd(),
  here: dirname(fileURLToPath(import.meta.url)),
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => electron.app.quit());
