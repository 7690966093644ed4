import { beforeAll, describe, expect, it } from 'vitest';
import { EndOfSpeech, SileroVad, VAD_FRAME, VoiceActivity, type EndOfSpeechOptions, type VadEvent } from '../../../models/voice/vad.ts';
import { int16ToFloat32 } from '../../../models/voice/wav.ts';
import { concat, mixNoise, msOf, rms, silence, speak } from './synth.ts';

let vad: SileroVad;
beforeAll(async () => {
  vad = await SileroVad.load();
});

async function events(pcm: Int16Array, options: Partial<EndOfSpeechOptions> = {}): Promise<VadEvent[]> {
  vad.reset();
  const va = new VoiceActivity(vad, options);
  const samples = int16ToFloat32(pcm);
  const out: VadEvent[] = [];
  for (let i = 0; i + VAD_FRAME <= samples.length; i += VAD_FRAME) {
    const { event } = await va.push(samples.subarray(i, i + VAD_FRAME));
    if (event) out.push(event);
  }
  const last = va.flush();
  if (last) out.push(last);
  return out;
}

const LEAD = 1200;
/** Within a quarter second of the real boundary: five Silero frames either side. */
const NEAR = 250;

describe('Silero VAD v5 with end-of-speech detection', () => {
  const sentence = speak('请问社保卡补办在几号窗口');
  const speechMs = msOf(sentence.length);
  const clip = concat(silence(LEAD), sentence, silence(1500));

  for (const [snr, noise] of [[null, null], [20, 'brownnoise'], [10, 'brownnoise'], [20, 'pinknoise'], [10, 'pinknoise']] as const) {
    it(`finds the start and end of a spoken question ${snr === null ? 'in silence' : `in ${noise} at ${snr} dB SNR`}`, async () => {
      const pcm = snr === null || noise === null ? clip : mixNoise(clip, snr, rms(sentence), noise);
      const found = await events(pcm, { hangMs: 700 });
      expect(found.map((e) => e.type)).toEqual(['speech-start', 'speech-end']);
      const [start, end] = found as [Extract<VadEvent, { type: 'speech-start' }>, Extract<VadEvent, { type: 'speech-end' }>];
      expect(Math.abs(start.startMs - LEAD)).toBeLessThan(NEAR);
      expect(Math.abs(end.endMs - (LEAD + speechMs))).toBeLessThan(NEAR);
      // The end is decided a hang time after the speech stopped, not at the end of the file.
      expect(end.atMs - end.endMs).toBeGreaterThanOrEqual(700);
      expect(end.atMs).toBeLessThan(msOf(pcm.length));
    });
  }

  it('hears no speech in silence or in pure noise', async () => {
    expect(await events(silence(4000))).toEqual([]);
    for (const snr of [20, 10]) {
      for (const noise of ['brownnoise', 'pinknoise', 'whitenoise'] as const) expect(await events(mixNoise(silence(5000), snr, rms(sentence), noise))).toEqual([]);
    }
  });

  it('takes a pause shorter than the hang time as part of the speech, a longer one as its end', async () => {
    const two = concat(silence(800), speak('你好'), silence(600), speak('我想办护照'), silence(1500));
    expect((await events(two, { hangMs: 1000 })).map((e) => e.type)).toEqual(['speech-start', 'speech-end']);
    expect((await events(two, { hangMs: 300 })).map((e) => e.type)).toEqual(['speech-start', 'speech-end', 'speech-start', 'speech-end']);
  });

  it('refuses a frame of the wrong size and thresholds the wrong way round', async () => {
    await expect(vad.probability(new Float32Array(480))).rejects.toThrow('Silero VAD takes frames of 512 samples, got 480');
    expect(() => new EndOfSpeech({ startThreshold: 0.3, endThreshold: 0.6 })).toThrow('endThreshold must not exceed startThreshold');
  });

  it('a burst shorter than the minimum speech time is not speech', () => {
    const d = new EndOfSpeech({ minSpeechMs: 200, hangMs: 300 });
    const got = [0.9, 0.9, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1].map((p, i) => d.push(p, i * 32)).filter(Boolean);
    expect(got).toEqual([]);
  });
});
