/**
 * A kiosk's platform credential on its own disk: <dataDir>/device-credential.json (mode 0600).
 *
 *   const cred = readCredential(dataDir) ?? (await enrollDevice({ dataDir, url, code, kind: 'kiosk', deviceId: 'kiosk-1' }));
 *
 * The secret is generated here and written before the platform is asked, so a crash
 * between the platform's yes and the file write is repaired by asking again with the
 * same code: the platform recognises the pair and answers the same.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeAtomically, type DeviceCredential } from './sync-client.ts';
import { OWNER_ONLY } from '../../common/private-files.ts';
import type { EnrollResponse } from '../../protocol/sync.ts';

export interface StoredCredential extends DeviceCredential {
  url: string;
  hallId?: string;
  kind: 'kiosk' | 'teller' | 'robot' | 'load';
  /** false until the platform confirmed the enrollment. */
  confirmed: boolean;
  code?: string;
}

const FILE = 'device-credential.json';

export function readCredential(dataDir: string): StoredCredential | null {
  const file = join(dataDir, FILE);
  if (!existsSync(file)) return null;
  const c = JSON.parse(readFileSync(file, 'utf8')) as StoredCredential;
  return c.confirmed ? c : null;
}

export function saveCredential(dataDir: string, cred: StoredCredential): void {
  mkdirSync(dataDir, { recursive: true });
  writeAtomically(join(dataDir, FILE), JSON.stringify(cred, null, 1), OWNER_ONLY);
}

export class EnrollmentError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Exchange an enrollment code for this device's credential and keep it in dataDir. */
export async function enrollDevice(opts: { dataDir: string; url: string; code: string; kind: StoredCredential['kind']; deviceId?: string; name?: string }): Promise<StoredCredential> {
  const file = join(opts.dataDir, FILE);
  let draft: StoredCredential | null = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as StoredCredential) : null;
  if (!draft || draft.code !== opts.code) {
    draft = { url: opts.url, deviceId: opts.deviceId ?? `${opts.kind}-${randomBytes(5).toString('hex')}`, secret: randomBytes(32).toString('base64url'), kind: opts.kind, confirmed: false, code: opts.code };
    saveCredential(opts.dataDir, draft);
  }
  const res = await fetch(new URL('/api/enroll', opts.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: opts.code, secret: draft.secret, kind: opts.kind, deviceId: draft.deviceId, name: opts.name }),
  });
  const body = (await res.json()) as EnrollResponse | { error: { code: string; message: string } };
  if (!res.ok || 'error' in body) {
    const e = 'error' in body ? body.error : { code: 'internal', message: `HTTP ${res.status}` };
    throw new EnrollmentError(e.code, e.message);
  }
  const cred: StoredCredential = { url: opts.url, deviceId: body.deviceId, secret: draft.secret, kind: body.kind, hallId: body.hallId, confirmed: true, code: opts.code };
  saveCredential(opts.dataDir, cred);
  return cred;
}
