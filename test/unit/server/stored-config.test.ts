/**
 * A configuration stored before phone links were checked must still start the platform and
 * a kiosk after the upgrade: the unreachable link is dropped (no QR code), named in a new
 * version's note, and staff saving the same link today is still refused.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfigDir, validateConfig } from '../../../config/load.ts';
import type { HallConfig } from '../../../config/schema.ts';
import { CONFIG_MIGRATIONS, bootstrapConfig, encodeConfig } from '../../../server/configs/index.ts';
import { openSqlite } from '../../../server/db/sqlite.ts';
import type { Db } from '../../../server/db/types.ts';
import { loadPersistedConfig } from '../../../electron/services/sync-client.ts';

const OLD_LINK = 'https://guide.xiaojin.example/item/';

function storedBeforeTheRule(): HallConfig {
  const c = loadConfigDir();
  // Written as the old default hall.json had it, bypassing today's schema.
  (c.hall as Record<string, unknown>).guideBaseUrl = OLD_LINK;
  return c;
}

let dir: string;
let db: Db;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xj-stored-config-'));
  db = openSqlite(join(dir, 'central.db'));
  await db.migrate('configs', CONFIG_MIGRATIONS);
});
afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a configuration stored before phone links were checked', () => {
  it('starts the platform: the link is dropped in a new version that says why', async () => {
    const enc = encodeConfig(storedBeforeTheRule());
    await db.run('INSERT INTO config_versions (version, body, sha256, bytes, created_at, note) VALUES (1, ?, ?, ?, ?, ?)', [enc.body, enc.sha256, enc.bytes, new Date().toISOString(), 'old']);

    const boot = await bootstrapConfig(db, () => {
      throw new Error('the stored version must be used');
    });
    expect(boot.version).toBe(2);
    expect(boot.config.hall.guideBaseUrl).toBeUndefined();
    const [row] = await db.query<{ note: string }>('SELECT note FROM config_versions WHERE version = 2');
    expect(row.note).toMatch(/upgraded version 1: removed hall\.guideBaseUrl/);

    // A second start finds nothing left to upgrade.
    expect((await bootstrapConfig(db, () => loadConfigDir())).version).toBe(2);
  });

  it("keeps a kiosk's saved configuration usable", () => {
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ version: 7, config: storedBeforeTheRule() }));
    const saved = loadPersistedConfig(file);
    expect(saved?.version).toBe(7);
    expect(saved?.config.hall.guideBaseUrl).toBeUndefined();
  });

  it('is still refused when staff save it today', () => {
    expect(() => validateConfig(storedBeforeTheRule())).toThrow(ConfigError);
  });
});
