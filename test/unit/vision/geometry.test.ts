import { describe, expect, it } from 'vitest';
import { homography, minAreaRect, rectCorners, rotate, warpQuad, type Point, type Quad } from '../../../models/vision/geometry.ts';
import { boxesFromMap } from '../../../models/vision/detect.ts';
import { ctcDecode, loadCharacters } from '../../../models/vision/recognise.ts';
import { estimateSkew, findPage } from '../../../models/vision/preprocess.ts';
import { decodePng, decodePpm, rgbImage, type RgbImage } from '../../../models/vision/image.ts';
import { encode } from 'fast-png';

function apply(m: number[], [x, y]: Point): Point {
  const d = m[6] * x + m[7] * y + m[8];
  return [(m[0] * x + m[1] * y + m[2]) / d, (m[3] * x + m[4] * y + m[5]) / d];
}

function fill(img: RgbImage, inside: (x: number, y: number) => boolean, value: number): void {
  for (let y = 0; y < img.height; y++) for (let x = 0; x < img.width; x++) if (inside(x, y)) img.data.fill(value, (y * img.width + x) * 3, (y * img.width + x) * 3 + 3);
}

describe('geometry', () => {
  it('maps each corner of one quadrilateral onto the other', () => {
    const from: Quad = [[10, 20], [200, 5], [220, 150], [0, 170]];
    const to: Quad = [[0, 0], [100, 0], [100, 60], [0, 60]];
    const m = homography(from, to);
    from.forEach((p, i) => {
      const [x, y] = apply(m, p);
      expect(x).toBeCloseTo(to[i][0], 6);
      expect(y).toBeCloseTo(to[i][1], 6);
    });
  });

  it('refuses a quadrilateral folded onto a line', () => {
    expect(() => homography([[0, 0], [1, 0], [2, 0], [3, 0]], [[0, 0], [1, 0], [1, 1], [0, 1]])).toThrow(/degenerate/);
  });

  it('finds the rectangle a turned rectangle\'s points came from', () => {
    const truth = { cx: 50, cy: 40, width: 60, height: 12, angle: (10 * Math.PI) / 180 };
    const points: Point[] = [];
    for (let u = -30; u <= 30; u += 2) for (let v = -6; v <= 6; v += 2) points.push([50 + u * Math.cos(truth.angle) - v * Math.sin(truth.angle), 40 + u * Math.sin(truth.angle) + v * Math.cos(truth.angle)]);
    const r = minAreaRect(points);
    expect(r.width).toBeCloseTo(60, 3);
    expect(r.height).toBeCloseTo(12, 3);
    expect((r.angle * 180) / Math.PI).toBeCloseTo(10, 3);
    expect(rectCorners(r)[0][0]).toBeLessThan(rectCorners(r)[1][0]);
  });

  it('straightens a quadrilateral so a mark inside it lands where it should', () => {
    const img = rgbImage(100, 100);
    img.data.fill(255);
    fill(img, (x, y) => x >= 48 && x <= 52 && y >= 48 && y <= 52, 0);
    const out = warpQuad(img, [[25, 25], [75, 25], [75, 75], [25, 75]], 51, 51);
    expect(out.data[(25 * 51 + 25) * 3]).toBe(0);
    expect(out.data[(2 * 51 + 2) * 3]).toBe(255);
  });
});

describe('DB post-processing', () => {
  it('turns each confident region of the map into one grown box and drops a faint one', () => {
    const w = 64, h = 32;
    const prob = new Float32Array(w * h);
    const region = (x0: number, y0: number, x1: number, y1: number, p: number) => {
      for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) prob[y * w + x] = p;
    };
    region(4, 4, 40, 8, 0.9);
    region(10, 20, 30, 25, 0.95);
    region(50, 20, 60, 26, 0.4);
    const boxes = boxesFromMap(prob, w, h);
    expect(boxes).toHaveLength(2);
    const first = boxes.find((b) => b.quad[0][1] < 10)!;
    // Grown beyond the core on every side.
    expect(first.quad[0][0]).toBeLessThan(4);
    expect(first.quad[2][0]).toBeGreaterThan(41);
    expect(first.quad[2][1]).toBeGreaterThan(9);
  });
});

describe('CTC decoding', () => {
  it('collapses repeats, drops blanks and keeps a doubled character split by a blank', () => {
    const characters = loadCharacters('甲\n乙\n1\n');
    expect(characters).toEqual(['', '甲', '乙', '1', ' ']);
    const steps = [1, 1, 0, 1, 2, 2, 0, 4, 3];
    const probs = new Float32Array(steps.length * 5);
    steps.forEach((k, t) => { probs[t * 5 + k] = 0.9; });
    const out = ctcDecode(probs, steps.length, 5, 0, characters);
    expect(out.text).toBe('甲甲乙 1');
    expect(out.score).toBeCloseTo(0.9, 5);
  });
});

describe('page preparation', () => {
  it('finds a light page on a dark desk by its corners', () => {
    const img = rgbImage(400, 300);
    img.data.fill(60);
    const quad: Quad = [[80, 40], [330, 60], [320, 260], [60, 240]];
    const m = homography(quad, [[0, 0], [1, 0], [1, 1], [0, 1]]);
    fill(img, (x, y) => {
      const [u, v] = apply(m, [x, y]);
      return u >= 0 && u <= 1 && v >= 0 && v <= 1;
    }, 240);
    const found = findPage(img)!;
    expect(found).not.toBeNull();
    found.forEach((p, i) => {
      expect(Math.abs(p[0] - quad[i][0])).toBeLessThan(6);
      expect(Math.abs(p[1] - quad[i][1])).toBeLessThan(6);
    });
  });

  it('says there is no page when the paper fills the frame', () => {
    const img = rgbImage(200, 200);
    img.data.fill(250);
    expect(findPage(img)).toBeNull();
  });

  it('measures the slant of rows of print', () => {
    const img = rgbImage(400, 300);
    img.data.fill(255);
    for (let row = 0; row < 8; row++) fill(img, (x, y) => x > 40 && x < 360 && Math.abs(y - (40 + row * 30)) < 3, 0);
    expect(estimateSkew(img)).toBe(0);
    const turned = rotate(img, -7);
    expect(Math.abs(estimateSkew(turned) - 7)).toBeLessThanOrEqual(0.3);
  });
});

describe('decoding pictures', () => {
  it('reads a grey PNG with transparency onto white', () => {
    const png = encode({ width: 2, height: 1, channels: 2, depth: 8, data: new Uint8Array([0, 255, 0, 0]) });
    const img = decodePng(png);
    expect([...img.data]).toEqual([0, 0, 0, 255, 255, 255]);
  });

  it('refuses a truncated PPM with a reason', () => {
    expect(() => decodePpm(new TextEncoder().encode('P6\n4 4\n255\n\x00\x00'))).toThrow(/truncated/);
  });
});
