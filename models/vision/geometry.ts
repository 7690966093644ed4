/**
 * Plane geometry the OCR needs: homographies for warping a quadrilateral to a rectangle
 * (page outlines, slanted text lines), bilinear resampling, and the minimum-area rectangle
 * of a point set (DB detection's boxes).
 */
import { rgbImage, type RgbImage } from './image.ts';

export type Point = [number, number];
/** Corners in order top-left, top-right, bottom-right, bottom-left. */
export type Quad = [Point, Point, Point, Point];

/** Solves the 8×8 system mapping `from` onto `to`; the 3×3 matrix row-major, h33 = 1. */
export function homography(from: Quad, to: Quad): number[] {
  const a: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i];
    const [u, v] = to[i];
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  for (let c = 0; c < 8; c++) {
    let pivot = c;
    for (let r = c + 1; r < 8; r++) if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) pivot = r;
    [a[c], a[pivot]] = [a[pivot], a[c]];
    if (Math.abs(a[c][c]) < 1e-12) throw new RangeError('degenerate quadrilateral');
    for (let r = 0; r < 8; r++) {
      if (r === c) continue;
      const f = a[r][c] / a[c][c];
      for (let k = c; k < 9; k++) a[r][k] -= f * a[c][k];
    }
  }
  const h = a.map((row, i) => row[8] / row[i]);
  return [...h, 1];
}

function sample(img: RgbImage, x: number, y: number, out: Uint8Array, o: number): void {
  const { width, height, data } = img;
  if (x < 0 || y < 0 || x > width - 1 || y > height - 1) {
    out[o] = out[o + 1] = out[o + 2] = 255;
    return;
  }
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const x1 = Math.min(x0 + 1, width - 1);
  const y1 = Math.min(y0 + 1, height - 1);
  const fx = x - x0;
  const fy = y - y0;
  const p00 = (y0 * width + x0) * 3;
  const p01 = (y0 * width + x1) * 3;
  const p10 = (y1 * width + x0) * 3;
  const p11 = (y1 * width + x1) * 3;
  for (let c = 0; c < 3; c++) {
    const top = data[p00 + c] + (data[p01 + c] - data[p00 + c]) * fx;
    const bottom = data[p10 + c] + (data[p11 + c] - data[p10 + c]) * fx;
    out[o + c] = top + (bottom - top) * fy + 0.5;
  }
}

/** The quadrilateral `quad` of `img` straightened into a width × height picture. */
export function warpQuad(img: RgbImage, quad: Quad, width: number, height: number): RgbImage {
  const w = Math.max(1, Math.round(width));
  const h = Math.max(1, Math.round(height));
  // Maps output pixels back to the source, so every output pixel is sampled once.
  const m = homography([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], quad);
  const out = rgbImage(w, h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const d = m[6] * x + m[7] * y + m[8];
      sample(img, (m[0] * x + m[1] * y + m[2]) / d, (m[3] * x + m[4] * y + m[5]) / d, out.data, (y * w + x) * 3);
    }
  }
  return out;
}

export function resize(img: RgbImage, width: number, height: number): RgbImage {
  const w = Math.max(1, Math.round(width));
  const h = Math.max(1, Math.round(height));
  const out = rgbImage(w, h);
  const sx = img.width / w;
  const sy = img.height / h;
  // Shrinking by more than 2 averages a box first, or thin strokes alias away.
  const src = sx > 2 || sy > 2 ? boxShrink(img, Math.floor(sx / 1.5) || 1, Math.floor(sy / 1.5) || 1) : img;
  const fx = src.width / w;
  const fy = src.height / h;
  for (let y = 0; y < h; y++) {
    const yy = Math.min(src.height - 1, Math.max(0, (y + 0.5) * fy - 0.5));
    for (let x = 0; x < w; x++) sample(src, Math.min(src.width - 1, Math.max(0, (x + 0.5) * fx - 0.5)), yy, out.data, (y * w + x) * 3);
  }
  return out;
}

function boxShrink(img: RgbImage, kx: number, ky: number): RgbImage {
  const w = Math.floor(img.width / kx);
  const h = Math.floor(img.height / ky);
  const out = rgbImage(w, h);
  const n = kx * ky;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 3; c++) {
        let s = 0;
        for (let dy = 0; dy < ky; dy++) {
          const row = ((y * ky + dy) * img.width + x * kx) * 3 + c;
          for (let dx = 0; dx < kx; dx++) s += img.data[row + dx * 3];
        }
        out.data[(y * w + x) * 3 + c] = s / n;
      }
    }
  }
  return out;
}

/** `img` turned about its centre so that lines descending at `degrees` (y grows to the right) come out level; same size, corners white. */
export function rotate(img: RgbImage, degrees: number): RgbImage {
  const t = (degrees * Math.PI) / 180;
  const cos = Math.cos(t);
  const sin = Math.sin(t);
  const cx = (img.width - 1) / 2;
  const cy = (img.height - 1) / 2;
  const out = rgbImage(img.width, img.height);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const dx = x - cx;
      const dy = y - cy;
      sample(img, cx + dx * cos - dy * sin, cy + dx * sin + dy * cos, out.data, (y * img.width + x) * 3);
    }
  }
  return out;
}

export function rotate180(img: RgbImage): RgbImage {
  const out = rgbImage(img.width, img.height);
  const n = img.width * img.height;
  for (let i = 0; i < n; i++) out.data.set(img.data.subarray(i * 3, i * 3 + 3), (n - 1 - i) * 3);
  return out;
}

/** A quarter turn counter-clockwise, for text set vertically. */
export function rotate90(img: RgbImage): RgbImage {
  const out = rgbImage(img.height, img.width);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) out.data.set(img.data.subarray((y * img.width + x) * 3, (y * img.width + x) * 3 + 3), ((img.width - 1 - x) * img.height + y) * 3);
  }
  return out;
}

function cross(o: Point, a: Point, b: Point): number {
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

export function convexHull(points: Point[]): Point[] {
  const p = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (p.length < 3) return p;
  const lower: Point[] = [];
  for (const q of p) {
    while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], q) <= 0) lower.pop();
    lower.push(q);
  }
  const upper: Point[] = [];
  for (let i = p.length - 1; i >= 0; i--) {
    while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], p[i]) <= 0) upper.pop();
    upper.push(p[i]);
  }
  return lower.slice(0, -1).concat(upper.slice(0, -1));
}

export interface RotatedRect {
  cx: number;
  cy: number;
  /** Along the rectangle's angle. */
  width: number;
  height: number;
  /** Radians of the width side. */
  angle: number;
}

/** Minimum-area enclosing rectangle by rotating calipers over the hull's edges. */
export function minAreaRect(points: Point[]): RotatedRect {
  const hull = convexHull(points);
  if (hull.length === 1) return { cx: hull[0][0], cy: hull[0][1], width: 0, height: 0, angle: 0 };
  let best: RotatedRect | null = null;
  let bestArea = Infinity;
  for (let i = 0; i < hull.length; i++) {
    const a = hull[i];
    const b = hull[(i + 1) % hull.length];
    const angle = Math.atan2(b[1] - a[1], b[0] - a[0]);
    const c = Math.cos(angle);
    const s = Math.sin(angle);
    let minU = Infinity, maxU = -Infinity, minV = Infinity, maxV = -Infinity;
    for (const [x, y] of hull) {
      const u = x * c + y * s;
      const v = -x * s + y * c;
      if (u < minU) minU = u;
      if (u > maxU) maxU = u;
      if (v < minV) minV = v;
      if (v > maxV) maxV = v;
    }
    const area = (maxU - minU) * (maxV - minV);
    if (area < bestArea) {
      bestArea = area;
      const mu = (minU + maxU) / 2;
      const mv = (minV + maxV) / 2;
      best = { cx: mu * c - mv * s, cy: mu * s + mv * c, width: maxU - minU, height: maxV - minV, angle };
    }
  }
  return normaliseRect(best!);
}

/** The same rectangle described with its long side as width and |angle| ≤ 45° where possible. */
function normaliseRect(r: RotatedRect): RotatedRect {
  let { width, height, angle } = r;
  while (angle > Math.PI / 4) {
    angle -= Math.PI / 2;
    [width, height] = [height, width];
  }
  while (angle <= -Math.PI / 4) {
    angle += Math.PI / 2;
    [width, height] = [height, width];
  }
  return { ...r, width, height, angle };
}

export function rectCorners(r: RotatedRect): Quad {
  const c = Math.cos(r.angle);
  const s = Math.sin(r.angle);
  const hw = r.width / 2;
  const hh = r.height / 2;
  const at = (u: number, v: number): Point => [r.cx + u * c - v * s, r.cy + u * s + v * c];
  return [at(-hw, -hh), at(hw, -hh), at(hw, hh), at(-hw, hh)];
}

export function distance(a: Point, b: Point): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}
