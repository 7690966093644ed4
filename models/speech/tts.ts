/**
 * Offline speech synthesis, shared by the call announcements (central platform) and the
 * kiosk's read-aloud in elderly mode. espeak-ng (Debian's package) turns a sentence into
 * a WAV file; halls with a better engine plug in their own TtsEngine. When no engine is
 * installed everything still runs, and says why nothing was spoken.
 */
import { spawn, spawnSync } from 'node:child_process';

export interface TtsEngine {
  readonly name: string;
  /** WAV bytes for a Mandarin sentence. */
  synthesize(text: string): Promise<Buffer>;
}

const DIGITS = '零一二三四五六七八九';

/**
 * How a call is read aloud: digits one by one (A零零一, not A一), the way halls announce
 * numbers so that 101 and 110 are never confused.
 */
export function speechOf(text: string): string {
  return text.replace(/\d/g, (d) => DIGITS[Number(d)]);
}

const probed = new Map<string, boolean>();

/** Whether the binary runs; asked once per process, since every terminal and voice asks. */
export function espeakAvailable(binary = 'espeak-ng'): boolean {
  let ok = probed.get(binary);
  if (ok === undefined) {
    ok = spawnSync(binary, ['--version'], { stdio: 'ignore', timeout: 5000 }).status === 0;
    probed.set(binary, ok);
  }
  return ok;
}

export class EspeakEngine implements TtsEngine {
  readonly name = 'espeak-ng';
  constructor(
    private readonly binary = 'espeak-ng',
    private readonly voice = 'cmn',
    private readonly wordsPerMinute = 150,
  ) {}

  synthesize(text: string): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      // --stdout writes the WAV to stdout, so no temporary file can be left behind.
      const child = spawn(this.binary, ['-v', this.voice, '-s', String(this.wordsPerMinute), '--stdout', text], { stdio: ['ignore', 'pipe', 'pipe'] });
      const chunks: Buffer[] = [];
      let err = '';
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.stdout.on('data', (c: Buffer) => chunks.push(c));
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        const wav = Buffer.concat(chunks);
        if (code === 0 && wav.length > 44) resolve(sealWav(wav));
        else reject(new Error(`espeak-ng exited with ${code}${err ? `: ${err.trim().slice(0, 200)}` : ''}`));
      });
    });
  }
}

/** The first TTS engine this machine has, or null with the reason. */
export function detectTts(lang: 'zh' | 'en' = 'zh'): { engine: TtsEngine | null; reason?: string } {
  if (espeakAvailable()) return { engine: new EspeakEngine('espeak-ng', lang === 'zh' ? 'cmn' : 'en') };
  return { engine: null, reason: 'no speech engine: espeak-ng is not installed' };
}

/**
 * espeak-ng writing to a pipe cannot seek back to fill in the RIFF and data sizes, so it
 * leaves placeholders; browsers and players want the real ones.
 */
export function sealWav(wav: Buffer): Buffer {
  if (wav.length < 44 || wav.toString('ascii', 0, 4) !== 'RIFF') return wav;
  let offset = 12;
  while (offset + 8 <= wav.length) {
    const id = wav.toString('ascii', offset, offset + 4);
    const size = wav.readUInt32LE(offset + 4);
    if (id === 'data') {
      wav.writeUInt32LE(wav.length - offset - 8, offset + 4);
      wav.writeUInt32LE(wav.length - 8, 4);
      return wav;
    }
    offset += 8 + size + (size % 2);
  }
  return wav;
}

/** Duration of a PCM WAV in milliseconds, from its header (fmt byte rate, data size). */
export function wavDurationMs(wav: Buffer): number {
  if (wav.length < 44 || wav.toString('ascii', 0, 4) !== 'RIFF' || wav.toString('ascii', 8, 12) !== 'WAVE') return 0;
  let offset = 12;
  let byteRate = 0;
  while (offset + 8 <= wav.length) {
    const id = wav.toString('ascii', offset, offset + 4);
    let size = wav.readUInt32LE(offset + 4);
    if (id === 'fmt ') byteRate = wav.readUInt32LE(offset + 16);
    if (id === 'data') {
      // espeak-ng writing to a pipe cannot seek back to fill in sizes: take what is there.
      if (size === 0 || size === 0xffffffff || offset + 8 + size > wav.length) size = wav.length - offset - 8;
      return byteRate ? Math.round((size / byteRate) * 1000) : 0;
    }
    offset += 8 + size + (size % 2);
  }
  return 0;
}
