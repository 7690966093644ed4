/**
 * Signed certificate tokens: base64url(claims JSON) "." base64url(Ed25519 signature of
 * those JSON bytes). Compact enough for a QR code in a URL, checkable with the public key
 * alone; any changed byte of either half fails the signature.
 */
import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import { CertificateClaims } from '../../protocol/certificate.ts';

export type TokenCheck = { ok: true; claims: CertificateClaims } | { ok: false; reason: 'malformed' | 'tampered' };

const TOKEN = /^[A-Za-z0-9_-]{20,2000}\.[A-Za-z0-9_-]{86}$/;

/** The holder as the token names them: derived from the hall's keyed ID hash, so it says nothing of the number. */
export function holderPseudonym(holderKey: string): string {
  return createHash('sha256').update(`xiaojin certificate holder v1:${holderKey}`).digest('base64url').slice(0, 22);
}

export function signToken(claims: CertificateClaims, privateKey: KeyObject): string {
  const body = Buffer.from(JSON.stringify(claims), 'utf8');
  return `${body.toString('base64url')}.${sign(null, body, privateKey).toString('base64url')}`;
}

export function checkToken(token: string, publicKey: KeyObject): TokenCheck {
  if (!TOKEN.test(token)) return { ok: false, reason: 'malformed' };
  const [b, s] = token.split('.');
  const body = Buffer.from(b, 'base64url');
  // base64url decoding ignores stray trailing bits: re-encoding catches a changed last character.
  if (body.toString('base64url') !== b || Buffer.from(s, 'base64url').toString('base64url') !== s) return { ok: false, reason: 'tampered' };
  if (!verify(null, body, publicKey, Buffer.from(s, 'base64url'))) return { ok: false, reason: 'tampered' };
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const claims = CertificateClaims.safeParse(json);
  return claims.success ? { ok: true, claims: claims.data } : { ok: false, reason: 'malformed' };
}
