/**
 * The OCR's document set: each kind rendered from its HTML template in Debian's Chromium,
 * then photographed badly with ImageMagick (turned up to 15°, perspective, blur, uneven
 * light, JPEG quality 40, on a dark desk), all from seeds so a rebuild is identical.
 * Documents 0…dev-1 of each kind are the development split; the rest are held out, and
 * engine work never looks at them (only the benchmark reads their figures).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { DOCUMENT_KINDS, type DocumentKind } from '../../protocol/prereview.ts';
import { int, seeded, type Rng } from './fake.ts';
import { TEMPLATES } from './templates.ts';

const run = promisify(execFile);
export const DOCSET_DIR = resolve(import.meta.dirname, '../../data/ocr-docs');
export const DOCSET_SIZE = { perKind: 12, dev: 6 };
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface DocEntry {
  kind: DocumentKind;
  split: 'dev' | 'held-out';
  /** The clean rendering (PNG) and the degraded photograph (JPEG), relative to the set's folder. */
  clean: string;
  photo: string;
  truth: Record<string, string>;
  seed: number;
}

export function docSeed(kind: DocumentKind, index: number): number {
  // FNV-1a of the name: a kind's documents never share a seed with another kind's.
  let h = 0x811c9dc5;
  for (const ch of `${kind}#${index}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

export function launchRenderer(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export async function renderHtml(browser: Browser, html: string, file: string): Promise<void> {
  const page = await browser.newPage({ deviceScaleFactor: 1, viewport: { width: 1400, height: 1000 } });
  try {
    await page.setContent(html, { waitUntil: 'load' });
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    await page.locator('#doc').screenshot({ path: file, type: 'png' });
  } finally {
    await page.close();
  }
}

async function size(file: string): Promise<[number, number]> {
  const { stdout } = await run('identify', ['-format', '%w %h', file]);
  const [w, h] = stdout.trim().split(' ').map(Number);
  return [w, h];
}

/**
 * A phone or document-camera photograph of `clean`: the page's corners pulled about
 * (perspective) and turned by up to 15°, on a dark desk, lit unevenly, slightly out of
 * focus and saved as JPEG quality 40.
 */
export async function degrade(clean: string, photo: string, rng: Rng): Promise<void> {
  const [w, h] = await size(clean);
  const angle = ((rng() * 2 - 1) * 15 * Math.PI) / 180;
  const jitter = () => (rng() * 2 - 1) * 0.04 * Math.min(w, h);
  const corners = [[0, 0], [w, 0], [w, h], [0, h]].map(([x, y]) => {
    const dx = x - w / 2 + jitter();
    const dy = y - h / 2 + jitter();
    return [dx * Math.cos(angle) - dy * Math.sin(angle), dx * Math.sin(angle) + dy * Math.cos(angle)];
  });
  const margin = Math.round(0.06 * Math.max(w, h));
  const minX = Math.min(...corners.map((c) => c[0]));
  const minY = Math.min(...corners.map((c) => c[1]));
  const outW = Math.ceil(Math.max(...corners.map((c) => c[0])) - minX) + 2 * margin;
  const outH = Math.ceil(Math.max(...corners.map((c) => c[1])) - minY) + 2 * margin;
  const pairs = [[0, 0], [w, 0], [w, h], [0, h]].map(([x, y], i) => `${x},${y} ${(corners[i][0] - minX + margin).toFixed(1)},${(corners[i][1] - minY + margin).toFixed(1)}`).join('  ');
  const desk = `gray(${int(rng, 25, 45)}%)`;
  // Light falls from one side: a gradient between two corners multiplies the picture.
  const bright = int(rng, 95, 100);
  const dim = int(rng, 55, 75);
  const [lx, ly] = rng() < 0.5 ? [0, 0] : [outW, 0];
  const blur = (0.4 + rng() * 0.7).toFixed(2);
  await run('convert', [
    clean, '-alpha', 'off', '-background', desk, '-virtual-pixel', 'background',
    '-define', `distort:viewport=${outW}x${outH}+0+0`, '-distort', 'Perspective', pairs,
    '(', '-size', `${outW}x${outH}`, 'xc:', '-sparse-color', 'Barycentric', `${lx},${ly} gray(${bright}%) ${outW - lx},${outH} gray(${dim}%)`, ')',
    '-compose', 'Multiply', '-composite',
    '-blur', `0x${blur}`, '-quality', '40', photo,
  ]);
}

export interface BuildOptions {
  /** Documents per kind, the first `dev` of them the development split. */
  perKind: number;
  dev: number;
  kinds?: readonly DocumentKind[];
  /** Only these splits are written (a test needs a handful, the benchmark the held-out part). */
  splits?: ReadonlyArray<DocEntry['split']>;
}

export async function buildDocSet(dir: string, opts: BuildOptions): Promise<DocEntry[]> {
  mkdirSync(dir, { recursive: true });
  const browser = await launchRenderer();
  const entries: DocEntry[] = [];
  try {
    for (const kind of opts.kinds ?? DOCUMENT_KINDS) {
      for (let i = 0; i < opts.perKind; i++) {
        const split = i < opts.dev ? 'dev' : 'held-out';
        if (opts.splits && !opts.splits.includes(split)) continue;
        const seed = docSeed(kind, i);
        const rng = seeded(seed);
        const doc = TEMPLATES[kind](rng);
        const name = `${kind}-${String(i).padStart(3, '0')}`;
        const clean = `${name}.png`;
        const photo = `${name}.jpg`;
        await renderHtml(browser, doc.html, join(dir, clean));
        await degrade(join(dir, clean), join(dir, photo), rng);
        entries.push({ kind, split, clean, photo, truth: doc.truth, seed });
      }
    }
  } finally {
    await browser.close();
  }
  writeFileSync(join(dir, 'truth.json'), JSON.stringify(entries, null, 1));
  return entries;
}
