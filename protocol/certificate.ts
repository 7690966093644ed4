/**
 * A certificate printed at a terminal (社保缴费证明, 完税证明, …), whatever source it came
 * from: the platform signs it, the terminal lays it out on A4, and anyone holding the
 * paper can check it on the platform's public verify page.
 *
 * The signed token travels in the QR code and is what the verify page checks; the short
 * code printed under it is the platform's handle on that token, for people who type
 * rather than scan. The token says what the paper certifies with the holder masked, so
 * the page can show it to whoever holds the paper without revealing more than the paper.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';

const line = z.string().trim().min(1).max(200);

export const CertificateRow = z.object({ label: line, value: z.string().max(500) });

export const CertificateTable = z
  .object({
    columns: z.array(line).min(1).max(12),
    rows: z.array(z.array(z.string().max(200))).max(400),
  })
  .refine((t) => t.rows.every((r) => r.length === t.columns.length), { message: 'every table row has one cell per column' });

export const CertificateDocument = z.object({
  /** What kind of certificate, as a code (social-security-record, tax-payment-proof, …). */
  kind: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a lower-case code of letters, digits and hyphens'),
  title: line,
  /** Who issued the content (the source system or authority), printed as the issuer. */
  source: line,
  holder: z.object({
    name: line,
    /** Already masked (4401**********1234): a certificate never carries the full number. */
    idNumberMasked: z.string().regex(/^[0-9X*]{4,18}$/, 'masked with *').refine((s) => s.includes('*'), 'the ID number must be masked'),
  }),
  issuedAt: z.iso.datetime({ offset: true }),
  rows: z.array(CertificateRow).max(40),
  table: CertificateTable.optional(),
});
export type CertificateDocument = z.infer<typeof CertificateDocument>;

/** What the signed token asserts (and the verify page shows). */
export const CertificateClaims = z.object({
  v: z.literal(1),
  kind: z.string(),
  title: z.string(),
  source: z.string(),
  /** A keyed hash of the holder's ID number: the same person gives the same value, nobody can reverse it. */
  holder: z.string(),
  /** The masked name and number as printed, so the page can say whose paper it is without saying more. */
  holderName: z.string(),
  holderId: z.string(),
  issuedAt: z.string(),
  /** SHA-256 (base64url) of the document's canonical JSON: the content the signature vouches for. */
  digest: z.string(),
  /** The hall that issued it. */
  hall: z.string(),
});
export type CertificateClaims = z.infer<typeof CertificateClaims>;

/** Short codes: 12 characters of an alphabet without 0/O, 1/I/L, grouped in fours. */
export const VERIFY_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const VerifyCode = z
  .string()
  .trim()
  .toUpperCase()
  .transform((s) => s.replace(/[\s-]/g, ''))
  .pipe(z.string().regex(new RegExp(`^[${VERIFY_CODE_ALPHABET}]{12}$`), 'a verification code is 12 letters and digits'));

export function formatVerifyCode(code: string): string {
  return code.match(/.{1,4}/g)?.join('-') ?? code;
}

const masked = (what: string) => z.string().min(1).max(40).refine((v) => v.includes('*'), `${what} must be masked`);

/**
 * Terminal → platform: sign a certificate for the signed-in citizen (socket request
 * 'certificates:issue'). The platform is told what the paper shows with the holder
 * masked, and the digest of the whole document: it vouches for the content without ever
 * receiving it.
 */
export const IssueCertificateRequest = z.object({
  kind: CertificateDocument.shape.kind,
  title: line,
  source: line,
  holderName: masked('the holder name'),
  holderId: masked('the holder ID number'),
  issuedAt: CertificateDocument.shape.issuedAt,
  digest: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a base64url SHA-256 digest'),
  /** The holder's keyed ID hash (protocol/id-key.ts), made on the terminal; the number itself never travels. */
  holderKey: z.string().regex(/^[0-9a-f]{64}$/),
});
export type IssueCertificateRequest = z.infer<typeof IssueCertificateRequest>;

/** SHA-256 (base64url) of the document's canonical JSON: what a signature vouches for. */
export function certificateDigest(doc: CertificateDocument): string {
  return createHash('sha256').update(canonicalJson(doc)).digest('base64url');
}

/** The request that asks for `doc` to be signed; the name is masked by the caller, as its screens mask it. */
export function issueRequestFor(doc: CertificateDocument, holderKey: string, maskedName: string): IssueCertificateRequest {
  return {
    kind: doc.kind,
    title: doc.title,
    source: doc.source,
    holderName: maskedName,
    holderId: doc.holder.idNumberMasked,
    issuedAt: doc.issuedAt,
    digest: certificateDigest(doc),
    holderKey,
  };
}

export const IssuedCertificate = z.object({
  /** The signed token, filed under the code (and checkable itself at /verify/t/<token>). */
  token: z.string().min(1),
  /** The 12-character code printed for typing in. */
  code: z.string().regex(new RegExp(`^[${VERIFY_CODE_ALPHABET}]{12}$`)),
  /** The verify page's address with the code, for the QR code (short enough to scan off paper). */
  verifyUrl: z.url(),
});
export type IssuedCertificate = z.infer<typeof IssuedCertificate>;

/** The platform's acknowledgement of 'certificates:issue'. */
export const IssueCertificateReply = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: IssuedCertificate }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string(), retry: z.boolean().optional() }) }),
]);

export const ISSUE_CERTIFICATE_EVENT = 'certificates:issue';

/** What the verify page's JSON form answers. */
export type VerifyAnswer = { valid: true; code?: string; claims: CertificateClaims } | { valid: false; reason: 'unknown' | 'tampered' | 'malformed'; message: string };

/**
 * The JSON the digest is taken over: keys sorted at every level, so the same content
 * gives the same digest wherever it is computed.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
