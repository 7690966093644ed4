/**
 * Pinyin input for the on-screen keyboard (a kiosk has no physical keyboard). Letters
 * typed so far are the composition; candidates are catalogue words the letters spell
 * and single characters of the first syllable. Characters come from GB 2312 (decoded
 * with the browser's own GB18030 decoder, no extra data) with pinyin-pro's readings,
 * ranked by how often the catalogue uses them, then level-1 (common) before level-2.
 */
import { pinyin } from 'pinyin-pro';

export interface Candidate {
  text: string;
  /** Letters of the composition this candidate replaces, from its start. */
  consumes: number;
}

/** GB 2312 hanzi in code order: level 1 (rows B0–D7, the 3,755 common characters) then level 2. */
export function gb2312Hanzi(): { ch: string; level: 1 | 2 }[] {
  const decoder = new TextDecoder('gb18030');
  const out: { ch: string; level: 1 | 2 }[] = [];
  for (let row = 0xb0; row <= 0xf7; row++) {
    for (let col = 0xa1; col <= 0xfe; col++) {
      const ch = decoder.decode(Uint8Array.of(row, col));
      // Row D7 ends at FA; GB18030 maps the five cells after it to non-hanzi code points.
      if (/^[\u4e00-\u9fff]$/.test(ch)) out.push({ ch, level: row <= 0xd7 ? 1 : 2 });
    }
  }
  return out;
}

export class PinyinIme {
  /** Syllable → characters, best first. */
  private readonly chars = new Map<string, string[]>();
  readonly syllables: ReadonlySet<string>;
  private readonly score: (ch: string) => number;

  constructor(
    frequency: ReadonlyMap<string, number> = new Map(),
    private readonly phrases: (letters: string) => string[] = () => [],
  ) {
    const hanzi = gb2312Hanzi();
    const rank = new Map(hanzi.map((h, i) => [h.ch, (h.level - 1) * 1e6 + i]));
    for (const { ch } of hanzi) {
      for (const syl of new Set(pinyin(ch, { multiple: true, type: 'array', toneType: 'none', v: true }) as string[])) {
        if (!/^[a-z]+$/.test(syl)) continue;
        const list = this.chars.get(syl) ?? [];
        list.push(ch);
        this.chars.set(syl, list);
      }
    }
    const score = (ch: string) => -(frequency.get(ch) ?? 0) * 1e7 + (rank.get(ch) ?? 0);
    this.score = score;
    for (const list of this.chars.values()) list.sort((a, b) => score(a) - score(b));
    this.syllables = new Set(this.chars.keys());
  }

  /** The longest syllable the composition starts with, or null when it starts with only part of one. */
  firstSyllable(letters: string): string | null {
    for (let k = Math.min(6, letters.length); k >= 1; k--) {
      const s = letters.slice(0, k);
      if (this.syllables.has(s)) return s;
    }
    return null;
  }

  charsFor(syllable: string): string[] {
    return this.chars.get(syllable) ?? [];
  }

  candidates(composition: string, limit = 30): Candidate[] {
    const letters = composition.toLowerCase().replace(/[^a-z]/g, '');
    if (!letters) return [];
    const out: Candidate[] = [];
    const seen = new Set<string>();
    const add = (text: string, consumes: number) => {
      if (seen.has(text) || out.length >= limit) return;
      seen.add(text);
      out.push({ text, consumes });
    };
    const first = this.firstSyllable(letters);
    const oneSyllable = [...this.syllables].some((s) => s.startsWith(letters));
    // A lone syllable (she) or the start of one (sh) means one character; only longer input spells words.
    if (!oneSyllable) for (const w of this.phrases(letters)) add(w, letters.length);
    if (first) {
      for (const ch of this.charsFor(first)) add(ch, first.length);
    } else {
      // Only part of a syllable so far (sh, zh): characters of every syllable it begins.
      const merged = new Set([...this.chars.entries()].filter(([s]) => s.startsWith(letters)).flatMap(([, l]) => l));
      for (const ch of [...merged].sort((a, b) => this.score(a) - this.score(b))) add(ch, letters.length);
    }
    return out;
  }
}
