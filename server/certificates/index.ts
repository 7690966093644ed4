/**
 * Certificates the platform vouches for. A terminal asks it to sign a certificate for the
 * signed-in citizen (socket 'certificates:issue'); the platform signs the claims with its
 * Ed25519 key, files the token under a short code, and answers both. Anyone holding the
 * paper checks it on the public verify page: scanning the QR code or typing the code opens
 * /verify?code=…, a token opens /verify/t/<token>; /api/verify answers the same in JSON.
 * The QR code carries the short code, not the token: a whole signed token makes a QR too
 * dense for a phone to read off paper (and for zbar off a 150 dpi scan).
 *
 * The platform is never sent the certificate's content, only what the paper shows with
 * the holder masked and the content's digest; it keeps the token (that much, signed).
 */
import { randomInt } from 'node:crypto';
import type { Socket } from 'socket.io';
import { z } from 'zod';
import {
  ISSUE_CERTIFICATE_EVENT,
  IssueCertificateRequest,
  VERIFY_CODE_ALPHABET,
  VerifyCode,
  type CertificateClaims,
  type IssuedCertificate,
  type VerifyAnswer,
} from '../../protocol/certificate.ts';
import { summarizeIssues } from '../../protocol/sync.ts';
import type { EnrolledDevice, ServerContext } from '../context.ts';
import type { Db } from '../db/types.ts';
import { parse } from '../http.ts';
import { checkToken, holderPseudonym, signToken } from './tokens.ts';
import type { SigningKey } from './signing-key.ts';
import { verifyPage } from './page.ts';

export const CERTIFICATE_MIGRATIONS = [
  `CREATE TABLE certificates (
     code TEXT PRIMARY KEY,
     token TEXT NOT NULL,
     kind TEXT NOT NULL,
     device_id TEXT NOT NULL,
     issued_at TEXT NOT NULL,
     created_at TEXT NOT NULL
   );`,
];


const MESSAGES = {
  unknown: '没有找到这个核验码：请核对后重新输入。本平台未出具过带有此核验码的证明。',
  tampered: '核验未通过：证明内容与签名不符，可能已被篡改。请勿采信。',
  malformed: '这不是有效的核验码或二维码内容。',
} as const;

function newCode(): string {
  let code = '';
  for (let i = 0; i < 12; i++) code += VERIFY_CODE_ALPHABET[randomInt(VERIFY_CODE_ALPHABET.length)];
  return code;
}

export class CertificateRegistry {
  constructor(
    private readonly db: Db,
    private readonly key: SigningKey,
    private readonly hallName: () => string,
    /** The verify page's origin as citizens reach it (what the QR code points to). */
    private readonly publicUrl: () => string,
  ) {}

  async issue(request: IssueCertificateRequest, deviceId: string): Promise<IssuedCertificate> {
    const claims: CertificateClaims = {
      v: 1,
      kind: request.kind,
      title: request.title,
      source: request.source,
      holder: holderPseudonym(request.holderKey),
      holderName: request.holderName,
      holderId: request.holderId,
      issuedAt: request.issuedAt,
      digest: request.digest,
      hall: this.hallName(),
    };
    const token = signToken(claims, this.key.privateKey);
    for (let attempt = 0; ; attempt++) {
      const code = newCode();
      const res = await this.db.run(
        'INSERT INTO certificates (code, token, kind, device_id, issued_at, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING',
        [code, token, request.kind, deviceId, request.issuedAt, new Date().toISOString()],
      );
      if (res.changes === 1) return { token, code, verifyUrl: `${this.publicUrl()}/verify?code=${code}` };
      // 31^12 codes: a second collision in a row means something else is wrong.
      if (attempt > 3) throw new Error('could not find a free verification code');
    }
  }

  checkToken(token: string): VerifyAnswer {
    const check = checkToken(token, this.key.publicKey);
    if (!check.ok) return { valid: false, reason: check.reason, message: MESSAGES[check.reason] };
    return { valid: true, claims: check.claims };
  }

  async checkCode(input: string): Promise<VerifyAnswer> {
    const parsed = VerifyCode.safeParse(input);
    if (!parsed.success) return { valid: false, reason: 'malformed', message: '核验码是12位字母和数字（如 ABCD-2345-EFGH），请核对后重新输入。' };
    const row = (await this.db.query<{ token: string }>('SELECT token FROM certificates WHERE code = ?', [parsed.data]))[0];
    if (!row) return { valid: false, reason: 'unknown', message: MESSAGES.unknown };
    const answer = this.checkToken(row.token);
    return answer.valid ? { ...answer, code: parsed.data } : answer;
  }
}

type Ack = (answer: { ok: true; value: IssuedCertificate } | { ok: false; error: { code: string; message: string; retry: boolean } }) => void;

const VerifyQuery = z.object({ code: z.string().max(64).optional(), token: z.string().max(4000).optional() });

export async function registerCertificates(ctx: ServerContext, opts: { key: SigningKey; publicUrl: () => string }): Promise<CertificateRegistry> {
  const { app, db, log } = ctx;
  await db.migrate('certificates', CERTIFICATE_MIGRATIONS);
  const registry = new CertificateRegistry(db, opts.key, () => ctx.config.config.hall.name, opts.publicUrl);

  ctx.onDeviceSocket((socket: Socket, device: EnrolledDevice) => {
    socket.on(ISSUE_CERTIFICATE_EVENT, async (raw: unknown, ack?: Ack) => {
      if (typeof ack !== 'function') return;
      const parsed = IssueCertificateRequest.safeParse(raw ?? {});
      if (!parsed.success) return ack({ ok: false, error: { code: 'bad-request', message: summarizeIssues(parsed.error), retry: false } });
      try {
        const issued = await registry.issue(parsed.data, device.deviceId);
        log.info({ device: device.deviceId, kind: parsed.data.kind }, 'certificate issued');
        ack({ ok: true, value: issued });
      } catch (err) {
        log.error({ device: device.deviceId, err: (err as Error).message }, 'certificate not issued');
        ack({ ok: false, error: { code: 'internal', message: 'the platform could not sign the certificate', retry: true } });
      }
    });
  });

  const hall = () => ctx.config.config.hall.name;
  app.get('/api/verify', async (request) => {
    const q = parse(VerifyQuery, request.query, 'query');
    if (q.token) return registry.checkToken(q.token);
    return registry.checkCode(q.code ?? '');
  });
  app.get('/verify', async (request, reply) => {
    const q = VerifyQuery.safeParse(request.query ?? {});
    const code = q.success ? q.data.code : undefined;
    const answer = code === undefined ? null : await registry.checkCode(code);
    return reply
      .status(answer && !answer.valid && answer.reason === 'unknown' ? 404 : 200)
      .type('text/html; charset=utf-8')
      .send(verifyPage(hall(), answer, code));
  });
  // A wildcard, not a :token parameter: fastify cuts parameters at 100 characters and a token is longer.
  app.get('/verify/t/*', async (request, reply) => {
    const token = (request.params as { '*': string })['*'];
    const answer = registry.checkToken(token);
    return reply.status(answer.valid ? 200 : 400).type('text/html; charset=utf-8').send(verifyPage(hall(), answer));
  });
  return registry;
}
