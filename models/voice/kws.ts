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
}

export class KwsUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KwsUnavailableError';
  }
}

/** The native addon, loaded on first use so a machine without it still starts. */
function sherpa(): { KeywordSpotter: typeof Sherpa.KeywordSpotter } {
  try {
    return createRequire(import.meta.url)('sherpa-onnx-node') as { KeywordSpotter: typeof Sherpa.KeywordSpotter };
  } catch (err) {
    throw new KwsUnavailableError(`the keyword spotter's runtime (npm package sherpa-onnx-node) does not load: ${(err as Error).message.split('\n')[0]}`);
  }
}

export class KeywordSpotter {
  private stream: Sherpa.OnlineStream;
  private samples = 0;
  private readonly kinds: Map<string, KeywordKind>;

  private constructor(
    private readonly spotter: Sherpa.KeywordSpotter,
    readonly keywords: readonly KeywordSpec[],
  ) {
    this.stream = spotter.createStream();
    this.kinds = new Map(keywords.map((k) => [k.text, k.kind]));
  }

  /**
   * Loads the verified model and compiles the keywords; throws KeywordTokenError for a
   * phrase the model cannot spell, ModelError for a missing or damaged model. `paths` is
   * the search width (the hall's voice.spotterPaths).
   */
  static async load(keywords: readonly KeywordSpec[], opts: { dir?: string; manifest?: Manifest; paths?: number } = {}): Promise<KeywordSpotter> {
    if (!keywords.length) throw new RangeError('the keyword spotter needs at least one keyword');
    const model = await locateModel(KWS_MODEL, opts);
    const file = (name: string) => join(model.dir, model.entry.files!.find((f) => f.path.startsWith(name))!.path);
    const tokens = file('tokens.txt');
    const buf = keywordLines(keywords, parseTokens(readFileSync(tokens, 'utf8')));
    const { KeywordSpotter: Native } = sherpa();
    const spotter = new Native({
      featConfig: { sampleRate: SAMPLE_RATE, featureDim: 80 },
      modelConfig: { transducer: { encoder: file('encoder'), decoder: file('decoder'), joiner: file('joiner') }, tokens, numThreads: 1, provider: 'cpu', debug: 0 },
      maxActivePaths: opts.paths ?? DEFAULT_PATHS,
      numTrailingBlanks: 1,
      keywordsBuf: buf,
      keywordsBufSize: Buffer.byteLength(buf),
    });
    return new KeywordSpotter(spotter, keywords);
  }

  /** Audio since the stream began, in ms. */
  get timeMs(): number {
    return (this.samples / SAMPLE_RATE) * 1000;
  }

  /** Feeds 16 kHz float samples; returns the keywords decided within them. */
  accept(samples: Float32Array): SpottedKeyword[] {
    this.stream.acceptWaveform({ samples, sampleRate: SAMPLE_RATE });
    this.samples += samples.length;
    const found: SpottedKeyword[] = [];
    while (this.spotter.isReady(this.stream)) {
      this.spotter.decode(this.stream);
      const r = this.spotter.getResult(this.stream);
      if (r.keyword) {
        found.push({ text: r.keyword, kind: this.kinds.get(r.keyword) ?? 'command', atMs: this.timeMs, tokens: r.tokens });
        // A detection must be reset or the same keyword fires again on the next decode.
        this.spotter.reset(this.stream);
      }
    }
    return found;
  }

  /** Starts a fresh stream (a new visitor, or after the robot spoke). */
  reset(): void {
    this.stream = this.spotter.createStream();
    this.samples = 0;
  }
}
