/**
 * The Electron kiosk's installer configuration, checked the way electron-builder itself
 * checks it before a build: found and loaded from the project, then validated against
 * its schema. Building the installers needs Electron downloads and Node 22; this does not.
 */
import { resolve } from 'node:path';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');

describe('electron-builder configuration', () => {
  it('loads from the project and validates against electron-builder’s schema', async () => {
    const config = await getConfig(ROOT, null, null);
    // electron-builder keeps `files` as file sets ({ filter: [...] }) once loaded.
    const packed = [config.files].flat().flatMap((set) => (typeof set === 'string' ? [set] : [set?.filter ?? []].flat()));
    expect(packed).toEqual(expect.arrayContaining(['dist/electron/**', 'dist/renderer/**', 'config/default/**', 'models/cache/**']));
    expect(config.extraMetadata).toEqual({ main: 'dist/electron/main.js' });
    expect(config.npmRebuild).toBe(true);
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('targets AppImage and deb on Linux and NSIS on Windows', async () => {
    const config = await getConfig(ROOT, null, null);
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.win?.target).toEqual(['nsis']);
  });

  it('burns in the fuses: no running as Node, encrypted cookies, asar integrity', async () => {
    const { electronFuses } = await getConfig(ROOT, null, null);
    expect(electronFuses).toMatchObject({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('the validation refuses what electron-builder would refuse', async () => {
    const config = await getConfig(ROOT, null, null);
    const misspelt = { ...config, linux: { ...config.linux, targets: ['deb'] } };
    await expect(validateConfiguration(misspelt, new DebugLogger(false))).rejects.toThrow(/configuration\.linux/);
  });
});
