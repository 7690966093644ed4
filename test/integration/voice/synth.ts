/**
 * Test speech made on the spot: espeak-ng's Mandarin voice (cmn-latn-pinyin) resampled by
 * sox to 16 kHz mono 16-bit, silence and noise around it, noise mixed in by sox at a
 * chosen signal-to-noise ratio measured against the speech alone.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSpeechWav, encodeWav, SAMPLE_RATE } from '../../../models/voice/wav.ts';

const work = mkdtempSync(join(tmpdir(), 'xj-synth-'));
let n = 0;
const tmp = (name: string) => join(work, `${n++}-${name}`);

export interface Voice {
  /** Words per minute (espeak-ng -s). */
  speed?: number;
  /** 0–99 (espeak-ng -p). */
  pitch?: number;
  /** An espeak-ng voice variant (m1…m7, f1…f5, klatt…): another timbre of the same Mandarin. */
  variant?: string;
}

export function speak(text: string, voice: Voice = {}): Int16Array {
  const wav = execFileSync('espeak-ng', ['-v', voice.variant ? `cmn-latn-pinyin+${voice.variant}` : 'cmn-latn-pinyin', '-s', String(voice.speed ?? 150), '-p', String(voice.pitch ?? 50), '--stdout', text], { maxBuffer: 64 << 20 });
  const raw = tmp('espeak.wav');
  writeFileSync(raw, wav);
  const out = tmp('16k.wav');
  // -D: sox's dither is random, and a clip near a detection threshold would be heard on one run and missed on the next.
  execFileSync('sox', ['-D', '-G', '-t', 'wav', raw, '-r', String(SAMPLE_RATE), '-c', '1', '-b', '16', out]);
  return trim(decodeSpeechWav(readFileSync(out)));
}

/** espeak-ng pads its output with a little silence; the tests place their own. */
function trim(pcm: Int16Array): Int16Array {
  let a = 0;
  let b = pcm.length;
  while (a < b && Math.abs(pcm[a]) < 50) a++;
  while (b > a && Math.abs(pcm[b - 1]) < 50) b--;
  return pcm.slice(a, b);
}

export const silence = (ms: number) => new Int16Array(Math.round((ms * SAMPLE_RATE) / 1000));

export function concat(...parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function rms(pcm: Int16Array): number {
  let s = 0;
  for (const v of pcm) s += v * v;
  return Math.sqrt(s / Math.max(1, pcm.length));
}

export const msOf = (samples: number) => (samples / SAMPLE_RATE) * 1000;

export type NoiseKind = 'brownnoise' | 'pinknoise' | 'whitenoise';

/**
 * Noise (sox synth) over the whole signal, scaled so speech of speechRms stands snrDb above
 * it. Brown noise by default: a hall's rumble (ventilation, footsteps, distant voices) is
 * strongest at low frequencies.
 */
export function mixNoise(signal: Int16Array, snrDb: number, speechRms: number, kind: NoiseKind = 'brownnoise'): Int16Array {
  const clean = tmp('clean.wav');
  writeFileSync(clean, encodeWav(signal));
  const noise = tmp('noise.wav');
  execFileSync('sox', ['-R', '-n', '-r', String(SAMPLE_RATE), '-c', '1', '-b', '16', noise, 'synth', String(signal.length / SAMPLE_RATE), kind, 'vol', '0.3']);
  const noiseRms = rms(decodeSpeechWav(readFileSync(noise)));
  const k = speechRms / (noiseRms * 10 ** (snrDb / 20));
  const out = tmp('mix.wav');
  execFileSync('sox', ['-D', '-m', '-v', '1', clean, '-v', k.toFixed(6), noise, out]);
  return decodeSpeechWav(readFileSync(out));
}

/** Writes samples as a 16 kHz WAV file in the work folder. */
export function wavFile(pcm: Int16Array, name = 'clip.wav'): string {
  const file = tmp(name);
  writeFileSync(file, encodeWav(pcm));
  return file;
}
