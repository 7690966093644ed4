/**
 * Voice activity: Silero VAD v5 on onnxruntime-node gives a speech probability for each
 * 512-sample frame (32 ms at 16 kHz), carrying its recurrent state from frame to frame;
 * EndOfSpeech turns those probabilities into "speech started" and "speech ended" with a
 * start threshold, a lower continue threshold (hysteresis, so a dip between syllables is
 * not an end) and a hang time of quiet before the end is decided.
 */
import ort from 'onnxruntime-node';
import { join } from 'node:path';
import { locateModel, type Manifest } from './models.ts';
import { SAMPLE_RATE } from './wav.ts';

export const VAD_FRAME = 512;
/** Silero v5 reads each frame with the last 64 samples of the one before it. */
const CONTEXT = 64;
export const VAD_FRAME_MS = (VAD_FRAME / SAMPLE_RATE) * 1000;

export interface SpeechProbability {
  /** Speech probability of one 512-sample frame of 16 kHz float samples in [-1, 1]. */
  probability(frame: Float32Array): Promise<number>;
  /** Forgets the state, for an unrelated stream. */
  reset(): void;
}

export class SileroVad implements SpeechProbability {
  private state = new Float32Array(2 * 128);
  private context = new Float32Array(CONTEXT);
  private readonly sr = new ort.Tensor('int64', BigInt64Array.from([BigInt(SAMPLE_RATE)]), []);

  private constructor(private readonly session: ort.InferenceSession) {}

  /** Loads the verified model (installed copy, else the npm package's). */
  static async load(opts: { modelFile?: string; dir?: string; manifest?: Manifest } = {}): Promise<SileroVad> {
    const file = opts.modelFile ?? join((await locateModel('silero-vad-v5', opts)).dir, 'silero_vad_v5.onnx');
    // One thread: the robot's two cores also run the keyword spotter and the screen.
    const session = await ort.InferenceSession.create(file, { intraOpNumThreads: 1, interOpNumThreads: 1 });
    return new SileroVad(session);
  }

  async probability(frame: Float32Array): Promise<number> {
    if (frame.length !== VAD_FRAME) throw new RangeError(`Silero VAD takes frames of ${VAD_FRAME} samples, got ${frame.length}`);
    const input = new Float32Array(CONTEXT + VAD_FRAME);
    input.set(this.context);
    input.set(frame, CONTEXT);
    const out = await this.session.run({
      input: new ort.Tensor('float32', input, [1, input.length]),
      state: new ort.Tensor('float32', this.state, [2, 1, 128]),
      sr: this.sr,
    });
    this.state = new Float32Array(out.stateN.data as Float32Array);
    this.context = input.slice(input.length - CONTEXT);
    return (out.output.data as Float32Array)[0];
  }

  reset(): void {
    this.state = new Float32Array(2 * 128);
    this.context = new Float32Array(CONTEXT);
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}

export interface EndOfSpeechOptions {
  /** Probability at which speech may start. */
  startThreshold: number;
  /** Probability below which a frame counts as quiet once speech has started. */
  endThreshold: number;
  /** Quiet needed before the end is decided. */
  hangMs: number;
  /** Speech shorter than this (a cough, a door) is not speech. */
  minSpeechMs: number;
}

export const DEFAULT_END_OF_SPEECH: EndOfSpeechOptions = { startThreshold: 0.5, endThreshold: 0.35, hangMs: 700, minSpeechMs: 200 };

export type VadEvent =
  /** Speech began at startMs (decided minSpeechMs later, at atMs). */
  | { type: 'speech-start'; startMs: number; atMs: number }
  /** Speech ended at endMs (the first quiet frame), decided after the hang time, at atMs. */
  | { type: 'speech-end'; startMs: number; endMs: number; atMs: number };

/** Pure state machine over (probability, frame time); times are of the frame's start. */
export class EndOfSpeech {
  private readonly o: EndOfSpeechOptions;
  private candidateMs: number | null = null;
  private speaking = false;
  private quietSinceMs: number | null = null;

  constructor(options: Partial<EndOfSpeechOptions> = {}) {
    this.o = { ...DEFAULT_END_OF_SPEECH, ...options };
    if (!(this.o.endThreshold <= this.o.startThreshold)) throw new RangeError('endThreshold must not exceed startThreshold');
  }

  get inSpeech(): boolean {
    return this.speaking;
  }

  /** `hangMs` overrides the configured hang for this frame (the pipeline shortens it once a command word is heard). */
  push(prob: number, frameMs: number, frameLenMs = VAD_FRAME_MS, hangMs = this.o.hangMs): VadEvent | null {
    const frameEnd = frameMs + frameLenMs;
    if (this.candidateMs === null) {
      if (prob >= this.o.startThreshold) {
        this.candidateMs = frameMs;
        this.quietSinceMs = null;
      } else return null;
    }
    if (prob < this.o.endThreshold) {
      this.quietSinceMs ??= frameMs;
      if (frameEnd - this.quietSinceMs >= hangMs) {
        const event: VadEvent | null = this.speaking ? { type: 'speech-end', startMs: this.candidateMs, endMs: this.quietSinceMs, atMs: frameEnd } : null;
        this.reset();
        return event;
      }
      return null;
    }
    if (prob >= this.o.startThreshold || this.speaking) this.quietSinceMs = null;
    if (!this.speaking && this.quietSinceMs === null && frameEnd - this.candidateMs >= this.o.minSpeechMs) {
      this.speaking = true;
      return { type: 'speech-start', startMs: this.candidateMs, atMs: frameEnd };
    }
    return null;
  }

  /** At the end of the input: the open speech ends where the quiet began, or now. */
  flush(nowMs: number): VadEvent | null {
    const event: VadEvent | null = this.speaking && this.candidateMs !== null ? { type: 'speech-end', startMs: this.candidateMs, endMs: this.quietSinceMs ?? nowMs, atMs: nowMs } : null;
    this.reset();
    return event;
  }

  reset(): void {
    this.candidateMs = null;
    this.speaking = false;
    this.quietSinceMs = null;
  }
}

/** Silero plus the end-of-speech decision, fed 512-sample frames in order. */
export class VoiceActivity {
  private ms = 0;
  readonly detector: EndOfSpeech;

  constructor(
    readonly vad: SpeechProbability,
    options: Partial<EndOfSpeechOptions> = {},
  ) {
    this.detector = new EndOfSpeech(options);
  }

  /** Time of the next frame's start, in ms of audio since the start or the last reset. */
  get timeMs(): number {
    return this.ms;
  }

  async push(frame: Float32Array, hangMs?: number): Promise<{ probability: number; event: VadEvent | null }> {
    const probability = await this.vad.probability(frame);
    const event = this.detector.push(probability, this.ms, VAD_FRAME_MS, hangMs);
    this.ms += VAD_FRAME_MS;
    return { probability, event };
  }

  flush(): VadEvent | null {
    return this.detector.flush(this.ms);
  }

  reset(): void {
    this.vad.reset();
    this.detector.reset();
    this.ms = 0;
  }
}
