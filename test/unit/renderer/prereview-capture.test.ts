import { describe, expect, it } from 'vitest';
import { base64Pieces, greyOf, sharpness, StillnessWatch } from '../../../renderer/kiosk/capture.ts';

const W = 40;
const H = 30;

/** Black text-like bars on white, shifted right by `dx` pixels. */
function page(dx = 0): Uint8Array {
  const g = new Uint8Array(W * H).fill(235);
  for (let y = 4; y < H - 4; y += 5) for (let x = 4 + dx; x < W - 4 && x < 30 + dx; x++) g[y * W + x] = 20;
  return g;
}

describe('taking the page by itself', () => {
  it('takes a sharp page once it has lain still for three checks, not before', () => {
    const watch = new StillnessWatch();
    const takes = [page(), page(), page(), page()].map((f) => watch.check(f, W, H).take);
    expect(takes).toEqual([false, false, false, true]);
  });

  it('starts counting again when the page moves', () => {
    const watch = new StillnessWatch();
    for (const f of [page(), page(), page()]) watch.check(f, W, H);
    expect(watch.check(page(6), W, H).take).toBe(false);
    expect(watch.check(page(6), W, H).still).toBe(true);
  });

  it('never takes an empty or blurred frame however still', () => {
    const watch = new StillnessWatch();
    const flat = new Uint8Array(W * H).fill(128);
    expect(sharpness(flat, W, H)).toBe(0);
    expect([1, 2, 3, 4, 5].map(() => watch.check(flat, W, H).take)).not.toContain(true);
  });

  it('turns RGBA into grey and cuts a picture into base64 pieces that join back', async () => {
    expect([...greyOf(new Uint8ClampedArray([255, 255, 255, 255, 0, 0, 0, 255]))]).toEqual([255, 0]);
    const bytes = new Uint8Array(1000).map((_, i) => (i * 7) % 256);
    const pieces = await base64Pieces(new Blob([bytes]), 100);
    expect(pieces.every((p) => p.length <= 100)).toBe(true);
    expect(new Uint8Array(Buffer.from(pieces.join(''), 'base64'))).toEqual(bytes);
  });
});
