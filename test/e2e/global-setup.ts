/**
 * Builds the renderer once for the whole end-to-end suite, so every test serves the same
 * pages the hall serves after `npm start`.
 */
import { build } from 'vite';
import { resolve } from 'node:path';

export default async function setup(): Promise<void> {
  await build({ configFile: resolve(import.meta.dirname, '../../vite.config.ts'), logLevel: 'warn' });
}
