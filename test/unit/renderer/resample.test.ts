import { describe, expect, it } from 'vitest';
import { Resampler, toInt16 } from '../../../renderer/robot/resample.ts';

const tone = (hz: number, rate: number, seconds: number) => Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / rate));

/** RMS of the steady middle of a signal (the filter's start-up cut off). */
function rms(x: Float32Array): number {
  const mid = x.subarray(Math.floor(x.length / 4), Math.floor((3 * x.length) / 4));
  return Math.sqrt(mid.reduce((s, v) => s + v * v, 0) / mid.length);
}

/** The resampler fed in the worklet's 128-sample blocks, its output joined. */
function run(r: Resampler, input: Float32Array): Float32Array {
  const parts: Float32Array[] = [];
  for (let i = 0; i < input.length; i += 128) parts.push(r.push(input.subarray(i, i + 128)));
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const db = (ratio: number) => 20 * Math.log10(ratio);

describe('microphone resampler to 16 kHz', () => {
  for (const rate of [48_000, 44_100]) {
    it(`from ${rate} Hz keeps speech frequencies at their level and makes one output sample per ${rate / 16_000} input samples`, () => {
      for (const hz of [200, 1000, 3000, 6000]) {
        const out = run(new Resampler(rate), tone(hz, rate, 1));
        expect(Math.abs(out.length - 16_000), `${hz} Hz`).toBeLessThanOrEqual(Math.ceil(new Resampler(rate).latencySamples) + 1);
        expect(Math.abs(db(rms(out) / (0.5 / Math.SQRT2))), `${hz} Hz`).toBeLessThan(0.5);
      }
    });

    it(`from ${rate} Hz stops what would fold back below 8 kHz (at least 60 dB down)`, () => {
      for (const hz of [9000, 11_000, 15_000, 20_000]) {
        const out = run(new Resampler(rate), tone(hz, rate, 1));
        expect(db(rms(out) / (0.5 / Math.SQRT2)), `${hz} Hz`).toBeLessThan(-60);
      }
    });
  }

  it('gives the same samples whatever the block sizes', () => {
    const input = tone(1234, 48_000, 0.2);
    const a = run(new Resampler(48_000), input);
    const r = new Resampler(48_000);
    const b = Float32Array.from([...r.push(input.subarray(0, 1)), ...r.push(input.subarray(1, 5000)), ...r.push(input.subarray(5000))]);
    expect(b).toEqual(a);
  });

  it('refuses rates it cannot resample, and clips rather than wraps int16', () => {
    expect(() => new Resampler(0)).toThrow(/positive integers/);
    expect(() => new Resampler(48_000.5)).toThrow(/positive integers/);
    expect([toInt16(2), toInt16(-2), toInt16(0.5)]).toEqual([32767, -32768, 16384]);
  });
});
