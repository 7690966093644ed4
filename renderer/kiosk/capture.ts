/**
 * When to take the picture: the document camera's frames are compared on a small grey
 * copy; the page is taken once it has lain still for a few checks in a row and is sharp
 * (strong edges between neighbouring pixels), so nobody has to find a shutter button.
 */
export const PROBE_WIDTH = 160;
export const PROBE_HEIGHT = 120;
/** Mean absolute change per pixel (0…255) under which two frames count as the same scene. */
const STILL_DIFF = 4;
/** Mean absolute Laplacian a readable page reaches; a blurred or empty frame stays below. */
const SHARP_ENOUGH = 6;
/** Checks in a row the page must lie still. */
const STILL_CHECKS = 3;

export function greyOf(rgba: Uint8ClampedArray): Uint8Array {
  const g = new Uint8Array(rgba.length / 4);
  for (let i = 0; i < g.length; i++) g[i] = (rgba[i * 4] * 77 + rgba[i * 4 + 1] * 150 + rgba[i * 4 + 2] * 29) >> 8;
  return g;
}

export function meanDiff(a: Uint8Array, b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
  return s / a.length;
}

export function sharpness(g: Uint8Array, width: number, height: number): number {
  let s = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      s += Math.abs(4 * g[i] - g[i - 1] - g[i + 1] - g[i - width] - g[i + width]);
    }
  }
  return s / ((width - 2) * (height - 2));
}

/** Feeds probe frames; says 'take' once the page has been still and sharp long enough. */
export class StillnessWatch {
  private previous: Uint8Array | null = null;
  private still = 0;

  check(grey: Uint8Array, width: number, height: number): { take: boolean; still: boolean; sharp: boolean } {
    const still = this.previous !== null && meanDiff(grey, this.previous) < STILL_DIFF;
    this.previous = grey;
    this.still = still ? this.still + 1 : 0;
    const sharp = sharpness(grey, width, height) >= SHARP_ENOUGH;
    return { take: this.still >= STILL_CHECKS && sharp, still, sharp };
  }

  reset(): void {
    this.previous = null;
    this.still = 0;
  }
}

/** A Blob's bytes as base64, cut into pieces of at most `chunk` characters. */
export async function base64Pieces(blob: Blob, chunk: number): Promise<string[]> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  const b64 = btoa(binary);
  const pieces: string[] = [];
  for (let i = 0; i < b64.length; i += chunk) pieces.push(b64.slice(i, i + chunk));
  return pieces.length ? pieces : [''];
}
