/**
 * Wake word and command words: sherpa-onnx's keyword spotter with the streaming zipformer
 * model of the manifest, fed 16 kHz float samples as a continuous stream (the model needs
 * some audio before a keyword to find it). Each detection names its phrase, its kind and
 * the audio time it was decided at.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as Sherpa from 'sherpa-onnx-node';
import { VoiceSettings } from '../../config/schema.ts';
import { keywordLines, parseTokens, type KeywordKind, type KeywordSpec } from './keywords.ts';
import { locateModel, type Manifest } from './models.ts';
import { WakeQueue } from './wake-queue.ts';
import { WakeCheck, type WakeCheckSettings, type WakeVerdict } from './wake-check.ts';
import { SAMPLE_RATE } from './wav.ts';

export const KWS_MODEL = 'kws-zipformer-wenetspeech-3.3M-mobile';
/** The hall default, for callers without a hall configuration (tests, tools). */
const DEFAULT_PATHS = VoiceSettings.parse({}).spotterPaths;

export interface SpottedKeyword {
  text: string;
  kind: KeywordKind;
  /** Audio time (ms since the stream began) at which the keyword was decided. */
  atMs: number;
  tokens: string[];
  /** The second look that confirmed a wake word, when the spotter has one. */
  check?: WakeVerdict;
}

export interface SpotterOptions {
  dir?: string;
  manifest?: Manifest;
  /** Search width of the command spotter, and of the wake spotter unless `wakePaths` says otherwise. */
  paths?: number;
  wakePaths?: number;
  /** Re-decode each wake candidate and accept it only if the wake phrase beats its near-misses. */
  check?: WakeCheckSettings | null;
}

/** The spotter's options as a hall configures them. */
export function spotterOptions(voice: VoiceSettings): SpotterOptions {
  return { paths: voice.spotterPaths, wakePaths: voice.wake.paths, check: voice.wakeCheck.enabled ? voice.wakeCheck : null };
}

export class KwsUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KwsUnavailableError';
  }
}

/** The native addon, loaded on first use so a machine without it still starts. */
function sherpa(): typeof Sherpa.default {
  try {
    return createRequire(import.meta.url)('sherpa-onnx-node') as typeof Sherpa.default;
  } catch (err) {
    throw new KwsUnavailableError(`the keyword spotter's runtime (npm package sherpa-onnx-node) does not load: ${(err as Error).message.split('\n')[0]}`);
  }
}

/**
 * The model decides in chunks of 320 ms counted from its stream's start, and on speech
 * near its threshold (measured with espeak-ng's voice, docs/benchmarks.md) whether a word
 * is spotted can flip with where the word falls in those chunks: a second stream started
 * half a chunk later hears it at the other phase. Command words get both phases (they are
 * only acted on while the robot listens); the wake word one, since a second phase also
 * wakes on near-misses such as 小琴小琴.
 */
const LANE_OFFSETS: Record<KeywordKind, number[]> = { wake: [0], command: [0, 0.16 * SAMPLE_RATE] };
/** A detection of the same phrase by the other lane within this much audio is the same detection. */
const SAME_WORD_SAMPLES = 1.5 * SAMPLE_RATE;

/** One stream of one spotter, fed from `offset` samples after the spotter's start. */
interface Lane {
  spotter: Sherpa.KeywordSpotter;
  stream: Sherpa.OnlineStream;
  offset: number;
}

export class KeywordSpotter {
  private lanes: Lane[];
  private samples = 0;
  private readonly kinds: Map<string, KeywordKind>;
  /** When each phrase was last reported, in samples. */
  private readonly lastSpotted = new Map<string, number>();
  /** Wake candidates the check turned down since load (for benchmarks and health). */
  rejected = 0;
  /** Wake candidates waiting for the check (empty without one). */
  private readonly wakes: WakeQueue;

  /**
   * Wake words and command words have a spotter each: a detection resets its stream, which
   * also clears the model's context, and a command said right after the wake word needs
   * that context (measured: a wake-only and a command-only spotter hear 小今小今 + 洗手间
   * where one spotter for both misses the command).
   */
  private constructor(
    private readonly spotters: { kind: KeywordKind; spotter: Sherpa.KeywordSpotter }[],
    readonly keywords: readonly KeywordSpec[],
    private readonly wakeCheck: WakeCheck | null,
  ) {
    this.lanes = this.freshLanes();
    this.wakes = new WakeQueue(wakeCheck?.delaySamples ?? 0);
    this.kinds = new Map(keywords.map((k) => [k.text, k.kind]));
  }

  private freshLanes(): Lane[] {
    return this.spotters.flatMap(({ kind, spotter }) => LANE_OFFSETS[kind].map((offset) => ({ spotter, stream: spotter.createStream(), offset })));
  }

  /**
   * Loads the verified model and compiles the keywords; throws KeywordTokenError for a
   * phrase the model cannot spell, ModelError for a missing or damaged model. `paths` is
   * the search width (the hall's voice.spotterPaths).
   */
  static async load(keywords: readonly KeywordSpec[], opts: SpotterOptions = {}): Promise<KeywordSpotter> {
    if (!keywords.length) throw new RangeError('the keyword spotter needs at least one keyword');
    const model = await locateModel(KWS_MODEL, opts);
    const file = (name: string) => join(model.dir, model.entry.files!.find((f) => f.path.startsWith(name))!.path);
    const tokens = file('tokens.txt');
    const valid = parseTokens(readFileSync(tokens, 'utf8'));
    const groups = (['wake', 'command'] as const).map((kind) => ({ kind, words: keywords.filter((k) => k.kind === kind) })).filter((g) => g.words.length > 0);
    // Every phrase is checked before any native spotter is made, so a bad one is named first.
    const buffers = groups.map((g) => ({ kind: g.kind, buf: keywordLines(g.words, valid) }));
    const wakeWords = keywords.filter((k) => k.kind === 'wake').map((k) => k.text);
    const featConfig = { sampleRate: SAMPLE_RATE, featureDim: 80 };
    const modelConfig = { transducer: { encoder: file('encoder'), decoder: file('decoder'), joiner: file('joiner') }, tokens, numThreads: 1, provider: 'cpu', debug: 0 };
    const { KeywordSpotter: Native, OnlineRecognizer } = sherpa();
    const check = opts.check && wakeWords.length ? new WakeCheck(new OnlineRecognizer({ featConfig, modelConfig, decodingMethod: 'greedy_search' }), wakeWords, valid, opts.check) : null;
    const spotters = buffers.map(({ kind, buf }) => ({
      kind,
      spotter: new Native({
        featConfig,
        modelConfig,
        maxActivePaths: (kind === 'wake' ? opts.wakePaths : undefined) ?? opts.paths ?? DEFAULT_PATHS,
        numTrailingBlanks: 1,
        keywordsBuf: buf,
        keywordsBufSize: Buffer.byteLength(buf),
      }),
    }));
    return new KeywordSpotter(spotters, keywords, check);
  }

  /** Audio since the stream began, in ms. */
  get timeMs(): number {
    return (this.samples / SAMPLE_RATE) * 1000;
  }

  /** Feeds 16 kHz float samples; returns the keywords decided within them. */
  accept(samples: Float32Array): SpottedKeyword[] {
    const from = this.samples;
    this.samples += samples.length;
    const found: SpottedKeyword[] = [];
    this.wakeCheck?.push(samples);
    for (const lane of this.lanes) {
      const skip = Math.max(0, lane.offset - from);
      if (skip >= samples.length) continue;
      lane.stream.acceptWaveform({ samples: skip ? samples.subarray(skip) : samples, sampleRate: SAMPLE_RATE });
      while (lane.spotter.isReady(lane.stream)) {
        lane.spotter.decode(lane.stream);
        const r = lane.spotter.getResult(lane.stream);
        if (!r.keyword) continue;
        // A detection must be reset or the same keyword fires again on the next decode.
        lane.spotter.reset(lane.stream);
        const last = this.lastSpotted.get(r.keyword);
        if (last !== undefined && this.samples - last < SAME_WORD_SAMPLES) continue;
        const kind = this.kinds.get(r.keyword) ?? 'command';
        if (kind === 'wake' && this.wakeCheck) {
          this.wakes.add(r.tokens, this.samples);
          continue;
        }
        this.lastSpotted.set(r.keyword, this.samples);
        found.push({ text: r.keyword, kind, atMs: this.timeMs, tokens: r.tokens });
      }
    }
    const due = this.wakeCheck && this.wakes.takeDue(this.samples);
    if (due) {
      const check = this.wakeCheck!.check();
      if (!check.accepted) this.rejected++;
      else {
        this.wakes.clear();
        // Named by what the check heard: the spotter may have decided 你好小今 on the 小今 of 小今小今.
        this.lastSpotted.set(check.phrase, this.samples);
        found.unshift({ text: check.phrase, kind: 'wake', atMs: this.timeMs, tokens: due.tokens, check });
      }
    }
    return found;
  }

  /** Starts fresh streams (a new visitor, or after the robot spoke). */
  reset(): void {
    this.lanes = this.freshLanes();
    this.lastSpotted.clear();
    this.wakeCheck?.clear();
    this.wakes.clear();
    this.samples = 0;
  }
}
