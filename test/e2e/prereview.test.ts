/**
 * AI 预审 end to end: Chromium's camera is a clip of a rendered, badly photographed
 * document; the kiosk's real camera path (getUserMedia, the still-and-sharp trigger, the
 * page sent to the host in pieces, the offline OCR) reads it and the screen says what each
 * material of the item is, with the fields read filled in to confirm. The platform gets a
 * 'prereview' transaction of which materials passed and nothing read off the page.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHall, type RunningHall } from '../../cli/hall.ts';
import { createLogger } from '../../electron/services/log.ts';
import { decodePng } from '../../models/vision/image.ts';
import { degrade, launchRenderer, renderHtml } from '../../bench/ocr/docset.ts';
import { seeded } from '../../bench/ocr/fake.ts';
import { TEMPLATES } from '../../bench/ocr/templates.ts';
import type { DocumentKind } from '../../protocol/prereview.ts';
import { writeY4m } from '../helpers/y4m.ts';
import { artifactDir, LANDSCAPE, launchChromium, openKioskHome, type LaunchedBrowser } from './browser.ts';

const ITEM = 'GZ-BDC-001'; // 不动产转移登记: 居民身份证, 不动产权证书
let dir: string;
let hall: RunningHall;
const shots = artifactDir('prereview');

/** A document of `kind` rendered, photographed (seeded) and framed 1280×720 on a desk, as a camera clip. */
async function cameraClip(kind: DocumentKind, seed: number): Promise<{ clip: string; truth: Record<string, string> }> {
  const doc = TEMPLATES[kind](seeded(seed));
  const browser = await launchRenderer();
  try {
    await renderHtml(browser, doc.html, join(dir, `${kind}.png`));
  } finally {
    await browser.close();
  }
  await degrade(join(dir, `${kind}.png`), join(dir, `${kind}.jpg`), seeded(seed + 1));
  execFileSync('convert', [join(dir, `${kind}.jpg`), '-resize', '1200x680', '-background', 'gray25', '-gravity', 'center', '-extent', '1280x720', join(dir, `${kind}-frame.png`)]);
  const clip = join(dir, `${kind}.y4m`);
  writeY4m(clip, decodePng(readFileSync(join(dir, `${kind}-frame.png`))));
  return { clip, truth: doc.truth };
}

async function withCamera(clip: string): Promise<LaunchedBrowser> {
  return launchChromium(LANDSCAPE, ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${clip}`]);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xj-prereview-e2e-'));
  hall = await startHall({ dataDir: join(dir, 'hall'), ports: { central: 0, kiosk: 0, robot: 0 }, log: createLogger('e2e', 'warn') });
});

afterAll(async () => {
  await hall?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('AI 预审 at the kiosk', () => {
  it('reads the ID card shown to the camera, asks for its other side, fills in the name and number and records only what passed', async () => {
    const { clip, truth } = await cameraClip('id-card-front', 20_2601);
    const chromium = await withCamera(clip);
    try {
      const page = await openKioskHome(chromium.browser, hall.urls.kiosk);
      await page.locator(`.tile[data-code="${ITEM}"]`).first().click();
      await page.getByTestId('start-prereview').click();
      await expect.poll(() => page.getByTestId('prereview-prompt').innerText().catch(() => '')).toContain('居民身份证');
      await page.screenshot({ path: join(shots, '01-camera.png') });
      // The page is taken by itself once still and sharp, then read on the host.
      await page.getByTestId('prereview-page').waitFor({ timeout: 90_000 });
      expect(await page.getByTestId('prereview-page').innerText()).toContain('身份证人像面');
      const idCard = page.locator('[data-testid="prereview-verdicts"] li[data-material="居民身份证"]');
      expect(await idCard.getAttribute('data-status')).toBe('missing');
      expect(await idCard.innerText()).toContain('还缺身份证国徽面');
      expect(await page.locator('li[data-material="不动产权证书"]').getAttribute('data-status')).toBe('missing');
      await page.getByTestId('prereview-check').click();
      await expect.poll(() => page.locator('input[data-field="idNumber"]').inputValue().catch(() => '')).toBe(truth.idNumber);
      expect(await page.locator('input[data-field="name"]').inputValue()).toBe(truth.name);
      await page.screenshot({ path: join(shots, '02-verdict.png') });
      await page.getByTestId('prereview-finish').click();
      await page.getByTestId('prereview-done').waitFor();

      const rows = await expect
        .poll(async () => hall.central.ctx.db.query<{ payload: string }>("SELECT payload FROM transactions WHERE type = 'prereview'"), { timeout: 30_000 })
        .toHaveLength(1)
        .then(() => hall.central.ctx.db.query<{ payload: string }>("SELECT payload FROM transactions WHERE type = 'prereview'"));
      const payload = rows[0].payload;
      expect(JSON.parse(payload)).toEqual({ itemCode: ITEM, materials: [{ name: '居民身份证', passed: false }, { name: '不动产权证书', passed: false }] });
      expect(payload).not.toContain(truth.idNumber);
      expect(payload).not.toContain(truth.name);
    } finally {
      await chromium.close();
    }
  });

  it('says a property certificate shown for the ID card is the wrong document, and passes the certificate', async () => {
    const { clip } = await cameraClip('property-certificate', 20_2602);
    const chromium = await withCamera(clip);
    try {
      const page = await openKioskHome(chromium.browser, hall.urls.kiosk);
      await page.locator(`.tile[data-code="${ITEM}"]`).first().click();
      await page.getByTestId('start-prereview').click();
      await page.getByTestId('prereview-page').waitFor({ timeout: 90_000 });
      const idCard = page.locator('[data-testid="prereview-verdicts"] li[data-material="居民身份证"]');
      expect(await idCard.getAttribute('data-status')).toBe('wrong-document');
      expect(await idCard.innerText()).toContain('拍到的是不动产权证书');
      expect(await page.locator('li[data-material="不动产权证书"]').getAttribute('data-status')).toBe('present');
      await page.screenshot({ path: join(shots, '03-wrong-document.png') });
      // Retake goes back to the camera for the same material.
      await page.getByTestId('prereview-retake').click();
      await expect.poll(() => page.getByTestId('prereview-prompt').innerText().catch(() => '')).toContain('居民身份证');
    } finally {
      await chromium.close();
    }
  });
});
