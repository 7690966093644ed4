import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { idKeyOf } from '../../../server/queue/id-key.ts';
import { hallSecret, DEVICE_MIGRATIONS } from '../../../server/devices/index.ts';
import { openDb } from '../../../server/db/open.ts';

const ID = '440106199001011234';

describe('the ID-number key appointments are filed under', () => {
  it('is the same for the same card and hall, different across halls, and not a plain hash', () => {
    const hallA = 'a'.repeat(43);
    const hallB = 'b'.repeat(43);
    expect(idKeyOf(ID, hallA)).toBe(idKeyOf(' 440106199001011234 ', hallA));
    expect(idKeyOf('44010619900101123x', hallA)).toBe(idKeyOf('44010619900101123X', hallA));
    expect(idKeyOf(ID, hallA)).not.toBe(idKeyOf(ID, hallB));
    expect(idKeyOf(ID, hallA)).not.toBe(createHash('sha256').update(ID).digest('hex'));
    expect(idKeyOf(ID, hallA)).not.toContain(ID);
  });

  it('refuses to work without a real secret', () => {
    expect(() => idKeyOf(ID, '')).toThrow(/secret/);
    expect(() => idKeyOf(ID, 'short')).toThrow(/secret/);
  });

  it('is made once per hall and read back the same, even when asked for at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xj-secret-'));
    const db = openDb(join(dir, 'central.db'), dir);
    await db.migrate('devices', DEVICE_MIGRATIONS);
    const [a, b, c] = await Promise.all([hallSecret(db, 'id-key'), hallSecret(db, 'id-key'), hallSecret(db, 'id-key')]);
    expect(a.length).toBeGreaterThanOrEqual(32);
    expect(new Set([a, b, c]).size).toBe(1);
    expect(await hallSecret(db, 'other')).not.toBe(a);
    await db.close();
    const again = openDb(join(dir, 'central.db'), dir);
    expect(await hallSecret(again, 'id-key')).toBe(a);
    await again.close();
  });
});
