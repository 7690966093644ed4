import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { idKeyOf } from '../../../protocol/id-key.ts';
import { DEVICE_MIGRATIONS } from '../../../server/devices/index.ts';
import { loadIdKey } from '../../../server/keys.ts';
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

  it('uses the UTF-8 bytes of the key string as the HMAC key, as docs/sync-protocol.md states', () => {
    const secret = 'Zm9vYmFyYmF6cXV4LXRoaXMtaXMtbm90LWRlY29kZWQ';
    expect(idKeyOf(` ${ID.toLowerCase()} `, secret)).toBe(createHmac('sha256', Buffer.from(secret, 'utf8')).update(Buffer.from(ID, 'utf8')).digest('hex'));
    expect(idKeyOf(ID, secret)).not.toBe(createHmac('sha256', Buffer.from(secret, 'base64url')).update(ID).digest('hex'));
  });

  it('is made once per hall and read back the same, even when asked for at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xj-secret-'));
    const db = openDb(join(dir, 'central.db'), dir);
    await db.migrate('devices', DEVICE_MIGRATIONS);
    const keys = await Promise.all([loadIdKey(db, { dataDir: dir }), loadIdKey(db, { dataDir: dir }), loadIdKey(db, { dataDir: dir })]);
    expect(keys[0].secret.length).toBeGreaterThanOrEqual(32);
    expect(new Set(keys.map((k) => k.secret)).size).toBe(1);
    await db.close();
    const again = openDb(join(dir, 'central.db'), dir);
    expect((await loadIdKey(again, { dataDir: dir })).secret).toBe(keys[0].secret);
    await again.close();
  });
});
