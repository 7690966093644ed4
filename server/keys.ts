/**
 * The hall's ID key: the HMAC key that turns an identity number into the key its
 * appointments are filed under (protocol/id-key.ts). It lives in a file beside the
 * database, never in it, so a copy of the database alone cannot test candidate numbers
 * (docs/sync-protocol.md, "Threat model for personal data").
 *
 * The file holds the key string itself (one line, at least 32 characters); the HMAC key
 * bytes are the UTF-8 bytes of that string, exactly as kiosks receive it in idKeySecret.
 * Nodes of a cluster must be handed the same file: the database keeps a fingerprint of
 * the key (an HMAC of a fixed label, which says nothing about the key or any number) and
 * a node with another key refuses to start rather than file bookings under a second key.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { Db } from './db/types.ts';

export const ID_KEY_MIN_LENGTH = 32;
export const ID_KEY_ENV = 'XIAOJIN_ID_KEY_FILE';
const FINGERPRINT_LABEL = 'xiaojin id-key fingerprint v1';
/** The row older installs kept the key in (server/devices hall_secrets). */
const LEGACY_ROW = 'id-key';

export const KEY_MIGRATIONS = [
  `CREATE TABLE key_fingerprints (
     name TEXT PRIMARY KEY,
     fingerprint TEXT NOT NULL,
     created_at TEXT NOT NULL
   );`,
];

export interface IdKey {
  /** The key string handed to booking devices; its UTF-8 bytes are the HMAC key. */
  secret: string;
  /** HMAC-SHA256(key, fixed label), hex: safe to store and compare. */
  fingerprint: string;
  file: string;
}

export class KeyError extends Error {}

export function fingerprintOf(secret: string): string {
  return createHmac('sha256', secret).update(FINGERPRINT_LABEL).digest('hex');
}

/** Where the key file is: the option, else the environment, else <dataDir>/keys/id-key. */
export function idKeyPath(dataDir: string, idKeyFile?: string): string {
  return resolve(idKeyFile ?? process.env[ID_KEY_ENV] ?? join(dataDir, 'keys', 'id-key'));
}

/** A key file's text, or null when there is none; refused when others may read it. */
export function readOwnerOnlyFile(file: string, what: string): string | null {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new KeyError(`cannot read the ${what} file ${file}: ${(err as Error).message}`);
  }
  if (mode & 0o077) throw new KeyError(`the ${what} file ${file} is open to group or others (mode ${(mode & 0o777).toString(8)}); run chmod 600 on it`);
  return readFileSync(file, 'utf8');
}

function readKeyFile(file: string): string | null {
  const text = readOwnerOnlyFile(file, 'ID key');
  if (text === null) return null;
  const secret = text.trim();
  if (secret.length < ID_KEY_MIN_LENGTH) throw new KeyError(`the ID key file ${file} holds ${secret.length} characters; it needs at least ${ID_KEY_MIN_LENGTH}`);
  return secret;
}

/**
 * Writes the key once, whole: written and synced under a temporary name, then linked into
 * place, so a crash never leaves a short file and a second process cannot overwrite it.
 */
export function createKeyFile(file: string, secret: string): boolean {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const fd = openSync(tmp, 'wx', 0o600);
    try {
      writeSync(fd, `${secret}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    linkSync(tmp, file);
    return true;
  } catch (err) {
    // Another node or process made it first: theirs is read back.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new KeyError(`cannot create the key file ${file}: ${(err as Error).message}`);
    return false;
  } finally {
    rmSync(tmp, { force: true });
  }
}

/**
 * The key this node runs with. An older database's key row is moved to the file (so its
 * bookings stay findable) and deleted; the fingerprint check makes a node with a
 * different key stop here.
 */
export async function loadIdKey(db: Db, opts: { dataDir: string; idKeyFile?: string; log?: Pick<Logger, 'warn'> }): Promise<IdKey> {
  await db.migrate('keys', KEY_MIGRATIONS);
  const file = idKeyPath(opts.dataDir, opts.idKeyFile);
  const legacy = (await db.query<{ value: string }>('SELECT value FROM hall_secrets WHERE name = ?', [LEGACY_ROW]))[0]?.value;
  let secret = readKeyFile(file);
  if (secret === null) {
    // Losing this file loses every booking: whoever runs the hall must know to back it up (apart from the database).
    if (createKeyFile(file, legacy ?? randomBytes(32).toString('base64url'))) opts.log?.warn({ file, movedFromDatabase: !!legacy }, 'ID key file created; back it up separately from the database');
    secret = readKeyFile(file)!;
  }
  if (legacy && legacy !== secret) {
    throw new KeyError(`the database still holds the ID key of an older install and the key file ${file} holds another one; move that file away so the old key can be moved into it`);
  }
  const fingerprint = fingerprintOf(secret);
  await db.run('INSERT INTO key_fingerprints (name, fingerprint, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING', [LEGACY_ROW, fingerprint, new Date().toISOString()]);
  const stored = (await db.query<{ fingerprint: string }>('SELECT fingerprint FROM key_fingerprints WHERE name = ?', [LEGACY_ROW]))[0]?.fingerprint;
  if (stored !== fingerprint) {
    throw new KeyError(`the ID key file ${file} is not the key this database was used with (fingerprint ${fingerprint.slice(0, 12)}…, the database expects ${String(stored).slice(0, 12)}…); restore the key file it was used with, and give every node of a cluster that same file`);
  }
  if (legacy) await db.run('DELETE FROM hall_secrets WHERE name = ?', [LEGACY_ROW]);
  return { secret, fingerprint, file };
}
