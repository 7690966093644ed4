/**
 * Certificates the platform signs and its public verify page: a terminal asks for a
 * signature over its socket, the code and the QR token then verify; a changed byte, a
 * forged claim or a code never issued are refused with a clear message.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrivateKey } from 'node:crypto';
import { ISSUE_CERTIFICATE_EVENT as ISSUE_EVENT, certificateDigest, issueRequestFor, type IssuedCertificate } from '../../../protocol/certificate.ts';
import { kiosk, online, platformForFile, type TestKiosk } from './helpers.ts';
import { socialSecurityCertificate } from '../../helpers/certificates.ts';

type Reply = { ok: true; value: IssuedCertificate } | { ok: false; error: { code: string; message: string } };

const document = socialSecurityCertificate(1);
const holderKey = 'ab'.repeat(32);

describe('certificate signing and the verify page', () => {
  const h = platformForFile();
  let terminal: TestKiosk;
  let issued: IssuedCertificate;

  const issue = async (request: unknown = issueRequestFor(document, holderKey, '李*华')) => (await terminal.client.request(ISSUE_EVENT, request)) as Reply;
  const page = async (path: string) => {
    const res = await fetch(`${h.server.url}${path}`);
    return { status: res.status, html: await res.text() };
  };

  beforeAll(async () => {
    terminal = await kiosk(h.server.url, await h.staff.code());
    await online(terminal.client);
    const reply = await issue();
    if (!reply.ok) throw new Error(reply.error.message);
    issued = reply.value;
  });
  afterAll(async () => {
    await terminal?.close();
  });

  it('keeps an Ed25519 signing key readable by the platform only', () => {
    const file = join(h.server.ctx.idKey.file, '..', 'certificate-signing.pem');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(createPrivateKey(readFileSync(file)).asymmetricKeyType).toBe('ed25519');
  });

  it('answers a terminal with a 12-character code and a verify URL carrying the signed token', () => {
    expect(issued.code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{12}$/);
    expect(issued.verifyUrl).toBe(`${h.server.url}/verify?code=${issued.code}`);
  });

  it('confirms a typed code, showing what the certificate certifies with the holder masked', async () => {
    const typed = `${issued.code.slice(0, 4).toLowerCase()}-${issued.code.slice(4, 8)} ${issued.code.slice(8)}`;
    const { status, html } = await page(`/verify?code=${encodeURIComponent(typed)}`);
    expect(status).toBe(200);
    expect(html).toContain('data-valid="true"');
    expect(html).toContain('社会保险个人缴费证明');
    expect(html).toContain(document.source);
    expect(html).toContain('李*华');
    expect(html).toContain(document.holder.idNumberMasked);
    expect(html).toContain(certificateDigest(document));
  });

  it('confirms the token the QR code carries, as a page and in JSON', async () => {
    const { status, html } = await page(`/verify/t/${issued.token}`);
    expect(status).toBe(200);
    expect(html).toContain('核验通过');
    const json = await (await fetch(`${h.server.url}/api/verify?code=${issued.code}`)).json();
    expect(json).toMatchObject({ valid: true, code: issued.code, claims: { kind: 'social-security-record', holderName: '李*华', issuedAt: document.issuedAt, digest: certificateDigest(document) } });
    expect(json.claims.holder).not.toContain(holderKey);
  });

  it('refuses a token with any changed character as tampered', async () => {
    const [body, sig] = issued.token.split('.');
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
    for (const token of [`${flip(body, 5)}.${sig}`, `${body}.${flip(sig, 10)}`, `${body}.${flip(sig, sig.length - 1)}`]) {
      const { status, html } = await page(`/verify/t/${token}`);
      expect(status).toBe(400);
      expect(html).toContain('data-reason="tampered"');
      expect(html).toContain('可能已被篡改');
    }
    // A forged claim under the genuine signature: another title, same signature.
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    const forged = Buffer.from(JSON.stringify({ ...claims, title: '不动产权证明' })).toString('base64url');
    expect(await (await fetch(`${h.server.url}/api/verify?token=${forged}.${sig}`)).json()).toMatchObject({ valid: false, reason: 'tampered' });
  });

  it('refuses a code it never issued, and says what a code looks like when it is not one', async () => {
    const unknown = await page('/verify?code=2345-6789-ABCD');
    expect(unknown.status).toBe(404);
    expect(unknown.html).toContain('data-reason="unknown"');
    expect(unknown.html).toContain('没有找到这个核验码');
    const malformed = await page('/verify?code=hello');
    expect(malformed.html).toContain('data-reason="malformed"');
    expect(malformed.html).toContain('12位字母和数字');
    expect((await page('/verify')).html).toContain('<form');
  });

  it('refuses to be sent an unmasked name or ID number, saying which field', async () => {
    for (const [field, value] of [['holderId', '440106199003071234'], ['holderName', document.holder.name]] as const) {
      const reply = await issue({ ...issueRequestFor(document, holderKey, '李*华'), [field]: value });
      expect(reply.ok).toBe(false);
      if (!reply.ok) expect(reply.error).toMatchObject({ code: 'bad-request', message: expect.stringContaining(field) });
    }
  });

  it('never stores a certificate’s content, only the signed summary the paper shows', async () => {
    const rows = await h.server.ctx.db.query<Record<string, string>>('SELECT * FROM certificates');
    const stored = JSON.stringify(rows) + rows.map((r) => Buffer.from(r.token.split('.')[0], 'base64url').toString('utf8')).join('');
    expect(stored).not.toContain(document.holder.name);
    expect(stored).not.toContain('8,000.00');
    expect(stored).toContain('社会保险个人缴费证明');
  });
});
