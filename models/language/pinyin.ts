/**
 * Sound-level view of text. A recogniser that mishears 社保卡补办 as 设保卡不办 still gets
 * the syllables right, so matching compares syllables as well as characters. "Fuzzy"
 * syllables fold the distinctions southern speakers and small acoustic models often
 * lose (zh/z, ch/c, sh/s, n/l, r/l, f/h as Cantonese, Hakka and Min speakers blur it,
 * -ng/-n) so near-homophones meet too.
 */
import { pinyin } from 'pinyin-pro';
import { isContentChar } from './normalize.ts';

/** One meaningful character of a text with its sound. */
export interface Unit {
  char: string;
  /** Toneless syllable in context (she, bao); for Latin letters and digits, the character itself. */
  syl: string;
  fuzzy: string;
}

/** A unit of a query also knows every reading of its character, for polyphones misread in noisy context. */
export interface QueryUnit extends Unit {
  readings: ReadonlySet<string>;
  fuzzyReadings: ReadonlySet<string>;
}

export function fuzzySyllable(syl: string): string {
  return syl
    .replace(/^zh/, 'z')
    .replace(/^ch/, 'c')
    .replace(/^sh/, 's')
    .replace(/^n(?=[^g]|$)/, 'l')
    .replace(/^r/, 'l')
    .replace(/^f/, 'h')
    .replace(/ang$/, 'an')
    .replace(/eng$/, 'en')
    .replace(/ing$/, 'in')
}

/** A Chinese character (the unified ideographs, extension A and the compatibility block). */
export const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
const readingCache = new Map<string, string[]>();

/** Every toneless reading of one character (长 → chang, zhang). */
export function readingsOf(char: string): string[] {
  let r = readingCache.get(char);
  if (!r) {
    r = CJK.test(char) ? [...new Set(pinyin(char, { multiple: true, type: 'array', toneType: 'none', v: true }) as string[])] : [char.toLowerCase()];
    if (r.length === 0) r = [char];
    readingCache.set(char, r);
  }
  return r;
}

/** The content units of a (normalised) text with in-context syllables. */
export function unitsOf(text: string): Unit[] {
  const chars = [...text].filter(isContentChar);
  if (chars.length === 0) return [];
  const joined = chars.join('');
  const syls = pinyin(joined, { type: 'array', toneType: 'none', v: true }) as string[];
  // pinyin-pro returns one entry per character for CJK text; Latin runs may come back merged.
  const aligned = syls.length === chars.length ? syls : chars.map((c) => readingsOf(c)[0]);
  return chars.map((char, i) => {
    const syl = CJK.test(char) ? aligned[i] : char.toLowerCase();
    return { char: CJK.test(char) ? char : char.toLowerCase(), syl, fuzzy: fuzzySyllable(syl) };
  });
}

export function queryUnitsOf(text: string): QueryUnit[] {
  return unitsOf(text).map((u) => {
    const readings = new Set([u.syl, ...readingsOf(u.char)]);
    return { ...u, readings, fuzzyReadings: new Set([...readings].map(fuzzySyllable)) };
  });
}

/** Toneless syllables of a text joined by spaces: "she bao ka". */
export function syllables(text: string): string {
  return unitsOf(text)
    .map((u) => u.syl)
    .join(' ');
}
