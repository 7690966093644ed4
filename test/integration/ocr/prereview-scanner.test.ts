/**
 * AI 预审 from a flatbed/SANE scanner through the terminal's real root and router, with the
 * real OCR: the kiosk's configured hot folder receives the scanned page after 扫描仪 was
 * pressed, the page is read and judged like a camera page, and the file is deleted; a file
 * that is no picture is refused with a clear error and the review goes on.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { composeTerminal, type KioskServices } from '../../../electron/services/kiosk-services.ts';
import { prereviewPart } from '../../../electron/services/prereview.ts';
import type { PageResult, ReviewOpened } from '../../../protocol/ui/domains/prereview.ts';
import { linkPart } from '../../helpers/terminal-parts.ts';
import { caller, CARD_ID_NUMBER as ID_NUMBER, configWithScanner, drawIdCard } from '../../helpers/prereview.ts';

const ITEM = 'GZ-BDC-001'; // 不动产转移登记: 居民身份证, 不动产权证书
let dir: string;
let scans: string;
let kiosk: KioskServices;
let card: Buffer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xj-prereview-scan-'));
  let configDir;
  ({ configDir, scans } = configWithScanner(dir));
  const transactions = { append: async () => ({ id: '1' }) };
  kiosk = await composeTerminal(
    { kioskId: 'kiosk-1', dataDir: join(dir, 'kiosk'), configDir, watchConfig: false, log: pino({ level: 'silent' }) },
    [linkPart(transactions, null), prereviewPart()],
  );
  card = drawIdCard(dir);
});

afterAll(async () => {
  await kiosk?.close();
  rmSync(dir, { recursive: true, force: true });
});

const call = caller(() => kiosk);

describe('AI 预审 from the scanner\'s hot folder', () => {
  it('reads the page the scanner saves after 扫描仪 was pressed and deletes the file', async () => {
    const opened = await call<ReviewOpened>('prereview.open', { itemCode: ITEM });
    expect(opened.scanner).toBe(true);
    // A page left from long before the button was pressed is not this citizen's: it is not taken.
    const old = join(scans, 'old.png');
    writeFileSync(old, 'left over');
    utimesSync(old, new Date(Date.now() - 3600_000), new Date(Date.now() - 3600_000));
    const pending = call<PageResult>('prereview.scan', { reviewId: opened.reviewId, material: '居民身份证' });
    writeFileSync(join(scans, 'page.png'), card);
    const result = await pending;
    expect(result.kind).toBe('id-card-front');
    expect(result.fields).toContainEqual({ key: 'idNumber', value: ID_NUMBER });
    expect(result.verdicts[0]).toMatchObject({ name: '居民身份证', status: 'missing', reasons: [{ code: 'side-missing', kind: 'id-card-back' }] });
    expect(readdirSync(scans)).toEqual(['old.png']);
    rmSync(old);
    await call('prereview.discard', { reviewId: opened.reviewId });
  });

  it('refuses a scanned file that is no picture with a clear error, deletes it and keeps the review', async () => {
    const opened = await call<ReviewOpened>('prereview.open', { itemCode: ITEM });
    const bad = call('prereview.scan', { reviewId: opened.reviewId });
    writeFileSync(join(scans, 'page.png'), 'scanimage: open of device failed');
    await expect(bad).rejects.toMatchObject({ code: 'bad-input', message: expect.stringMatching(/could not be read/) });
    expect(existsSync(join(scans, 'page.png'))).toBe(false);

    const empty = call('prereview.scan', { reviewId: opened.reviewId });
    writeFileSync(join(scans, 'empty.png'), '');
    await expect(empty).rejects.toMatchObject({ code: 'bad-input', message: expect.stringMatching(/empty/) });
    expect(existsSync(join(scans, 'empty.png'))).toBe(false);

    const again = call<PageResult>('prereview.scan', { reviewId: opened.reviewId });
    writeFileSync(join(scans, 'page-2.png'), card);
    expect((await again).kind).toBe('id-card-front');
    expect(readdirSync(scans)).toEqual([]);
    await call('prereview.discard', { reviewId: opened.reviewId });
  });

  it('ends the wait for a scan when the review is discarded', async () => {
    const opened = await call<ReviewOpened>('prereview.open', { itemCode: ITEM });
    const waiting = call('prereview.scan', { reviewId: opened.reviewId });
    await call('prereview.discard', { reviewId: opened.reviewId });
    await expect(waiting).rejects.toMatchObject({ code: 'not-found' });
  });
});
