/**
 * Deterministic homophone noise: what a small speech recogniser does to Mandarin. A
 * given share of the Chinese characters of a question is replaced by another character
 * with the same toneless syllable (社 → 设), drawn from the characters of the catalogue
 * itself so replacements are ordinary characters. Seeded, so every run scores the same
 * sentences.
 */
import { pinyin } from 'pinyin-pro';

/** mulberry32: small, fast, good enough for sampling. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CJK = /[\u4e00-\u9fff]/;

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

  /**
   * Replace round(rate × n) of the n Chinese characters by homophones (as heard in
   * context). Characters without a homophone are skipped in favour of others.
   */
  corrupt(text: string, rate: number, random: () => number): { text: string; replaced: number; chars: number } {
    const chars = [...text];
    const positions = chars.map((c, i) => (CJK.test(c) ? i : -1)).filter((i) => i >= 0);
    if (positions.length === 0 || rate <= 0) return { text, replaced: 0, chars: positions.length };
    const syls = pinyin(positions.map((i) => chars[i]).join(''), { type: 'array', toneType: 'none', v: true }) as string[];
    const want = Math.round(rate * positions.length);
    const order = positions.map((p, k) => ({ p, k, r: random() })).sort((a, b) => a.r - b.r);
    let replaced = 0;
    for (const { p, k } of order) {
      if (replaced >= want) break;
      const options = this.of(syls[k] ?? '', chars[p]);
      if (options.length === 0) continue;
      chars[p] = options[Math.floor(random() * options.length)];
      replaced++;
    }
    return { text: chars.join(''), replaced, chars: positions.length };
  }
}
