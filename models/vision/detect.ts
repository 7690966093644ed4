/**
 * DB text detection (PP-OCRv4 det): the model gives each pixel a probability of lying in a
 * text region's shrunk core; the regions are the connected parts of that map above a
 * threshold, scored by their mean probability, fitted with a minimum-area rectangle and
 * grown back ("unclipped") by the margin the training shrank them by.
 */
import * as ort from 'onnxruntime-node';
import type { RgbImage } from './image.ts';
import { minAreaRect, rectCorners, resize, type Point, type Quad } from './geometry.ts';
import { IMAGENET, writeChw } from './tensor.ts';

export interface DetectOptions {
  /** The longer side is brought down to this (multiples of 32 either way). */
  limitSide: number;
  /** Pixel probability that counts as text. */
  threshold: number;
  /** A region's mean probability below this is dropped. */
  boxThreshold: number;
  /** Area / perimeter ratio by which a region grows back. */
  unclipRatio: number;
  /** Regions whose shorter side is under this (map pixels) are noise. */
  minSize: number;
}

// PaddleOCR's own inference defaults for PP-OCRv4, except a larger side limit: a document
// page carries smaller print than the scene photos the defaults were set for.
export const DETECT_DEFAULTS: DetectOptions = { limitSide: 960, threshold: 0.3, boxThreshold: 0.6, unclipRatio: 1.6, minSize: 3 };

export interface TextBox {
  quad: Quad;
  score: number;
}

function inputSize(img: RgbImage, limit: number): [number, number] {
  const scale = Math.min(1, limit / Math.max(img.width, img.height));
  const round32 = (v: number) => Math.max(32, Math.round((v * scale) / 32) * 32);
  return [round32(img.width), round32(img.height)];
}

export async function detectText(session: ort.InferenceSession, img: RgbImage, opts: DetectOptions = DETECT_DEFAULTS): Promise<TextBox[]> {
  const [w, h] = inputSize(img, opts.limitSide);
  const input = new Float32Array(3 * w * h);
  writeChw(resize(img, w, h), IMAGENET, input, 0);
  const result = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', input, [1, 3, h, w]) });
  const prob = result[session.outputNames[0]].data as Float32Array;
  return boxesFromMap(prob, w, h, opts).map((b) => ({
    score: b.score,
    quad: b.quad.map(([x, y]) => [clamp((x * img.width) / w, img.width), clamp((y * img.height) / h, img.height)]) as Quad,
  }));
}

function clamp(v: number, size: number): number {
  return Math.min(size - 1, Math.max(0, v));
}

/** The post-processing alone, over a probability map of width × height. */
export function boxesFromMap(prob: Float32Array, width: number, height: number, opts: DetectOptions = DETECT_DEFAULTS): TextBox[] {
  const label = new Int32Array(width * height);
  const boxes: TextBox[] = [];
  const stack: number[] = [];
  let next = 0;
  for (let start = 0; start < prob.length; start++) {
    if (label[start] !== 0 || prob[start] <= opts.threshold) continue;
    next++;
    label[start] = next;
    stack.push(start);
    // Each row's leftmost and rightmost pixel are enough for the region's convex hull.
    const rowMin = new Map<number, number>();
    const rowMax = new Map<number, number>();
    let sum = 0;
    let count = 0;
    while (stack.length) {
      const p = stack.pop()!;
      const x = p % width;
      const y = (p - x) / width;
      sum += prob[p];
      count++;
      if (!(rowMin.get(y)! <= x)) rowMin.set(y, x);
      if (!(rowMax.get(y)! >= x)) rowMax.set(y, x);
      for (const q of [x > 0 ? p - 1 : -1, x < width - 1 ? p + 1 : -1, y > 0 ? p - width : -1, y < height - 1 ? p + width : -1]) {
        if (q >= 0 && label[q] === 0 && prob[q] > opts.threshold) {
          label[q] = next;
          stack.push(q);
        }
      }
    }
    if (count < 4 || sum / count < opts.boxThreshold) continue;
    const points: Point[] = [];
    for (const [y, x] of rowMin) points.push([x, y], [x + 1, y], [x, y + 1]);
    for (const [y, x] of rowMax) points.push([x + 1, y], [x + 1, y + 1], [x, y + 1]);
    const rect = minAreaRect(points);
    if (Math.min(rect.width, rect.height) < opts.minSize) continue;
    const area = rect.width * rect.height;
    const grow = (area * opts.unclipRatio) / (2 * (rect.width + rect.height));
    boxes.push({ score: sum / count, quad: rectCorners({ ...rect, width: rect.width + 2 * grow, height: rect.height + 2 * grow }) });
  }
  return boxes;
}
