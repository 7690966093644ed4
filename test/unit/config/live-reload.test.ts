import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { composeTerminal, type KioskServices } from '../../../electron/services/kiosk-services.ts';
import { createLogger } from '../../../electron/services/log.ts';
import { DEFAULT_CONFIG_DIR } from '../../../config/load.ts';

let services: KioskServices | null = null;
const dirs: string[] = [];

afterEach(async () => {
  await services?.close();
  services = null;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function standAloneKiosk() {
  const configDir = mkdtempSync(join(tmpdir(), 'xj-live-config-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'xj-live-data-'));
  dirs.push(configDir, dataDir);
  cpSync(DEFAULT_CONFIG_DIR, configDir, { recursive: true });
  services = await composeTerminal({ kioskId: 'kiosk-1', dataDir, configDir, log: createLogger('test', 'silent') }, []);
  const changes: number[] = [];
  services.hub.on('kiosk.config', (c) => changes.push(c.version));
  return { configDir, services, changes };
}

describe('a stand-alone kiosk watching its configuration folder', () => {
  it('applies a good edit live and keeps the last good configuration after a bad one', async () => {
    const { configDir, services: s, changes } = await standAloneKiosk();
    const kiosksFile = join(configDir, 'kiosks.json');
    const kiosks = JSON.parse(readFileSync(kiosksFile, 'utf8')) as { id: string; idleTimeoutSeconds: number }[];
    kiosks.find((k) => k.id === 'kiosk-1')!.idleTimeoutSeconds = 90;
    writeFileSync(kiosksFile, JSON.stringify(kiosks, null, 1));
    await expect.poll(() => changes).toHaveLength(1);
    expect(s.context.kiosk.idleTimeoutSeconds).toBe(90);
    const good = s.context.store.version;

    // A technician's typo: the timeout as text. The kiosk keeps 90 s and says what was wrong.
    (kiosks.find((k) => k.id === 'kiosk-1') as unknown as { idleTimeoutSeconds: string }).idleTimeoutSeconds = 'ninety';
    writeFileSync(kiosksFile, JSON.stringify(kiosks, null, 1));
    await expect.poll(() => s.context.store.lastError).not.toBeNull();
    expect(s.context.store.lastError!.message).toMatch(/kiosks\.json/);
    expect(s.context.store.lastError!.message).toMatch(/idleTimeoutSeconds/);
    expect(s.context.store.version).toBe(good);
    expect(s.context.kiosk.idleTimeoutSeconds).toBe(90);

    // Half-saved JSON is refused the same way. Every refused reload records a new error, so
    // waiting for this one proves the kiosk read the half-saved file (not merely that time passed).
    const typoError = s.context.store.lastError;
    writeFileSync(kiosksFile, '[{"id": "kiosk-1",');
    await expect.poll(() => s.context.store.lastError).not.toBe(typoError);
    expect(s.context.store.lastError!.message).toMatch(/kiosks\.json/);
    expect(s.context.store.lastError!.message).toMatch(/not valid JSON/);
    expect(s.context.store.version).toBe(good);
    expect(s.context.kiosk.idleTimeoutSeconds).toBe(90);
    expect(changes).toHaveLength(1);
  });
});
