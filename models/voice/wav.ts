/**
 * RIFF/WAVE as the voice engines take it: 16 kHz mono linear PCM. Pure functions over
 * bytes. Other rates are refused with the sox line that converts them rather than
 * resampled here, so what the engines hear is what was tested.
 */
export const SAMPLE_RATE = 16_000;

export class WavError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WavError';
  }
}

export interface WavInfo {
  format: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  /** Offset and length of the sample bytes. */
  dataOffset: number;
  dataLength: number;
}

const PCM = 1;
const EXTENSIBLE = 0xfffe;

/** Reads the chunks of a RIFF/WAVE header; throws WavError naming what is wrong. */
export function readWavHeader(buf: Uint8Array): WavInfo {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length < 12 || b.toString('ascii', 0, 4) !== 'RIFF' || b.toString('ascii', 8, 12) !== 'WAVE') throw new WavError('not a WAV file (no RIFF/WAVE header)');
  let offset = 12;
  let fmt: Omit<WavInfo, 'dataOffset' | 'dataLength'> | null = null;
  while (offset + 8 <= b.length) {
    const id = b.toString('ascii', offset, offset + 4);
    const size = b.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > b.length) throw new WavError('WAV fmt chunk is too short');
      let format = b.readUInt16LE(body);
      // WAVE_FORMAT_EXTENSIBLE keeps the real format in the first two bytes of its sub-format GUID.
      if (format === EXTENSIBLE && size >= 40 && body + 26 <= b.length) format = b.readUInt16LE(body + 24);
      fmt = { format, channels: b.readUInt16LE(body + 2), sampleRate: b.readUInt32LE(body + 4), bitsPerSample: b.readUInt16LE(body + 14) };
    } else if (id === 'data') {
      if (!fmt) throw new WavError('WAV data chunk comes before its fmt chunk');
      // A writer on a pipe cannot seek back to fill in the size (espeak-ng leaves 0 or ~0): take what is there.
      const dataLength = size === 0 || size === 0xffffffff || body + size > b.length ? b.length - body : size;
      return { ...fmt, dataOffset: body, dataLength };
    }
    offset = body + size + (size % 2);
  }
  throw new WavError(fmt ? 'WAV file has no data chunk' : 'WAV file has no fmt chunk');
}

/** Whether the engines can take this WAV as it is; the reason when not. */
export function checkSpeechWav(info: WavInfo): string | null {
  if (info.format !== PCM) return `WAV is not linear PCM (format code ${info.format}); convert it: sox IN.wav -r 16000 -c 1 -b 16 -e signed-integer OUT.wav`;
  if (info.bitsPerSample !== 16) return `WAV has ${info.bitsPerSample}-bit samples, 16-bit are needed; convert it: sox IN.wav -r 16000 -c 1 -b 16 OUT.wav`;
  if (info.sampleRate !== SAMPLE_RATE) return `WAV is sampled at ${info.sampleRate} Hz, 16000 Hz is needed; resample it: sox IN.wav -r 16000 -c 1 -b 16 OUT.wav`;
  if (info.channels < 1) return 'WAV declares no channels';
  return null;
}

/** 16 kHz 16-bit PCM samples, channels averaged to mono; throws WavError for anything else. */
export function decodeSpeechWav(buf: Uint8Array): Int16Array {
  const info = readWavHeader(buf);
  const why = checkSpeechWav(info);
  if (why) throw new WavError(why);
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const frames = Math.floor(info.dataLength / (2 * info.channels));
  const out = new Int16Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < info.channels; c++) sum += b.readInt16LE(info.dataOffset + 2 * (i * info.channels + c));
    out[i] = Math.round(sum / info.channels);
  }
  return out;
}

/** A 16-bit mono PCM WAV of the samples. */
export function encodeWav(samples: Int16Array, sampleRate = SAMPLE_RATE): Buffer {
  const b = Buffer.alloc(44 + samples.length * 2);
  b.write('RIFF', 0, 'ascii');
  b.writeUInt32LE(36 + samples.length * 2, 4);
  b.write('WAVEfmt ', 8, 'ascii');
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(PCM, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(sampleRate, 24);
  b.writeUInt32LE(sampleRate * 2, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36, 'ascii');
  b.writeUInt32LE(samples.length * 2, 40);
  for (let i = 0; i < samples.length; i++) b.writeInt16LE(samples[i], 44 + 2 * i);
  return b;
}

export function int16ToFloat32(pcm: Int16Array): Float32Array {
  const out = new Float32Array(pcm.length);
  for (let i = 0; i < pcm.length; i++) out[i] = pcm[i] / 32768;
  return out;
}

export function float32ToInt16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(samples[i] * 32768)));
  return out;
}
