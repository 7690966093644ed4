/**
 * A certificate printed at the kiosk, the whole way: the simulated reader signs a citizen
 * in, the kiosk asks the platform to sign the certificate, lays it out with its code and
 * QR, and sends it over IPP to a private cupsd's cups-pdf queue; the code read back from
 * that PDF with pdftotext is confirmed by the platform's verify page, and a code with one
 * character changed is not.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHall, type RunningHall } from '../../../cli/hall.ts';
import { DEFAULT_CONFIG_DIR } from '../../../config/load.ts';
import { createLogger } from '../../../electron/services/log.ts';
import type { CertificateDocument } from '../../../protocol/certificate.ts';
import { ApiError } from '../../../protocol/ui/errors.ts';
import { cupsMissing, pdfText, startCups, type PrivateCups } from '../../helpers/cups.ts';

const missing = cupsMissing();
if (missing) console.warn(`skipping the certificate printing test: ${missing}`);

/** Decodes the QR code on the printed page (Debian zbar-tools, as .ci/run installs). */
const ZBARIMG = '/usr/bin/zbarimg';
if (!missing && !existsSync(ZBARIMG)) console.warn(`skipping the QR check: ${ZBARIMG} is not installed (apt-get install zbar-tools)`);

// The simulator's resident card (drivers/idcard/fixtures.ts).
const RESIDENT = { name: '李今华', maskedId: '4401**********0038' };

const certificate: CertificateDocument = {
  kind: 'social-security-record',
  title: '社会保险个人缴费证明',
  source: '广州市社会保险基金管理中心',
  holder: { name: RESIDENT.name, idNumberMasked: RESIDENT.maskedId },
  issuedAt: '2026-03-07T09:30:00+08:00',
  rows: [{ label: '累计缴费月数', value: '132' }],
  table: { columns: ['年月', '险种', '缴费基数'], rows: [['2025-12', '企业职工基本养老保险', '8,000.00']] },
};

describe.skipIf(!!missing)('a certificate printed at the kiosk', () => {
  let cups: PrivateCups;
  let hall: RunningHall;
  let dataDir: string;
  let configDir: string;

  beforeAll(async () => {
    cups = await startCups();
    dataDir = mkdtempSync(join(tmpdir(), 'xj-cert-hall-'));
    configDir = mkdtempSync(join(tmpdir(), 'xj-cert-config-'));
    cpSync(DEFAULT_CONFIG_DIR, configDir, { recursive: true });
    const kiosksFile = join(configDir, 'kiosks.json');
    const kiosks = JSON.parse(readFileSync(kiosksFile, 'utf8')) as { id: string; devices: unknown[] }[];
    kiosks.find((k) => k.id === 'kiosk-1')!.devices.push({ id: 'a4', kind: 'a4printer', port: cups.printerUri, pollMs: 200 });
    writeFileSync(kiosksFile, JSON.stringify(kiosks, null, 1));
    hall = await startHall({ dataDir, configDir, ports: { central: 0, kiosk: 0, robot: 0 }, log: createLogger('test', 'warn') });
    const manager = hall.kiosk.get('devices').manager!;
    manager.on('card-present', () => (cardOnReader = true));
    manager.on('card-removed', () => (cardOnReader = false));
  });

  let cardOnReader = false;

  /** Puts the simulator's resident card on the reader and waits for the sign-in and the platform's ID key. */
  async function signIn(): Promise<void> {
    const kioskBase = new URL(hall.urls.kiosk).origin;
    // Taken off first, and seen to be gone, so the reader reports the card anew whatever an earlier test left.
    await fetch(`${kioskBase}/sim/idcard/remove`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    await expect.poll(() => cardOnReader).toBe(false);
    await fetch(`${kioskBase}/sim/idcard/insert`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ card: 'resident' }) });
    await expect.poll(() => hall.kiosk.get('session').currentCard()?.name).toBe(RESIDENT.name);
    await expect.poll(() => hall.kiosk.get('central')?.idKeySecret()).toBeTruthy();
  }

  afterAll(async () => {
    try {
      await hall?.close();
    } finally {
      await cups?.stop();
    }
    for (const d of [dataDir, configDir]) if (d) rmSync(d, { recursive: true, force: true });
  });

  it('prints it for the signed-in citizen with a code the verify page confirms', async () => {
    const certificates = hall.kiosk.get('certificates');
    await hall.kiosk.get('session').signOut('reset');
    await expect(certificates.print(certificate)).rejects.toMatchObject({ code: 'not-signed-in' });
    await signIn();

    const printed = await certificates.print(certificate);
    expect(printed.job.state).not.toBe('failed');
    const text = await vi.waitFor(
      () => {
        const t = cups.outputs().map(pdfText).join('\n');
        if (!t.includes('社会保险个人缴费证明')) throw new Error('no printed certificate yet');
        return t;
      },
      { timeout: 20_000, interval: 200 },
    );
    const code = /核验码：([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(text)?.[1];
    expect(code?.replaceAll('-', '')).toBe(printed.code);
    expect(text).toContain('8,000.00');

    const verify = async (c: string) => (await fetch(`${hall.urls.central}/api/verify?code=${encodeURIComponent(c)}`)).json();
    expect(await verify(code!)).toMatchObject({ valid: true, claims: { title: '社会保险个人缴费证明', holderName: '李*华', holderId: RESIDENT.maskedId } });
    const changed = code!.replace(/^./, (ch) => (ch === 'A' ? 'B' : 'A'));
    expect(await verify(changed)).toMatchObject({ valid: false, reason: 'unknown' });
  });

  it.skipIf(!existsSync(ZBARIMG))('prints a QR code that opens the verify page, which refuses it with one character changed', async () => {
    await signIn();
    const before = new Set(cups.outputs());
    const printed = await hall.kiosk.get('certificates').print({ ...certificate, title: '社会保险参保证明' });
    expect(printed.job.state).toBe('done');
    const file = await vi.waitFor(
      () => {
        const f = cups.outputs().find((o) => !before.has(o) && pdfText(o).includes('社会保险参保证明'));
        if (!f) throw new Error('no printed certificate yet');
        return f;
      },
      { timeout: 20_000, interval: 200 },
    );
    // The paper as a phone sees it: the first page as an image, its QR code decoded.
    execFileSync('pdftoppm', ['-r', '150', '-png', '-f', '1', '-l', '1', '-singlefile', file, join(dataDir, 'page')]);
    // zbarimg complains on stderr about a missing D-Bus, which says nothing about the code.
    const url = execFileSync(ZBARIMG, ['--raw', '-q', join(dataDir, 'page.png')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    expect(url).toBe(`${hall.urls.central}/verify?code=${printed.code}`);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('核验通过');
    expect(html).toContain('社会保险参保证明');
    // One character changed is a code the platform never issued.
    const flipped = url.replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A'));
    expect((await fetch(flipped)).status).toBe(404);
  });

  it('withdraws a certificate the printer holds, so it never comes out for the next citizen', async () => {
    await signIn();
    const server = `127.0.0.1:${cups.port}`;
    execFileSync('cupsdisable', ['-h', server, cups.queue]);
    try {
      const printed = await hall.kiosk.get('certificates').print(certificate);
      expect(printed.job).toMatchObject({ state: 'held', cause: 'offline' });
      // Cancelled at the print server: nothing is left waiting in the queue.
      expect(execFileSync('lpstat', ['-h', server, '-W', 'not-completed', '-o', cups.queue], { encoding: 'utf8' }).trim()).toBe('');
      await expect.poll(() => hall.kiosk.get('devices').a4?.job(printed.job.jobId)?.state).toBe('failed');
    } finally {
      execFileSync('cupsenable', ['-h', server, cups.queue]);
    }
  });

  it('refuses a certificate that is not for the signed-in citizen', async () => {
    await signIn();
    const other = { ...certificate, holder: { name: '王小今', idNumberMasked: '4401**********1234' } };
    const err = await hall.kiosk.get('certificates').print(other).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'bad-input', message: expect.stringContaining('not for the signed-in citizen') });
  });

  it('refuses an ID copy without a sign-in or a purpose, saying what is missing, and prints nothing', async () => {
    const router = hall.kiosk.router;
    const before = cups.outputs().length;
    await hall.kiosk.get('session').signOut('reset');
    expect(await router.dispatch('print.idCopy', { purpose: '银行开户' })).toMatchObject({ ok: false, error: { code: 'not-signed-in' } });
    await signIn();
    expect(await router.dispatch('print.idCopy', { purpose: '   ' })).toMatchObject({ ok: false, error: { code: 'bad-input', message: expect.stringContaining('用途') } });
    expect(await router.dispatch('print.idCopy', { purpose: '办'.repeat(31) })).toMatchObject({ ok: false, error: { code: 'bad-input', message: expect.stringContaining('30') } });
    expect(cups.outputs().length).toBe(before);
  });
});
