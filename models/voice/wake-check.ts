/**
 * Second look at a wake candidate. The streaming spotter is set up to be permissive (a
 * wide search, a low threshold) so it rarely misses the wake word, and so it also fires on
 * its neighbours (小琴小琴, 小新小新). When it fires, the last few seconds of audio are
 * decoded again by the same model as a free recogniser, with no keyword forced on it, and
 * what it heard is matched against the wake phrases and against rivals: each phrase with the
 * initials of its syllables swapped for their confusable neighbours (j ↔ q ↔ x, z ↔ c ↔ s,
 * zh ↔ ch ↔ sh) and the hall's own listed near-misses. The wake is accepted only if no
 * rival matches better than the nearest wake phrase and that phrase is close enough at
 * all. Any wake phrase will do: the spotter often decides 你好小今 on the 小今 of
 * 小今小今 before the phrase has ended, and the visitor meant to wake the robot either way.
 * The free decoding runs only on candidates, so idle listening pays nothing for it.
 */
import type * as Sherpa from 'sherpa-onnx-node';
import { phraseSpellings } from './keywords.ts';
import { SAMPLE_RATE } from './wav.ts';

export interface WakeCheckSettings {
  /**
   * How long after a candidate the check waits before looking: the spotter often decides
   * 你好小今 on the first 小今 of 小今小今, and the check should hear the whole phrase.
   */
  delayMs: number;
  /** Audio decoded again, ending `delayMs` after the candidate, in ms. */
  windowMs: number;
  /** Extra phrases a hall hears that must not wake it (besides the generated neighbours). */
  nearMisses: readonly string[];
  /** Largest distance between what was heard and the phrase, per token of the phrase. */
  slack: number;
}

export interface WakeVerdict {
  accepted: boolean;
  /** The wake phrase nearest to what was heard. */
  phrase: string;
  /** The model's own tokens for the window (pinyin units), for the trace. */
  heard: string[];
  /** Distance of the heard tokens to that phrase and to the closest rival. */
  distance: number;
  rival: { phrase: string; distance: number } | null;
  /** Wall-clock cost of the check. */
  ms: number;
}

/** Initials the model (and people) confuse with each other, by place of articulation. */
const NEIGHBOURS = [['j', 'q', 'x'], ['z', 'c', 's'], ['zh', 'ch', 'sh']];
const toneless = (unit: string) => unit.normalize('NFD').replace(/\p{M}/gu, '');

/**
 * The phrase's neighbours: each distinct syllable (initial + final) with its initial
 * replaced by another of its group, everywhere it occurs (小今小今 → 小琴小琴, 小新小新,
 * 叫今叫今…). The model's units are initials and finals, so a syllable is an initial
 * followed by a unit that is not one.
 */
export function neighbourSpellings(tokens: readonly string[]): string[][] {
  const groupOf = (t: string) => NEIGHBOURS.find((g) => g.includes(t));
  const out: string[][] = [];
  const seen = new Set<string>();
  for (let i = 0; i + 1 < tokens.length; i++) {
    const group = groupOf(tokens[i]);
    if (!group) continue;
    const final = tokens[i + 1];
    for (const other of group) {
      if (other === tokens[i]) continue;
      const swapped = tokens.map((t, k) => (t === tokens[i] && tokens[k + 1] === final ? other : t));
      const key = swapped.join(' ');
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(swapped);
    }
  }
  return out;
}

/**
 * How far the phrase's units are from the best-matching stretch of what was heard
 * (free start and end in `heard`): a wrong unit costs 1, the right unit in another tone
 * 0.5, a missing or extra unit 1.
 */
export function phraseDistance(phrase: readonly string[], heard: readonly string[]): number {
  const sub = (a: string, b: string) => (a === b ? 0 : toneless(a) === toneless(b) ? 0.5 : 1);
  let prev = new Array<number>(heard.length + 1).fill(0);
  for (let i = 1; i <= phrase.length; i++) {
    const row = [i];
    for (let j = 1; j <= heard.length; j++) row[j] = Math.min(prev[j - 1] + sub(phrase[i - 1], heard[j - 1]), prev[j] + 1, row[j - 1] + 1);
    prev = row;
  }
  return Math.min(...prev);
}

interface Spelling {
  phrase: string;
  tokens: string[];
}

/** sherpa-onnx's free recogniser over the spotter's own model files. */
export type FreeDecoder = Pick<Sherpa.OnlineRecognizer, 'createStream' | 'isReady' | 'decode' | 'getResult'>;

export class WakeCheck {
  private readonly ring: Float32Array;
  private at = 0;
  private filled = 0;
  readonly delaySamples: number;
  private readonly own: Spelling[];
  private readonly rivals: Spelling[];

  /** `wakeWords` are the configured phrases; every rival is spelled now, so a bad near-miss is refused at load. */
  constructor(
    private readonly decoder: FreeDecoder,
    wakeWords: readonly string[],
    valid: ReadonlySet<string>,
    private readonly settings: WakeCheckSettings,
  ) {
    this.ring = new Float32Array(Math.round((settings.windowMs / 1000) * SAMPLE_RATE));
    this.delaySamples = Math.round((settings.delayMs / 1000) * SAMPLE_RATE);
    const spell = (phrase: string) => phraseSpellings(phrase, valid).map((tokens) => ({ phrase, tokens }));
    this.own = wakeWords.flatMap(spell);
    const ownKeys = new Set(this.own.map((s) => s.tokens.join(' ')));
    const generated = this.own.flatMap((s) => neighbourSpellings(s.tokens)).filter((t) => t.every((u) => valid.has(u)));
    const rivals = [...generated.map((tokens) => ({ phrase: tokens.join(' '), tokens })), ...settings.nearMisses.flatMap(spell)];
    // A rival spelled like a wake phrase (a hall listing its own wake word) would veto every wake.
    this.rivals = rivals.filter((r) => !ownKeys.has(r.tokens.join(' ')));
  }

  /** Keeps the latest audio (call with every frame the spotter hears). */
  push(samples: Float32Array): void {
    for (let from = Math.max(0, samples.length - this.ring.length); from < samples.length; ) {
      const n = Math.min(samples.length - from, this.ring.length - this.at);
      this.ring.set(samples.subarray(from, from + n), this.at);
      this.at = (this.at + n) % this.ring.length;
      this.filled = Math.min(this.ring.length, this.filled + n);
      from += n;
    }
  }

  clear(): void {
    this.at = 0;
    this.filled = 0;
  }

  /** Decodes the kept audio afresh and decides whether it is a wake phrase rather than a rival. */
  check(): WakeVerdict {
    const started = performance.now();
    const heard = this.decode();
    const nearest = (spellings: Spelling[]) => {
      let best: (Spelling & { distance: number }) | null = null;
      for (const s of spellings) {
        const distance = phraseDistance(s.tokens, heard);
        if (!best || distance < best.distance) best = { ...s, distance };
      }
      return best;
    };
    const own = nearest(this.own)!;
    const rival = nearest(this.rivals);
    // A tie goes to the wake phrase: the model often hears a speaker's j as neither j nor x.
    const accepted = own.distance <= this.settings.slack * own.tokens.length && (!rival || own.distance <= rival.distance);
    return { accepted, phrase: own.phrase, heard, distance: own.distance, rival: rival && { phrase: rival.phrase, distance: rival.distance }, ms: performance.now() - started };
  }

  private decode(): string[] {
    const window = new Float32Array(this.filled);
    const start = (this.at - this.filled + this.ring.length) % this.ring.length;
    const head = this.ring.subarray(start, Math.min(this.ring.length, start + this.filled));
    window.set(head);
    window.set(this.ring.subarray(0, this.filled - head.length), head.length);
    const stream = this.decoder.createStream();
    stream.acceptWaveform({ samples: window, sampleRate: SAMPLE_RATE });
    // Trailing quiet lets the streaming model emit the window's last units.
    stream.acceptWaveform({ samples: new Float32Array(TAIL_SAMPLES), sampleRate: SAMPLE_RATE });
    stream.inputFinished();
    while (this.decoder.isReady(stream)) this.decoder.decode(stream);
    return this.decoder.getResult(stream).tokens;
  }
}

const TAIL_SAMPLES = 0.5 * SAMPLE_RATE;
