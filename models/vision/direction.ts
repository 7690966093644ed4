/**
 * Text direction (PP-OCR mobile v2.0 cls): whether a cropped line reads upright or upside
 * down, so a page photographed the wrong way up is still read.
 */
import * as ort from 'onnxruntime-node';
import type { RgbImage } from './image.ts';
import { resize } from './geometry.ts';
import { SYMMETRIC, writeChw } from './tensor.ts';

const HEIGHT = 48;
const WIDTH = 192;
/** PaddleOCR's cls_thresh: turn a line only when the model is this sure. */
const TURN_WHEN = 0.9;

/** For each line, true when it should be turned 180°. */
export async function upsideDown(session: ort.InferenceSession, lines: RgbImage[]): Promise<boolean[]> {
  if (lines.length === 0) return [];
  const input = new Float32Array(lines.length * 3 * HEIGHT * WIDTH);
  lines.forEach((l, k) => {
    const w = Math.min(WIDTH, Math.max(1, Math.ceil((HEIGHT * l.width) / l.height)));
    writeChw(resize(l, w, HEIGHT), SYMMETRIC, input, k, WIDTH, HEIGHT);
  });
  const result = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', input, [lines.length, 3, HEIGHT, WIDTH]) });
  const p = result[session.outputNames[0]].data as Float32Array;
  return lines.map((_, k) => p[k * 2 + 1] > p[k * 2] && p[k * 2 + 1] >= TURN_WHEN);
}
