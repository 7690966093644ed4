/**
 * Wake words and command words as the keyword spotter takes them: each phrase written in
 * the model's pinyin units (initial + toned rest: 小今 → x iǎo j īn), with its own boost
 * and threshold, and the phrase itself after '@' so a detection names it. A phrase the
 * model cannot spell is refused with the word and the unit it lacks, so a hall that
 * renames its robot learns at once, not by a robot that never wakes.
 *
 * The model's units carry tones, and the dictionary's tones are not what people say when
 * third tones meet (你好 is said ní hǎo, 洗手 xí shǒu): such a phrase is listed a second
 * time as spoken, under the same name, or the spotter would wait for a tone nobody says.
 */
import { pinyin } from 'pinyin-pro';
import type { Hall, VoiceSettings } from '../../config/schema.ts';
import { speechOf } from '../speech/tts.ts';

export type KeywordKind = 'wake' | 'command';

export interface KeywordSpec {
  /** The phrase as configured (and as a detection names it). */
  text: string;
  kind: KeywordKind;
  boost: number;
  threshold: number;
}

export class KeywordTokenError extends Error {
  constructor(
    readonly word: string,
    readonly token: string,
    message: string,
  ) {
    super(message);
    this.name = 'KeywordTokenError';
  }
}

// Two-letter initials first so zh is not read as z + h…
const INITIALS = ['zh', 'ch', 'sh', 'b', 'p', 'm', 'f', 'd', 't', 'n', 'l', 'g', 'k', 'h', 'j', 'q', 'x', 'r', 'z', 'c', 's', 'y', 'w'];

/** Splits one toned syllable (xiǎo) into the model's units (x, iǎo). */
export function syllableTokens(syllable: string): string[] {
  const initial = INITIALS.find((i) => syllable.startsWith(i) && syllable.length > i.length);
  return initial ? [initial, syllable.slice(initial.length)] : [syllable];
}

const THIRD_TO_SECOND: Record<string, string> = { ǎ: 'á', ě: 'é', ǐ: 'í', ǒ: 'ó', ǔ: 'ú', ǚ: 'ǘ' };
const isThirdTone = (syllable: string) => /[ǎěǐǒǔǚ]/.test(syllable);

/**
 * Third-tone sandhi: in a run of third tones every one but the last is said as a second
 * tone (你好小今 → ní háo xiǎo jīn). Returns null when the phrase has no such run.
 */
export function sandhiSyllables(syllables: readonly string[]): string[] | null {
  const out = syllables.map((s, i) => (isThirdTone(s) && i + 1 < syllables.length && isThirdTone(syllables[i + 1]) ? s.replace(/[ǎěǐǒǔǚ]/, (v) => THIRD_TO_SECOND[v]) : s));
  return out.some((s, i) => s !== syllables[i]) ? out : null;
}

function readable(text: string): { chars: string[]; syllables: string[] } {
  // Digits are read one by one (A01 → A零一), the way the hall announces windows and tickets.
  const spoken = speechOf(text.normalize('NFKC')).replace(/[\s·,，.。!！?？、]/g, '');
  if (!spoken) throw new KeywordTokenError(text, '', `keyword "${text}" has nothing to say`);
  const syllables = pinyin(spoken, { type: 'array', toneType: 'symbol' });
  const chars = [...spoken];
  if (syllables.length !== chars.length) throw new KeywordTokenError(text, '', `keyword "${text}" could not be read syllable by syllable`);
  return { chars, syllables };
}

function spell(text: string, chars: readonly string[], syllables: readonly string[], valid: ReadonlySet<string>): string[] {
  const tokens: string[] = [];
  syllables.forEach((syllable, i) => {
    const ch = chars[i];
    // Latin letters are their own units (the model has A–Z); everything else must be Chinese.
    const units = /^[A-Za-z]$/.test(ch) ? [ch.toUpperCase()] : /\p{Script=Han}/u.test(ch) ? syllableTokens(syllable) : null;
    if (!units) throw new KeywordTokenError(text, ch, `keyword "${text}": "${ch}" is neither a Chinese character nor a letter, and the wake-word model cannot hear it`);
    for (const unit of units) {
      if (!valid.has(unit)) throw new KeywordTokenError(text, unit, `keyword "${text}": the wake-word model has no token "${unit}" (from ${ch} ${syllable}); choose another word`);
      tokens.push(unit);
    }
  });
  return tokens;
}

/** The model's tokens for a phrase as the dictionary writes it; throws KeywordTokenError for anything it cannot spell. */
export function phraseTokens(text: string, valid: ReadonlySet<string>): string[] {
  const { chars, syllables } = readable(text);
  return spell(text, chars, syllables, valid);
}

/**
 * Every way the spotter should hear a phrase: the dictionary's tones first, then the
 * tones of third-tone sandhi when they differ (dropped if the model lacks one of its
 * units, since the dictionary spelling still stands).
 */
export function phraseSpellings(text: string, valid: ReadonlySet<string>): string[][] {
  const { chars, syllables } = readable(text);
  const spellings = [spell(text, chars, syllables, valid)];
  const sandhi = sandhiSyllables(syllables);
  if (sandhi) {
    try {
      spellings.push(spell(text, chars, sandhi, valid));
    } catch (err) {
      if (!(err instanceof KeywordTokenError)) throw err;
    }
  }
  return spellings;
}

/** The keywords buffer sherpa-onnx reads: "tokens :boost #threshold @phrase", one a line, several lines for a phrase said several ways. */
export function keywordLines(specs: readonly KeywordSpec[], valid: ReadonlySet<string>): string {
  return specs.flatMap((k) => phraseSpellings(k.text, valid).map((tokens) => `${tokens.join(' ')} :${k.boost} #${k.threshold} @${k.text}`)).join('\n') + '\n';
}

/** The hall's wake and command words, with their spotting settings; duplicates kept once. */
export function keywordsFromConfig(voice: VoiceSettings, hall?: Pick<Hall, 'windows'>): KeywordSpec[] {
  const commands = [...voice.commandWords, ...(voice.windowNames && hall ? hall.windows.map((w) => w.name) : [])];
  const seen = new Set<string>();
  const out: KeywordSpec[] = [];
  for (const [kind, words] of [['wake', voice.wakeWords], ['command', commands]] as const) {
    for (const text of words) {
      if (seen.has(text)) continue;
      seen.add(text);
      const { boost, threshold } = kind === 'wake' ? voice.wake : voice.command;
      out.push({ text, kind, boost, threshold });
    }
  }
  return out;
}

/** The valid tokens of a model's tokens.txt ("token id" per line). */
export function parseTokens(text: string): Set<string> {
  return new Set(
    text
      .split('\n')
      .map((l) => l.trim().split(/\s+/)[0])
      .filter(Boolean),
  );
}
