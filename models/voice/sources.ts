/**
 * Where the robot's audio comes from, behind one interface: 16 kHz mono 16-bit frames of
 * a fixed size, read with `for await`, stopped with close(). A WAV file (tests,
 * benchmarks, `xiaojin robot listen --wav`) and ALSA capture through `arecord` (a robot
 * without a browser microphone). The samples stay in memory; nothing here writes audio.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { decodeSpeechWav, SAMPLE_RATE } from './wav.ts';
import { VAD_FRAME } from './vad.ts';

export interface AudioSource extends AsyncIterable<Int16Array> {
  /** Samples in every frame (the last one of a file is padded with silence). */
  readonly frameSamples: number;
  /** What the audio is, for messages (never its content). */
  readonly describe: string;
  close(): Promise<void>;
}

export type AudioSourceErrorCode = 'not-installed' | 'exited' | 'unreadable';

export class AudioSourceError extends Error {
  constructor(
    readonly code: AudioSourceErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AudioSourceError';
  }
}

function checkFrame(frameSamples: number): number {
  if (!Number.isInteger(frameSamples) || frameSamples <= 0) throw new RangeError(`frameSamples must be a positive integer, got ${frameSamples}`);
  return frameSamples;
}

/** A 16 kHz WAV file as frames; a file of any other format is refused with the sox line that converts it. */
export function wavFileSource(path: string, opts: { frameSamples?: number } = {}): AudioSource {
  const frameSamples = checkFrame(opts.frameSamples ?? VAD_FRAME);
  let closed = false;
  return {
    frameSamples,
    describe: `WAV file ${path}`,
    async close() {
      closed = true;
    },
    async *[Symbol.asyncIterator]() {
      let pcm: Int16Array;
      try {
        pcm = decodeSpeechWav(await readFile(path));
      } catch (err) {
        throw new AudioSourceError('unreadable', `${path}: ${(err as Error).message}`);
      }
      for (let i = 0; i < pcm.length && !closed; i += frameSamples) {
        const frame = new Int16Array(frameSamples);
        frame.set(pcm.subarray(i, i + frameSamples));
        yield frame;
      }
    },
  };
}

export interface ArecordOptions {
  /** ALSA device (arecord -D), e.g. plughw:1,0; default: ALSA's default. */
  device?: string;
  frameSamples?: number;
  /** The program to run (default arecord on PATH). */
  binary?: string;
}

/**
 * Live capture: `arecord -f S16_LE -r 16000 -c 1 -t raw` read from its stdout. A missing
 * arecord is AudioSourceError 'not-installed'; arecord stopping before close() (a device
 * another program holds, a microphone unplugged) is 'exited' with what arecord said.
 */
export function arecordSource(opts: ArecordOptions = {}): AudioSource {
  const frameSamples = checkFrame(opts.frameSamples ?? VAD_FRAME);
  const binary = opts.binary ?? 'arecord';
  const args = ['-q', '-f', 'S16_LE', '-r', String(SAMPLE_RATE), '-c', '1', '-t', 'raw', ...(opts.device ? ['-D', opts.device] : [])];
  const describe = `ALSA capture (${binary}${opts.device ? ` -D ${opts.device}` : ''})`;
  let closed = false;
  let kill: (() => void) | null = null;
  return {
    frameSamples,
    describe,
    async close() {
      closed = true;
      kill?.();
    },
    async *[Symbol.asyncIterator]() {
      if (closed) return;
      const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      kill = () => child.kill('SIGTERM');
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2000)));
      const ended = new Promise<{ code: number | null; error?: NodeJS.ErrnoException }>((resolve) => {
        child.once('error', (error: NodeJS.ErrnoException) => resolve({ code: null, error }));
        child.once('close', (code) => resolve({ code }));
      });
      const bytes = frameSamples * 2;
      let pending: Buffer = Buffer.alloc(0);
      try {
        for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
          pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
          while (pending.length >= bytes && !closed) {
            // A copy: the frame outlives the pipe's buffer and must start on an even offset.
            const frame = new Int16Array(frameSamples);
            Buffer.from(frame.buffer).set(pending.subarray(0, bytes));
            pending = pending.subarray(bytes);
            yield frame;
          }
          if (closed) break;
        }
      } finally {
        if (child.exitCode === null && !child.killed) child.kill('SIGTERM');
      }
      if (closed) return;
      const end = await ended;
      if (end.error?.code === 'ENOENT') throw new AudioSourceError('not-installed', `${binary} is not installed; host capture needs ALSA's arecord (apt-get install alsa-utils)`);
      if (end.error) throw new AudioSourceError('exited', `${binary} could not start: ${end.error.message}`);
      const said = stderr.trim().split('\n').slice(-3).join(' ') || 'no message';
      throw new AudioSourceError('exited', `${binary} stopped before it was closed (exit ${end.code}): ${said}`);
    },
  };
}
