/**
 * Builds the renderer once for the whole end-to-end suite, so every test serves the same
 * pages the hall serves after `npm start`. XIAOJIN_E2E_REUSE_BUILD=1 keeps an existing
 * build, for iterating on host-side code while the screens are being edited.
 */
import { build } from 'vite';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export default async function setup(): Promise<void> {
  if (process.env.XIAOJIN_E2E_REUSE_BUILD === '1' && existsSync(resolve(import.meta.dirname, '../../dist/renderer/kiosk/index.html'))) return;
  await build({ configFile: resolve(import.meta.dirname, '../../vite.config.ts'), logLevel: 'warn' });
}
