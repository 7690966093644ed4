/**
 * Pictures into the NCHW float tensors PaddleOCR's models were trained on: channels in
 * BGR order (Paddle reads with OpenCV), each model with its own normalisation.
 */
import type { RgbImage } from './image.ts';

export interface Normalise {
  /** Per channel in B, G, R order, on values scaled to 0…1. */
  mean: [number, number, number];
  std: [number, number, number];
}

/** DB detection: ImageNet statistics. */
export const IMAGENET: Normalise = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };
/** Recognition and direction: centred on grey, ±1. */
export const SYMMETRIC: Normalise = { mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] };

/**
 * Writes `img` into slot `index` of a [n, 3, height, padWidth] buffer; columns past the
 * picture's width stay 0, which is the padding the recogniser was trained with.
 */
export function writeChw(img: RgbImage, norm: Normalise, out: Float32Array, index: number, padWidth = img.width, height = img.height): void {
  const plane = height * padWidth;
  const base = index * 3 * plane;
  for (let c = 0; c < 3; c++) {
    const rgb = 2 - c;
    const mean = norm.mean[c];
    const std = norm.std[c];
    const o = base + c * plane;
    for (let y = 0; y < img.height; y++) {
      for (let x = 0; x < img.width; x++) out[o + y * padWidth + x] = (img.data[(y * img.width + x) * 3 + rgb] / 255 - mean) / std;
    }
  }
}
