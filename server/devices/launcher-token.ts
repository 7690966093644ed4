/**
 * The launcher token: what lets the one-machine hall enrol its own terminals without a
 * code. A loopback address alone proves nothing (any local user or browser page can
 * reach 127.0.0.1), so the platform makes a random token on every start and leaves it
 * only in its data directory, readable by the account that owns that directory. Whoever
 * can read it can already read and rewrite central.db, so it grants nothing new; the
 * launcher that started the platform holds it in memory and hands it to its terminals.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OWNER_ONLY, restrictToOwner } from '../../common/private-files.ts';

export const LAUNCHER_TOKEN_FILE = 'launcher-token';
export const LAUNCHER_TOKEN_HEADER = 'x-xiaojin-launcher';

export function issueLauncherToken(dataDir: string): string {
  const token = randomBytes(32).toString('base64url');
  const file = join(dataDir, LAUNCHER_TOKEN_FILE);
  writeFileSync(file, `${token}\n`, { mode: OWNER_ONLY });
  restrictToOwner(file);
  return token;
}

export function isLauncherToken(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
