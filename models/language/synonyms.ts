/**
 * Synonym rewriting. Each set lists interchangeable words, canonical first
 * (社会保障卡, 社保卡). Documents and questions are both rewritten to the canonical word,
 * so 驾照 in a question meets 机动车驾驶证 in an item name. In questions a variant is also
 * found by sound (假照 for 驾照), or by a near sound an accent blurs (夫照 for 护照, f/h), as
 * long as one of its characters was heard right, which keeps two-syllable variants from
 * firing on unrelated words.
 */
import type { QueryUnit, Unit } from './pinyin.ts';
import { queryUnitsOf, unitsOf } from './pinyin.ts';

interface Variant {
  units: Unit[];
  canonical: Unit[];
  canonicalText: string;
}

export class SynonymRewriter {
  private readonly variants: Variant[] = [];
  private readonly canonicals: Unit[][] = [];
  /**
   * Variants and canonicals by their first unit (its character, and its fuzzy syllable as
   * "f:se", which also covers every exact reading): a text is only tried against the
   * entries that could start somewhere in it.
   * With a thousand sets, trying every entry at every position made building the index
   * (every item name rewritten) take seconds.
   */
  private readonly variantsByFirst = new Map<string, number[]>();
  private readonly canonicalsByFirst = new Map<string, number[]>();

  constructor(sets: string[][]) {
    for (const set of sets) {
      const [canonical, ...rest] = set.map((w) => w.trim()).filter(Boolean);
      if (!canonical || rest.length === 0) continue;
      const cu = unitsOf(canonical);
      if (cu.length === 0) continue;
      this.canonicals.push(cu);
      for (const v of rest) {
        const vu = unitsOf(v);
        if (vu.length >= 1 && v !== canonical) this.variants.push({ units: vu, canonical: cu, canonicalText: canonical });
      }
    }
    // Longest first, so 社会保障卡 wins over 社保 inside the same span.
    this.variants.sort((a, b) => b.units.length - a.units.length);
    const file = (map: Map<string, number[]>, key: string, i: number) => {
      const l = map.get(key);
      if (!l) map.set(key, [i]);
      else if (l[l.length - 1] !== i) l.push(i);
    };
    this.variants.forEach((v, i) => {
      file(this.variantsByFirst, v.units[0].char, i);
      file(this.variantsByFirst, `f:${v.units[0].fuzzy}`, i);
    });
    this.canonicals.forEach((c, i) => file(this.canonicalsByFirst, c[0].char, i));
  }

  /** Entries of `map` that may start at some unit of the text, in their original order. */
  private startingIn(map: Map<string, number[]>, units: Unit[], bySound: boolean): number[] {
    const found = new Set<number>();
    const add = (key: string) => {
      for (const i of map.get(key) ?? []) found.add(i);
    };
    for (const u of units) {
      add(u.char);
      if (!bySound) continue;
      for (const r of (u as QueryUnit).fuzzyReadings) add(`f:${r}`);
    }
    return [...found].sort((a, b) => a - b);
  }

  get size(): number {
    return this.variants.length;
  }

  /** Every word the sets know, for the segmenter's user dictionary. */
  words(): string[] {
    return [...this.canonicals.map((u) => u.map((x) => x.char).join('')), ...this.variants.map((v) => v.units.map((x) => x.char).join(''))];
  }

  /** Rewrite document units: exact character matches only. */
  rewriteDoc(units: Unit[]): Unit[] {
    return this.rewrite(units, (u, v) => u.char === v.char, () => true, false) as Unit[];
  }

  /**
   * Rewrite question units. `exact` replaces variants written exactly; `bySound` also
   * those heard by sound or near sound (one character right). The sound version is a second reading
   * of the question, not a replacement: 拍照 sounds like 牌照 but means a photo.
   */
  rewriteQuery(units: QueryUnit[], isWord: (text: string) => boolean = () => false): { exact: QueryUnit[]; bySound: QueryUnit[] | null } {
    const lift = (out: Unit[]) => out.map((u) => ('readings' in u ? (u as QueryUnit) : (queryUnitsOf(u.char)[0] ?? (u as QueryUnit))));
    const exact = lift(this.rewrite(units, (u, v) => u.char === v.char, () => true, false));
    const sound = this.rewrite(
      exact,
      (u, v) => u.char === v.char || (u as QueryUnit).readings.has(v.syl) || (u as QueryUnit).fuzzyReadings.has(v.fuzzy),
      // What was heard, when it is itself a word (法院, 报检), was most likely said: a recogniser
      // errs into words too, but a visitor saying 法院 is not asking for 法援.
      (span, v) =>
        (v.units.length === 1 ? span[0].char === v.units[0].char : span.some((u, i) => u.char === v.units[i].char)) &&
        (span.every((u, i) => u.char === v.units[i].char) || !isWord(span.map((u) => u.char).join(''))),
      true,
    );
    return { exact, bySound: sound === exact ? null : lift(sound) };
  }

  private rewrite(units: Unit[], same: (u: Unit, v: Unit) => boolean, accept: (span: Unit[], v: Variant) => boolean, bySound: boolean): Unit[] {
    if (this.variants.length === 0 || units.length === 0) return units;
    const variants = this.startingIn(this.variantsByFirst, units, bySound).map((i) => this.variants[i]);
    const writtenVariants = bySound ? this.startingIn(this.variantsByFirst, units, false).map((i) => this.variants[i]) : variants;
    const taken = new Array<boolean>(units.length).fill(false);
    // Canonical words already present are protected: 驾驶证 inside 机动车驾驶证 stays. But not
    // inside a longer everyday word written out in full: 单身公证 must still become 未婚公证
    // although it contains 公证.
    const written = (w: Unit[], at: number) => at + w.length <= units.length && w.every((x, k) => units[at + k].char === x.char);
    const longerVariants: [number, number][] = [];
    for (const v of writtenVariants) for (let i = 0; i + v.units.length <= units.length; i++) if (written(v.units, i)) longerVariants.push([i, i + v.units.length]);
    for (const c of this.startingIn(this.canonicalsByFirst, units, false).map((i) => this.canonicals[i])) {
      for (let i = 0; i + c.length <= units.length; i++) {
        if (!written(c, i)) continue;
        if (longerVariants.some(([a, b]) => b - a > c.length && a <= i && i + c.length <= b)) continue;
        for (let k = 0; k < c.length; k++) taken[i + k] = true;
      }
    }
    const replace = new Map<number, Variant>();
    for (const v of variants) {
      const n = v.units.length;
      for (let i = 0; i + n <= units.length; i++) {
        let free = true;
        for (let k = 0; k < n; k++) if (taken[i + k]) free = false;
        if (!free) continue;
        const span = units.slice(i, i + n);
        if (!v.units.every((x, k) => same(span[k], x))) continue;
        if (!accept(span, v)) continue;
        for (let k = 0; k < n; k++) taken[i + k] = true;
        replace.set(i, v);
        i += n - 1;
      }
    }
    if (replace.size === 0) return units;
    const out: Unit[] = [];
    for (let i = 0; i < units.length; i++) {
      const v = replace.get(i);
      if (v) {
        out.push(...v.canonical.map((c) => ({ ...c })));
        i += v.units.length - 1;
      } else out.push(units[i]);
    }
    return out;
  }
}
