/**
 * Camera and phone-photo reality before detection: find the page's outline against the
 * desk and straighten it (perspective), deskew what is left by the angle at which the
 * text rows line up best, and even out shadow and glare by dividing by the page's own
 * background brightness.
 */
import { rgbImage, toGray, type RgbImage } from './image.ts';
import { distance, resize, rotate, warpQuad, type Point, type Quad } from './geometry.ts';

export interface Prepared {
  image: RgbImage;
  /** The page's corners in the input, when an outline was found and straightened. */
  page: Quad | null;
  /** Degrees the straightened page was turned by to level its text. */
  skew: number;
}

const WORK_SIDE = 480;

function otsu(gray: Uint8Array): number {
  const hist = new Float64Array(256);
  for (const v of gray) hist[v]++;
  let total = 0;
  for (let i = 0; i < 256; i++) total += i * hist[i];
  let sumB = 0, wB = 0, best = 0, threshold = 128;
  for (let t = 0; t < 256; t++) {
    wB += hist[t];
    if (!wB) continue;
    const wF = gray.length - wB;
    if (!wF) break;
    sumB += t * hist[t];
    const mB = sumB / wB;
    const mF = (total - sumB) / wF;
    const between = wB * wF * (mB - mF) ** 2;
    if (between > best) {
      best = between;
      threshold = t;
    }
  }
  return threshold;
}

/**
 * The largest bright region of a small copy is taken for the page; its corners are the
 * extremes of x+y and x−y, which holds for a page turned by less than 45°.
 */
export function findPage(img: RgbImage): Quad | null {
  const scale = Math.min(1, WORK_SIDE / Math.max(img.width, img.height));
  const small = resize(img, img.width * scale, img.height * scale);
  const { width: w, height: h } = small;
  const gray = toGray(small);
  const t = otsu(gray);
  const label = new Int32Array(w * h);
  let bestLabel = 0, bestCount = 0, next = 0;
  const stack: number[] = [];
  for (let s = 0; s < gray.length; s++) {
    if (label[s] || gray[s] <= t) continue;
    label[s] = ++next;
    stack.push(s);
    let count = 0;
    while (stack.length) {
      const p = stack.pop()!;
      count++;
      const x = p % w;
      for (const q of [x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, p - w, p + w]) {
        if (q >= 0 && q < gray.length && !label[q] && gray[q] > t) {
          label[q] = next;
          stack.push(q);
        }
      }
    }
    if (count > bestCount) {
      bestCount = count;
      bestLabel = next;
    }
  }
  const share = bestCount / (w * h);
  // A region near the whole frame is a page filling it (nothing to cut); a small one is not a page.
  if (share < 0.2 || share > 0.93) return null;
  let tl: Point = [0, 0], tr: Point = [0, 0], br: Point = [0, 0], bl: Point = [0, 0];
  let minSum = Infinity, maxSum = -Infinity, minDiff = Infinity, maxDiff = -Infinity;
  let touchesEdge = 0;
  for (let p = 0; p < label.length; p++) {
    if (label[p] !== bestLabel) continue;
    const x = p % w;
    const y = (p - x) / w;
    if (x === 0 || y === 0 || x === w - 1 || y === h - 1) touchesEdge++;
    if (x + y < minSum) { minSum = x + y; tl = [x, y]; }
    if (x + y > maxSum) { maxSum = x + y; br = [x, y]; }
    if (x - y > maxDiff) { maxDiff = x - y; tr = [x, y]; }
    if (x - y < minDiff) { minDiff = x - y; bl = [x, y]; }
  }
  // A page cut off by the frame has no outline to trust.
  if (touchesEdge > (w + h) * 0.1) return null;
  const quad = [tl, tr, br, bl].map(([x, y]) => [(x + 0.5) / scale, (y + 0.5) / scale]) as Quad;
  // The corners must make a plausible page, not a sliver.
  const top = distance(quad[0], quad[1]);
  const left = distance(quad[0], quad[3]);
  if (Math.min(top, left) < Math.max(img.width, img.height) * 0.2) return null;
  return quad;
}

export function straightenPage(img: RgbImage, quad: Quad): RgbImage {
  const width = (distance(quad[0], quad[1]) + distance(quad[3], quad[2])) / 2;
  const height = (distance(quad[0], quad[3]) + distance(quad[1], quad[2])) / 2;
  return warpQuad(img, quad, width, height);
}

/**
 * The angle (degrees, −15…15) at which dark pixels' row histogram is peakiest: text rows
 * then fall into few rows each, separated by empty ones.
 */
export function estimateSkew(img: RgbImage): number {
  const scale = Math.min(1, WORK_SIDE / Math.max(img.width, img.height));
  const small = resize(img, img.width * scale, img.height * scale);
  const gray = toGray(small);
  const t = Math.min(otsu(gray), 160);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let p = 0; p < gray.length; p++) {
    if (gray[p] < t) {
      xs.push(p % small.width);
      ys.push(Math.floor(p / small.width));
    }
  }
  if (xs.length < 50) return 0;
  const bins = new Float64Array(small.width + small.height * 2 + 2);
  const score = (deg: number): number => {
    const r = (deg * Math.PI) / 180;
    const s = Math.sin(r), c = Math.cos(r);
    bins.fill(0);
    for (let i = 0; i < xs.length; i++) bins[Math.round(ys[i] * c - xs[i] * s + small.width)]++;
    let sq = 0;
    for (const b of bins) sq += b * b;
    return sq;
  };
  let best = 0, bestScore = -1;
  for (let d = -15; d <= 15; d += 1) {
    const s = score(d);
    if (s > bestScore) { bestScore = s; best = d; }
  }
  for (let d = best - 0.9; d <= best + 0.9; d += 0.1) {
    const s = score(d);
    if (s > bestScore) { bestScore = s; best = d; }
  }
  return Math.round(best * 10) / 10;
}

/**
 * Divides each pixel by the local paper brightness (the brightest values of 32-pixel
 * blocks, smoothed), so a shadowed corner and a glare patch come out the same white.
 */
export function evenLight(img: RgbImage): RgbImage {
  const block = 32;
  const bw = Math.ceil(img.width / block);
  const bh = Math.ceil(img.height / block);
  const gray = toGray(img);
  const peak = new Float32Array(bw * bh);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const b = Math.floor(y / block) * bw + Math.floor(x / block);
      if (gray[y * img.width + x] > peak[b]) peak[b] = gray[y * img.width + x];
    }
  }
  // A block wholly inside a dark print area has no paper in it: take the brighter neighbour.
  const paper = new Float32Array(bw * bh);
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      let m = 0;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
        const yy = by + dy, xx = bx + dx;
        if (yy >= 0 && yy < bh && xx >= 0 && xx < bw) m = Math.max(m, peak[yy * bw + xx]);
      }
      paper[by * bw + bx] = Math.max(m, 40);
    }
  }
  const out = rgbImage(img.width, img.height);
  for (let y = 0; y < img.height; y++) {
    const fy = Math.min(bh - 1, Math.max(0, y / block - 0.5));
    const y0 = Math.floor(fy), y1 = Math.min(bh - 1, y0 + 1), ty = fy - y0;
    for (let x = 0; x < img.width; x++) {
      const fx = Math.min(bw - 1, Math.max(0, x / block - 0.5));
      const x0 = Math.floor(fx), x1 = Math.min(bw - 1, x0 + 1), tx = fx - x0;
      const top = paper[y0 * bw + x0] * (1 - tx) + paper[y0 * bw + x1] * tx;
      const bottom = paper[y1 * bw + x0] * (1 - tx) + paper[y1 * bw + x1] * tx;
      const gain = 255 / (top * (1 - ty) + bottom * ty);
      const o = (y * img.width + x) * 3;
      for (let c = 0; c < 3; c++) out.data[o + c] = Math.min(255, img.data[o + c] * gain);
    }
  }
  return out;
}

export function prepare(img: RgbImage): Prepared {
  const page = findPage(img);
  let image = page ? straightenPage(img, page) : img;
  const skew = estimateSkew(image);
  if (Math.abs(skew) >= 0.3) image = rotate(image, skew);
  return { image: evenLight(image), page, skew };
}
