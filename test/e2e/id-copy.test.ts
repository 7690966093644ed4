/**
 * A4 at the kiosk end to end. 身份证复印件: a citizen signs in with the simulated reader on a kiosk whose
 * A4 printer is a cups-pdf queue of a private cupsd, picks the purpose in Chromium, and
 * the copy comes out as a PDF carrying the card's face and the watermark for that purpose
 * and today; nothing of the card reaches the kiosk's stored records. 查询打印: the record
 * read on screen prints as a certificate whose code the platform's verify page confirms.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import { startHall, type RunningHall } from '../../cli/hall.ts';
import { DEFAULT_CONFIG_DIR } from '../../config/load.ts';
import { createLogger } from '../../electron/services/log.ts';
import { artifactDir, LANDSCAPE, launchChromium, openKioskHome, RESIDENT, type LaunchedBrowser } from './browser.ts';
import { cupsMissing, pdfText, startCups, type PrivateCups } from '../helpers/cups.ts';

const missing = cupsMissing();
if (missing) console.warn(`skipping the ID-copy end-to-end test: ${missing}`);

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe.skipIf(!!missing)('ID card copy and record certificates on the A4 printer', () => {
  let cups: PrivateCups;
  let hall: RunningHall;
  let chromium: LaunchedBrowser;
  let page: Page;
  let dataDir: string;
  let configDir: string;
  const shots = artifactDir('id-copy');

  beforeAll(async () => {
    cups = await startCups();
    dataDir = mkdtempSync(join(tmpdir(), 'xj-idcopy-e2e-'));
    configDir = mkdtempSync(join(tmpdir(), 'xj-idcopy-config-'));
    cpSync(DEFAULT_CONFIG_DIR, configDir, { recursive: true });
    const kiosksFile = join(configDir, 'kiosks.json');
    const kiosks = JSON.parse(readFileSync(kiosksFile, 'utf8')) as { id: string; devices: unknown[] }[];
    kiosks.find((k) => k.id === 'kiosk-1')!.devices.push({ id: 'a4', kind: 'a4printer', port: cups.printerUri, pollMs: 200 });
    writeFileSync(kiosksFile, JSON.stringify(kiosks, null, 1));
    hall = await startHall({ dataDir, configDir, ports: { central: 0, kiosk: 0, robot: 0 }, log: createLogger('e2e', 'warn') });
    chromium = await launchChromium(LANDSCAPE);
  });

  afterAll(async () => {
    await chromium?.close();
    await hall?.close();
    await cups?.stop();
    for (const d of [dataDir, configDir]) if (d) rmSync(d, { recursive: true, force: true });
  });

  it('prints the signed-in citizen’s card face watermarked for the purpose they pick', async () => {
    const kioskBase = new URL(hall.urls.kiosk).origin;
    page = await openKioskHome(chromium.browser, hall.urls.kiosk);
    const insert = await fetch(`${kioskBase}/sim/idcard/insert`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ card: 'resident' }) });
    expect(insert.ok).toBe(true);
    await expect.poll(() => page.getByTestId('person').innerText().catch(() => '')).toContain(RESIDENT.maskedName);

    await page.getByTestId('id-copy-open').click();
    await page.locator('[data-purpose="社保卡申领"]').click();
    expect(await page.getByTestId('id-copy-preview').innerText()).toContain('仅供办理社保卡申领使用');
    await page.screenshot({ path: join(shots, '01-purpose.png') });
    await page.getByTestId('id-copy-print').click();
    await expect.poll(() => page.getByTestId('id-copy-state').getAttribute('data-state').catch(() => null)).toBe('done');
    await page.screenshot({ path: join(shots, '02-printed.png') });

    // cups-pdf writes the file after CUPS reports the job done: wait for the finished text.
    const today = new Date().toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' }).split('-').map(Number);
    const text = await vi.waitFor(
      () => {
        const t = cups.outputs().map(pdfText).join('\n');
        if (!t.includes('居民身份证复印件')) throw new Error('no printed copy yet');
        return t;
      },
      { timeout: 20_000, interval: 200 },
    );
    expect(text).toContain(RESIDENT.name);
    expect(text).toContain(RESIDENT.idNumber);
    expect(text).toContain(`仅供办理社保卡申领使用，${today[0]}年${today[1]}月${today[2]}日有效`);

    // The kiosk's and the platform's stored records say a copy was printed, never whose.
    for (const file of filesUnder(dataDir)) {
      const bytes = readFileSync(file);
      expect(bytes.includes(Buffer.from(RESIDENT.idNumber)), file).toBe(false);
      expect(bytes.includes(Buffer.from(RESIDENT.name)), file).toBe(false);
    }
  });
  it('prints the record the citizen read as a certificate the platform confirms', async () => {
    const kioskBase = new URL(hall.urls.kiosk).origin;
    page = await openKioskHome(chromium.browser, hall.urls.kiosk);
    await fetch(`${kioskBase}/sim/idcard/insert`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ card: 'resident' }) });
    await expect.poll(() => page.getByTestId('person').innerText().catch(() => '')).toContain(RESIDENT.maskedName);
    await page.getByTestId('home-records').click();
    await page.locator('[data-testid="record-kinds"] [data-kind="social-security"]').click();
    await page.getByTestId('record').waitFor({ timeout: 15_000 });
    const before = cups.outputs().length;
    await page.getByTestId('record-print-button').click();
    await expect.poll(() => page.getByTestId('record-print-state').getAttribute('data-state').catch(() => null), { timeout: 20_000 }).toBe('done');
    const shown = await page.getByTestId('record-print-state').innerText();
    const code = /核验码 ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(shown)?.[1]?.replaceAll('-', '');
    expect(code, shown).toBeTruthy();
    // Printed once: the button gives way to the result rather than offer the same paper again.
    expect(await page.getByTestId('record-print-button').count()).toBe(0);
    await page.screenshot({ path: join(shots, '03-record-certificate.png') });

    const text = await vi.waitFor(
      () => {
        const t = cups.outputs().slice(before).map(pdfText).join('\n');
        if (!t.includes('广州市社会保险参保缴费记录')) throw new Error('no printed certificate yet');
        return t;
      },
      { timeout: 20_000, interval: 200 },
    );
    expect(text).toContain(RESIDENT.name);
    expect(text).toContain(RESIDENT.maskedId);
    expect(text).not.toContain(RESIDENT.idNumber);
    expect(text.replace(/-/g, '')).toContain(code!);
    const verified = await (await fetch(`${hall.urls.central}/api/verify?code=${code}`)).json();
    expect(verified).toMatchObject({ valid: true, claims: { title: '广州市社会保险参保缴费记录', holderId: RESIDENT.maskedId } });
  });
});
