/**
 * AI 预审 from the kiosk's flatbed/SANE scanner end to end: the kiosk is configured with a
 * scanner hot folder, the citizen presses 扫描仪, the scanner's software saves a rendered
 * document page into the folder, and the screen shows the verdict; the scanned file is gone.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHall, type RunningHall } from '../../cli/hall.ts';
import { createLogger } from '../../electron/services/log.ts';
import { launchRenderer, renderHtml } from '../../bench/ocr/docset.ts';
import { seeded } from '../../bench/ocr/fake.ts';
import { TEMPLATES } from '../../bench/ocr/templates.ts';
import { configWithScanner } from '../helpers/prereview.ts';
import { artifactDir, LANDSCAPE, launchChromium, openKioskHome } from './browser.ts';

const ITEM = 'GZ-BDC-001'; // 不动产转移登记: 居民身份证, 不动产权证书
let dir: string;
let scans: string;
let hall: RunningHall;
const shots = artifactDir('prereview-scanner');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xj-prereview-scan-e2e-'));
  let configDir;
  ({ configDir, scans } = configWithScanner(dir));
  hall = await startHall({ dataDir: join(dir, 'hall'), configDir, ports: { central: 0, kiosk: 0, robot: 0 }, log: createLogger('e2e', 'warn') });
});

afterAll(async () => {
  await hall?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('AI 预审 with the kiosk\'s scanner', () => {
  it('reads the page the scanner saves after 扫描仪 and deletes the file', async () => {
    // A flatbed scan is a clean page: the rendered document, not a photograph of it.
    const doc = TEMPLATES['property-certificate'](seeded(20_2603));
    const renderer = await launchRenderer();
    const scanned = join(dir, 'scanned.png');
    try {
      await renderHtml(renderer, doc.html, scanned);
    } finally {
      await renderer.close();
    }
    const chromium = await launchChromium(LANDSCAPE);
    try {
      const page = await openKioskHome(chromium.browser, hall.urls.kiosk);
      await page.locator(`.tile[data-code="${ITEM}"]`).first().click();
      await page.getByTestId('start-prereview').click();
      await page.getByTestId('prereview-scan').click();
      await page.getByTestId('prereview-scanning').waitFor();
      await page.screenshot({ path: join(shots, '01-scanning.png') });
      writeFileSync(join(scans, 'page.png'), readFileSync(scanned));
      await page.getByTestId('prereview-page').waitFor({ timeout: 90_000 });
      expect(await page.locator('li[data-material="不动产权证书"]').getAttribute('data-status')).toBe('present');
      expect(await page.locator('li[data-material="居民身份证"]').getAttribute('data-status')).toBe('wrong-document');
      expect(readdirSync(scans)).toEqual([]);
      await page.screenshot({ path: join(shots, '02-verdict.png') });
    } finally {
      await chromium.close();
    }
  });
});
