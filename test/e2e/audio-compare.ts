/**
 * Comparing what a microphone path delivered with the WAV it was given: where the copy
 * starts (cross-correlation), whether it stays in step (no frames lost or doubled), and
 * the level per frequency band.
 */
const RATE = 16_000;
const FFT = 512;

function firstLoud(x: Int16Array): number {
  let peak = 0;
  for (const v of x) peak = Math.max(peak, Math.abs(v));
  return x.findIndex((v) => Math.abs(v) > peak / 4);
}

/** The lag (in samples of `copy`) that best lines `copy` up with `original` near `around`. */
function bestLag(original: Int16Array, copy: Int16Array, from: number, length: number, around: number, reach: number): { lag: number; energy: number } {
  let best = -Infinity;
  let lag = around;
  let energy = 0;
  for (let i = from; i < from + length && i < original.length; i++) energy += original[i] * original[i];
  for (let l = around - reach; l <= around + reach; l++) {
    let s = 0;
    for (let i = from; i < from + length && i < original.length; i++) {
      const j = i + l;
      if (j >= 0 && j < copy.length) s += original[i] * copy[j];
    }
    if (s > best) {
      best = s;
      lag = l;
    }
  }
  return { lag, energy };
}

/**
 * Where `original` begins in `copy`, and how far speech windows of a quarter second stray
 * from that (in samples) over the original's length.
 */
export function alignment(original: Int16Array, copy: Int16Array): { lag: number; drift: number } {
  const coarse = firstLoud(copy) - firstLoud(original);
  const start = firstLoud(original);
  const { lag } = bestLag(original, copy, start, RATE, coarse, 400);
  let drift = 0;
  const windows: { lag: number; energy: number }[] = [];
  for (let at = start; at + RATE / 4 < original.length; at += RATE / 4) windows.push(bestLag(original, copy, at, RATE / 4, lag, 64));
  // Only windows with speech in them say anything about the alignment.
  const loudest = Math.max(...windows.map((w) => w.energy));
  for (const w of windows) if (w.energy > loudest / 100) drift = Math.max(drift, Math.abs(w.lag - lag));
  return { lag, drift };
}

const EDGES = [0, 500, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000];

/** Mean power per band over the original's length (from `offset` in x), in dB. */
export function bandLevels(x: Int16Array, offset: number, length = x.length - offset): { band: [number, number]; db: number }[] {
  const cos = Float64Array.from({ length: FFT }, (_, i) => Math.cos((2 * Math.PI * i) / FFT));
  const sin = Float64Array.from({ length: FFT }, (_, i) => Math.sin((2 * Math.PI * i) / FFT));
  const hann = Float64Array.from({ length: FFT }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (FFT - 1)));
  const power = new Float64Array(EDGES.length - 1);
  const frame = new Float64Array(FFT);
  for (let s = offset; s + FFT <= offset + length && s + FFT <= x.length; s += FFT / 2) {
    for (let i = 0; i < FFT; i++) frame[i] = (x[s + i] ?? 0) * hann[i];
    for (let k = 1; k < FFT / 2; k++) {
      let re = 0;
      let im = 0;
      for (let i = 0; i < FFT; i++) {
        const t = (k * i) % FFT;
        re += frame[i] * cos[t];
        im -= frame[i] * sin[t];
      }
      const band = EDGES.findIndex((lo, b) => (k * RATE) / FFT >= lo && (k * RATE) / FFT < EDGES[b + 1]);
      power[band] += re * re + im * im;
    }
  }
  return [...power].map((p, b) => ({ band: [EDGES[b], EDGES[b + 1]], db: 10 * Math.log10(p + 1e-9) }));
}
