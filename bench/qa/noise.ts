/**
 * Deterministic homophone noise: what a small speech recogniser does to Mandarin. A
 * given share of the Chinese characters of a question is replaced by another character
 * with the same toneless syllable (社 → 设) or, for a share of them, a near-homophone
 * whose syllable differs by one of the confusions of accented speech and small acoustic
 * models (四 → 十, 南 → 蓝, 民 → 明, 湖 → 福). Replacements are drawn from the
 * characters of the catalogue itself so they are ordinary characters. Seeded, so every
 * run scores the same sentences.
 *
 * The confusion list is written here on purpose rather than taken from the engine's
 * pinyin folding: the noise must not be shaped by what the engine happens to forgive.
 */
import { pinyin } from 'pinyin-pro';

// The same seeded generator the queue simulation uses: one implementation of mulberry32.
export { rng } from '../../server/queue/simulate.ts';

const CJK = /[\u4e00-\u9fff]/;

const INITIAL_SWAPS: [string, string][] = [['zh', 'z'], ['ch', 'c'], ['sh', 's'], ['n', 'l'], ['f', 'h'], ['r', 'l']];
const FINAL_SWAPS: [string, string][] = [['iang', 'ian'], ['uang', 'uan'], ['ang', 'an'], ['eng', 'en'], ['ing', 'in']];

/** Syllables one confusion away from `syl` (shi → si, lan → nan, lang, ...). */
export function nearSyllables(syl: string): string[] {
  const out = new Set<string>();
  for (const [a, b] of INITIAL_SWAPS) {
    // n before g is part of a final (ng), never an initial.
    if (syl.startsWith(a) && !(a === 'n' && syl.startsWith('ng'))) out.add(b + syl.slice(a.length));
    else if (syl.startsWith(b) && !(b.length === 1 && a.length === 2 && syl.startsWith(a))) out.add(a + syl.slice(b.length));
  }
  for (const [a, b] of FINAL_SWAPS) {
    if (syl.endsWith(a)) {
      out.add(syl.slice(0, -a.length) + b);
      break;
    }
    if (syl.endsWith(b) && !syl.endsWith('g')) {
      out.add(syl.slice(0, -b.length) + a);
      break;
    }
  }
  out.delete(syl);
  return [...out];
}

export class Homophones {
  private readonly bySyllable = new Map<string, string[]>();

  /** Build the inventory from any text (the catalogue): every character under its most common reading. */
  constructor(corpus: Iterable<string>) {
    const seen = new Set<string>();
    for (const text of corpus) for (const c of text) if (CJK.test(c)) seen.add(c);
    for (const c of [...seen].sort()) {
      const syl = pinyin(c, { toneType: 'none', v: true });
      let l = this.bySyllable.get(syl);
      if (!l) this.bySyllable.set(syl, (l = []));
      l.push(c);
    }
  }

  /** Characters that sound like `syl`, other than `char`. */
  of(syl: string, char: string): string[] {
    return (this.bySyllable.get(syl) ?? []).filter((c) => c !== char);
  }

  /** Characters whose syllable is one confusion away from `syl`. */
  near(syl: string): string[] {
    return nearSyllables(syl).flatMap((s) => this.bySyllable.get(s) ?? []);
  }

  /**
   * Replace round(rate × n) of the n Chinese characters by homophones (as heard in
   * context), a share `nearShare` of them by near-homophones. Characters with neither
   * are skipped in favour of others.
   */
  corrupt(text: string, rate: number, random: () => number, nearShare = 0): { text: string; replaced: number; near: number; chars: number } {
    const chars = [...text];
    const positions = chars.map((c, i) => (CJK.test(c) ? i : -1)).filter((i) => i >= 0);
    if (positions.length === 0 || rate <= 0) return { text, replaced: 0, near: 0, chars: positions.length };
    const syls = pinyin(positions.map((i) => chars[i]).join(''), { type: 'array', toneType: 'none', v: true }) as string[];
    const want = Math.round(rate * positions.length);
    const order = positions.map((p, k) => ({ p, k, r: random() })).sort((a, b) => a.r - b.r);
    let replaced = 0;
    let near = 0;
    for (const { p, k } of order) {
      if (replaced >= want) break;
      const same = this.of(syls[k] ?? '', chars[p]);
      const close = this.near(syls[k] ?? '');
      // nearShare is the chance of trying a near-homophone; without one the homophone stands in.
      const useNear = random() < nearShare && close.length > 0;
      const options = useNear ? close : same;
      if (options.length === 0) continue;
      chars[p] = options[Math.floor(random() * options.length)];
      replaced++;
      if (useNear) near++;
    }
    return { text: chars.join(''), replaced, near, chars: positions.length };
  }
}
