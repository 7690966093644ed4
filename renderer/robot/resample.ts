/**
 * The microphone's resampler to 16 kHz: a windowed-sinc low-pass (Blackman window) applied
 * at each output sample's exact position in the input, one coefficient set per phase of
 * the rational rate ratio (48 kHz → 16 kHz has one phase, 44.1 kHz → 16 kHz 160).
 *
 * Why not average the input samples falling in each output period: that box filter lets
 * through two thirds of the amplitude at 8 kHz and a third at 11 kHz, which fold back
 * below 8 kHz as aliases over the fricatives (x, sh, j) the keyword spotter tells words by.
 * Measured through Chromium's fake microphone (test/e2e/voice.test.ts), the blackman
 * filter keeps the host's 16 kHz copy within a few dB of the WAV the browser was given.
 *
 * Pure arithmetic: it runs on the audio thread (mic-worklet.ts) and in unit tests.
 */

/** Where the pass band ends and the stop band begins, as fractions of the output's Nyquist frequency. */
const PASS_EDGE = 0.84;
const STOP_EDGE = 1.0;
/** Blackman's main lobe is about 5.5 / taps wide in cycles per sample, for -74 dB side lobes. */
const BLACKMAN_WIDTH = 5.5;
const MAX_PHASES = 4096;

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

export class Resampler {
  /** Input samples advanced per output sample, as num / den in lowest terms. */
  private readonly num: number;
  private readonly den: number;
  /** Taps either side of the output position. */
  private readonly half: number;
  /** coefficients[phase][tap], tap 0 is input index (position floor) - half + 1. */
  private readonly coefficients: Float32Array[];
  /** Input samples not yet consumed; history[0] is absolute input index `base`. */
  private history = new Float32Array(0);
  private base = 0;
  /** Next output's position: integer input index and phase (fraction = phase / den). */
  private index = 0;
  private phase = 0;

  constructor(
    readonly inRate: number,
    readonly outRate = 16_000,
  ) {
    if (!Number.isInteger(inRate) || !Number.isInteger(outRate) || inRate <= 0 || outRate <= 0) throw new RangeError(`sample rates must be positive integers, got ${inRate} → ${outRate}`);
    const g = gcd(inRate, outRate);
    this.num = inRate / g;
    this.den = outRate / g;
    if (this.den > MAX_PHASES) throw new RangeError(`cannot resample ${inRate} Hz to ${outRate} Hz: the rates share too small a factor`);
    // Cut-off and transition in cycles per input sample; upsampling only needs the input's own band limit.
    const nyquistOut = Math.min(outRate, inRate) / 2 / inRate;
    const cutoff = ((PASS_EDGE + STOP_EDGE) / 2) * nyquistOut;
    const transition = (STOP_EDGE - PASS_EDGE) * nyquistOut;
    this.half = Math.ceil(BLACKMAN_WIDTH / transition / 2);
    const span = this.half + 1;
    this.coefficients = [];
    for (let p = 0; p < this.den; p++) {
      const frac = p / this.den;
      const c = new Float32Array(2 * this.half);
      let sum = 0;
      for (let t = 0; t < c.length; t++) {
        // Distance from the output position to input sample (floor - half + 1 + t).
        const d = frac - (t - this.half + 1);
        const x = 2 * cutoff * d;
        const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
        const w = d / span;
        const blackman = Math.abs(w) >= 1 ? 0 : 0.42 + 0.5 * Math.cos(Math.PI * w) + 0.08 * Math.cos(2 * Math.PI * w);
        c[t] = sinc * blackman;
        sum += c[t];
      }
      // Unity gain at 0 Hz for every phase, so a steady level does not ripple with the phase.
      for (let t = 0; t < c.length; t++) c[t] /= sum;
      this.coefficients.push(c);
    }
  }

  /** Delay the filter adds, in output samples. */
  get latencySamples(): number {
    return Math.ceil((this.half * this.outRate) / this.inRate);
  }

  /** Takes input samples, returns the output samples they complete (possibly none). */
  push(input: Float32Array): Float32Array {
    const joined = new Float32Array(this.history.length + input.length);
    joined.set(this.history);
    joined.set(input, this.history.length);
    const end = this.base + joined.length;
    // Output k needs input up to index + half; at most this many complete now.
    const out: number[] = [];
    while (this.index + this.half < end) {
      const c = this.coefficients[this.phase];
      const first = this.index - this.half + 1 - this.base;
      let acc = 0;
      for (let t = 0; t < c.length; t++) {
        const at = first + t;
        // Before the first input sample the signal is taken as silence.
        if (at >= 0) acc += joined[at] * c[t];
      }
      out.push(acc);
      this.phase += this.num;
      this.index += Math.floor(this.phase / this.den);
      this.phase %= this.den;
    }
    const keepFrom = Math.max(0, this.index - this.half + 1 - this.base);
    this.history = joined.slice(Math.min(keepFrom, joined.length));
    this.base += Math.min(keepFrom, joined.length);
    return Float32Array.from(out);
  }
}

/** A float sample in [-1, 1] as signed 16-bit, clipped rather than wrapped. */
export function toInt16(sample: number): number {
  return Math.max(-32768, Math.min(32767, Math.round(sample * 32768)));
}
