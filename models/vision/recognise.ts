/**
 * CRNN-style line recognition (PP-OCRv4 rec, SVTR-LCNet with a CTC head): each text line
 * is scaled to 48 pixels high, the model gives per time step a distribution over
 * blank + the dictionary's characters + space, and greedy CTC decoding collapses repeats
 * and drops blanks.
 */
import * as ort from 'onnxruntime-node';
import type { RgbImage } from './image.ts';
import { resize } from './geometry.ts';
import { SYMMETRIC, writeChw } from './tensor.ts';

export const REC_HEIGHT = 48;
/** PaddleOCR's batch size for recognition; lines of like length are batched together. */
const BATCH = 6;
/** Narrowest input (width / height): a single character still gets enough CTC steps. */
const MIN_RATIO = 2;

export interface Recognised {
  text: string;
  /** Mean probability of the characters kept. */
  score: number;
}

/** blank, the dictionary file's characters in order, then space (use_space_char). */
export function loadCharacters(dictionaryText: string): string[] {
  const lines = dictionaryText.split('\n').map((l) => l.replace(/\r$/, ''));
  if (lines[lines.length - 1] === '') lines.pop();
  return ['', ...lines, ' '];
}

export function ctcDecode(probs: Float32Array, steps: number, classes: number, offset: number, characters: string[]): Recognised {
  let text = '';
  let sum = 0;
  let kept = 0;
  let previous = -1;
  for (let t = 0; t < steps; t++) {
    const row = offset + t * classes;
    let best = 0;
    let bestP = probs[row];
    for (let k = 1; k < classes; k++) {
      if (probs[row + k] > bestP) {
        bestP = probs[row + k];
        best = k;
      }
    }
    if (best !== 0 && best !== previous) {
      text += characters[best] ?? '';
      sum += bestP;
      kept++;
    }
    previous = best;
  }
  return { text, score: kept ? sum / kept : 0 };
}

export async function recogniseLines(session: ort.InferenceSession, lines: RgbImage[], characters: string[]): Promise<Recognised[]> {
  const order = lines.map((l, i) => ({ i, ratio: l.width / l.height })).sort((a, b) => a.ratio - b.ratio);
  const out: Recognised[] = new Array(lines.length);
  for (let b = 0; b < order.length; b += BATCH) {
    const batch = order.slice(b, b + BATCH);
    // Padded only to the batch's widest line: PaddleOCR pads every batch to at least 320
    // pixels, which multiplies the cost of the many one- and two-word cells of a form.
    const maxRatio = Math.max(MIN_RATIO, ...batch.map((e) => e.ratio));
    const width = Math.ceil(REC_HEIGHT * maxRatio);
    const input = new Float32Array(batch.length * 3 * REC_HEIGHT * width);
    batch.forEach((e, k) => {
      const w = Math.min(width, Math.max(1, Math.ceil(REC_HEIGHT * e.ratio)));
      writeChw(resize(lines[e.i], w, REC_HEIGHT), SYMMETRIC, input, k, width, REC_HEIGHT);
    });
    const result = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', input, [batch.length, 3, REC_HEIGHT, width]) });
    const probs = result[session.outputNames[0]];
    const [, steps, classes] = probs.dims as number[];
    batch.forEach((e, k) => {
      out[e.i] = ctcDecode(probs.data as Float32Array, steps, classes, k * steps * classes, characters);
    });
  }
  return out;
}
