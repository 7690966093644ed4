/**
 * Search over the whole catalogue, in the renderer, as the citizen types. The index is
 * built once from `catalogue.summaries`: each distinct text (an item name, an alias, a
 * case name, a department) becomes one field with its characters and syllables, and
 * posting lists point from characters, syllables and initial letters to fields.
 *
 * A query is tried the ways a citizen might mean it: Chinese characters exactly, the same
 * sounds written with other characters (设保卡), one character wrong, missing or extra
 * (社保障卡), and letters as pinyin (sbk, shebaoka, shebaok). Typing one more letter only
 * narrows a pinyin search, so each keystroke re-checks only the fields the previous
 * keystroke matched.
 */
import type { ItemSummary } from '../../../protocol/ui/domains/catalogue.ts';
import { isCjk, parseQuery, unitsOf, type ParsedQuery } from './text.ts';
import { editBudget, matchOneEdit, matchPinyin, prefixDistance } from './match.ts';

export type FieldKind = 'name' | 'alias' | 'case' | 'department';
export type MatchKind = 'exact' | 'pinyin' | 'initials' | 'homophone' | 'fuzzy' | 'typo';

interface Field {
  kind: FieldKind;
  text: string;
  chars: string[];
  str: string;
  syl: string[];
  /** The syllables run together (shebaoka), and where each starts in it, for typo-tolerant pinyin. */
  py: string;
  sylAt: number[];
  items: number[];
}

export interface SearchResult {
  code: string;
  name: string;
  department: string;
  score: number;
  match: MatchKind;
  /** Which text matched: the name, an alias, a case (情形) or the department. */
  via: FieldKind;
  viaText: string;
}

export interface SearchOutput {
  query: string;
  total: number;
  results: SearchResult[];
  /** When the letters were read as a typo of something ("did you mean"): the text they were taken for. */
  corrected?: string;
}

const MATCH_KINDS: MatchKind[] = ['exact', 'pinyin', 'initials', 'homophone', 'fuzzy', 'typo'];
const KIND_WEIGHT: Record<FieldKind, number> = { name: 1, alias: 0.95, case: 0.8, department: 0.35 };
const MATCH_BASE: Record<MatchKind, number> = { exact: 100, pinyin: 85, initials: 75, homophone: 65, fuzzy: 45, typo: 88 };
/** What each letter edit of a typo costs: one edit at a name's start still beats a stray match inside another name, two do not. */
const TYPO_EDIT_COST = 12;
/** A letters search with no result this good (a match at a text's start) also tries the letters as a typo. */
const STRONG_SCORE = 92;
const ENOUGH_STRONG = 1;
/** Typo readings scoring under this (two edits, or one deep inside a long text) are not shown. */
const TYPO_FLOOR = 78;

function push(map: Map<string, number[]>, key: string, id: number): void {
  const list = map.get(key);
  if (!list) map.set(key, [id]);
  else if (list[list.length - 1] !== id) list.push(id);
}

/** Adds summaries one at a time so a screen can build the index between frames. */
export class SearchIndexBuilder {
  private items: ItemSummary[] = [];
  private fields: Field[] = [];
  private byKey = new Map<string, number>();

  add(summary: ItemSummary): void {
    const item = this.items.length;
    this.items.push(summary);
    const seen = new Set<number>();
    const addField = (kind: FieldKind, text: string) => {
      if (!text) return;
      const key = `${kind}\u0000${text}`;
      let id = this.byKey.get(key);
      if (id === undefined) {
        const units = unitsOf(text);
        if (units.length === 0) return;
        id = this.fields.length;
        const chars = units.map((u) => u.ch);
        const syl = units.map((u) => u.syl);
        const sylAt: number[] = [];
        let at = 0;
        for (const x of syl) {
          sylAt.push(at);
          at += x.length;
        }
        this.fields.push({ kind, text, chars, str: chars.join(''), syl, py: syl.join(''), sylAt, items: [] });
        this.byKey.set(key, id);
      }
      if (!seen.has(id)) {
        seen.add(id);
        this.fields[id].items.push(item);
      }
    };
    addField('name', summary.name);
    for (const a of summary.aliases) addField('alias', a);
    for (const c of summary.cases) addField('case', c);
    addField('department', summary.department);
  }

  finish(): SearchIndex {
    return new SearchIndex(this.items, this.fields);
  }
}

export class SearchIndex {
  private readonly byChar = new Map<string, number[]>();
  private readonly bySyllable = new Map<string, number[]>();
  private readonly byInitial = new Map<string, number[]>();
  /** Letter pairs of each text's run-together pinyin → texts: a typo keeps most pairs, so this picks whom to compare. */
  private readonly byBigram = new Map<string, number[]>();
  private readonly counts: Uint16Array;
  /** Per-item best score of the current search, and what produced it; typed arrays so a keystroke allocates little. */
  private readonly score: Float64Array;
  private readonly via: Int32Array;
  private readonly kindOf: Uint8Array;
  /** Tie-break order fixed at build time: the hall's own items, then shorter names, then code. */
  private readonly tieRank: Uint32Array;
  /** Read letters as typos when the exact reading finds too little; off only to measure what it adds (bench/kiosk-search.ts). */
  typoTolerant = true;
  /** The previous pinyin search and the fields it matched, for narrowing on the next keystroke. */
  private last: { letters: string; fields: number[] } | null = null;

  static build(summaries: readonly ItemSummary[]): SearchIndex {
    const b = new SearchIndexBuilder();
    for (const s of summaries) b.add(s);
    return b.finish();
  }

  /** Builds in slices, yielding to the page between them so the home screen stays responsive. */
  static async buildAsync(summaries: readonly ItemSummary[], sliceMs = 12): Promise<SearchIndex> {
    const b = new SearchIndexBuilder();
    let t = performance.now();
    for (const s of summaries) {
      b.add(s);
      if (performance.now() - t > sliceMs) {
        await new Promise((r) => setTimeout(r, 0));
        t = performance.now();
      }
    }
    return b.finish();
  }

  constructor(
    private readonly items: readonly ItemSummary[],
    private readonly fields: readonly Field[],
  ) {
    fields.forEach((f, id) => {
      for (const ch of f.chars) if (isCjk(ch)) push(this.byChar, ch, id);
      for (const s of f.syl) {
        push(this.bySyllable, s, id);
        push(this.byInitial, s[0], id);
      }
      if (f.kind !== 'department') for (let i = 0; i + 1 < f.py.length; i++) push(this.byBigram, f.py.slice(i, i + 2), id);
    });
    this.counts = new Uint16Array(fields.length);
    this.score = new Float64Array(items.length);
    this.via = new Int32Array(items.length);
    this.kindOf = new Uint8Array(items.length);
    const order = items.map((_, i) => i);
    order.sort((a, b) => {
      const x = items[a];
      const y = items[b];
      return Number(y.hall) - Number(x.hall) || x.name.length - y.name.length || (x.code < y.code ? -1 : x.code > y.code ? 1 : 0);
    });
    this.tieRank = new Uint32Array(items.length);
    order.forEach((item, rank) => (this.tieRank[item] = rank));
  }

  get size(): number {
    return this.items.length;
  }

  search(raw: string, limit = 40): SearchOutput {
    const q = parseQuery(raw);
    if (q.kind === 'empty') {
      this.last = null;
      return { query: raw, total: 0, results: [] };
    }
    const touched: number[] = [];
    const offer = (fieldId: number, match: MatchKind, start: number, length: number, bonus = 0) => {
      const f = this.fields[fieldId];
      // A department is shared by hundreds of items: only a match of two or more of its characters counts.
      if (f.kind === 'department' && length < 2) return;
      // Matching the whole field, or its start, is what a citizen usually means.
      const coverage = length / f.chars.length;
      const score = KIND_WEIGHT[f.kind] * (MATCH_BASE[match] + (start === 0 ? 8 : 0) + 10 * coverage + bonus);
      // A far-fetched typo reading is noise under the one the citizen meant.
      if (match === 'typo' && score < TYPO_FLOOR) return;
      for (const item of f.items) {
        const prev = this.score[item];
        if (prev === 0) touched.push(item);
        else if (prev >= score) continue;
        this.score[item] = score;
        this.via[item] = fieldId;
        this.kindOf[item] = MATCH_KINDS.indexOf(match);
      }
    };
    let corrected: string | undefined;
    if (q.kind === 'chinese') this.searchChinese(q, offer);
    else {
      this.searchLetters(q, offer);
      const strong = touched.reduce((n, item) => n + (this.score[item] >= STRONG_SCORE ? 1 : 0), 0);
      if (this.typoTolerant && q.kind === 'pinyin' && strong < ENOUGH_STRONG) corrected = this.searchTypos(q.letters, offer);
    }

    const score = this.score;
    const rank = this.tieRank;
    touched.sort((a, b) => score[b] - score[a] || rank[a] - rank[b]);
    const results = touched.slice(0, limit).map((item): SearchResult => {
      const s = this.items[item];
      const f = this.fields[this.via[item]];
      return { code: s.code, name: s.name, department: s.department, score: score[item], match: MATCH_KINDS[this.kindOf[item]], via: f.kind, viaText: f.text };
    });
    for (const item of touched) score[item] = 0;
    // Say what the letters were taken for only when that reading leads the list.
    const lead = results[0];
    return { query: raw, total: touched.length, results, ...(corrected && lead?.match === 'typo' ? { corrected: lead.viaText } : {}) };
  }

  /**
   * Words of the catalogue that the letters spell, most frequent first: what the
   * on-screen pinyin keyboard offers (sbk → 社保卡, shebao → 社保). A kiosk's citizens type
   * the catalogue's own words, so its texts are the best dictionary the kiosk has.
   */
  phrases(letters: string, limit = 12): string[] {
    const q = letters.toLowerCase().replace(/[^a-z]/g, '');
    if (!q) return [];
    const freq = new Map<string, { n: number; full: number; lead: number }>();
    for (const id of this.byInitial.get(q[0]) ?? []) {
      const f = this.fields[id];
      if (f.kind === 'department') continue;
      const m = matchPinyin(f.syl, q);
      if (!m || m.length < 2) continue;
      const word = f.chars.slice(m.start, m.start + m.length).join('');
      if (![...word].every(isCjk)) continue;
      const prev = freq.get(word);
      // Spelt-out syllables beat prefixes: shebao is 社保 before 申报.
      // A phrase that opens a name or alias is a word people say; one found only inside
      // names may straddle two words (…工程师报考 gives 师报考 for sbk, not 社保卡).
      freq.set(word, { n: (prev?.n ?? 0) + f.items.length, full: Math.max(prev?.full ?? 0, m.full), lead: (prev?.lead ?? 0) + (m.start === 0 ? f.items.length : 0) });
    }
    const weight = (v: { n: number; lead: number }) => v.n + 2 * v.lead;
    return [...freq.entries()]
      .sort((a, b) => b[1].full - a[1].full || weight(b[1]) - weight(a[1]) || a[0].length - b[0].length)
      .slice(0, limit)
      .map(([w]) => w);
  }

  /** How often each Chinese character occurs in the catalogue's names, aliases and cases. */
  charFrequency(): Map<string, number> {
    const freq = new Map<string, number>();
    for (const f of this.fields) {
      if (f.kind === 'department') continue;
      for (const ch of f.chars) if (isCjk(ch)) freq.set(ch, (freq.get(ch) ?? 0) + f.items.length);
    }
    return freq;
  }

  private searchLetters(q: ParsedQuery, offer: (f: number, m: MatchKind, start: number, len: number, bonus?: number) => void): void {
    const whole = q.wholeSyllables.length ? new Map(q.wholeSyllables.map((w) => [w.from, w.to])) : null;
    const narrowing = q.kind === 'pinyin' && this.last && q.letters.startsWith(this.last.letters);
    const candidates = narrowing ? this.last!.fields : (this.byInitial.get(q.letters[0]) ?? []);
    const matched: number[] = [];
    for (const id of candidates) {
      const f = this.fields[id];
      const m = matchPinyin(f.syl, q.letters, whole);
      if (!m) continue;
      matched.push(id);
      const initials = m.full === 0 && q.letters.length === m.length && m.length > 1;
      // Inside a text, letters must read as initials, whole syllables, or whole syllables and
      // the one being typed: h-j-hao is a typo of huzhao, not 环境好 in the middle of a name.
      // The field still narrows the next keystroke, which may spell it out.
      if (m.start > 0 && m.full > 0 && m.full < m.length - 1) continue;
      offer(id, initials ? 'initials' : 'pinyin', m.start, m.length, 4 * (m.full / m.length));
    }
    this.last = q.kind === 'pinyin' ? { letters: q.letters, fields: matched } : null;
  }

  /**
   * Letters read as a typo of some text's pinyin (huzhoa, huzao, fuzhao → huzhao): within
   * the edit budget of their length, from a text's start or from a syllable inside it. Each edit lowers the score, so
   * a correct spelling always ranks first. Returns the text the best reading is of.
   */
  private searchTypos(letters: string, offer: (f: number, m: MatchKind, start: number, len: number, bonus?: number) => void): string | undefined {
    const max = editBudget(letters.length);
    if (max === 0) return undefined;
    // q-gram bound: one edit spoils at most three of the letter pairs (a swap), so a text
    // sharing fewer pairs than that leaves cannot be within the budget.
    const need = Math.max(1, letters.length - 1 - 3 * max);
    const touched: number[] = [];
    const pairs = new Set<string>();
    for (let i = 0; i + 1 < letters.length; i++) pairs.add(letters.slice(i, i + 2));
    for (const pair of pairs) {
      for (const id of this.byBigram.get(pair) ?? []) if (this.counts[id]++ === 0) touched.push(id);
    }
    let best: { edits: number; field: number } | null = null;
    for (const id of touched) {
      const shared = this.counts[id];
      this.counts[id] = 0;
      if (shared < need) continue;
      const f = this.fields[id];
      const q0 = letters.charCodeAt(0);
      const q1 = letters.charCodeAt(1);
      for (let s = 0; s < f.syl.length; s++) {
        // A text's start may carry any slip; inside a text the reading must begin with one of the first two letters typed (swapped or not).
        const c = f.py.charCodeAt(f.sylAt[s]);
        if (s > 0 && c !== q0 && c !== q1) continue;
        const d = prefixDistance(f.py, f.sylAt[s], letters, max);
        if (!d || d.edits === 0) continue;
        // Syllables the reading covers: every one it reaches into.
        let end = s + 1;
        while (end < f.syl.length && f.sylAt[end] < f.sylAt[s] + d.used) end++;
        offer(id, 'typo', s, end - s, -TYPO_EDIT_COST * d.edits);
        if (!best || d.edits < best.edits || (d.edits === best.edits && s === 0)) best = { edits: d.edits, field: id };
        break;
      }
    }
    return best ? this.fields[best.field].text : undefined;
  }

  private searchChinese(q: ParsedQuery, offer: (f: number, m: MatchKind, start: number, len: number, bonus?: number) => void): void {
    this.last = null;
    const chars = q.units.map((u) => u.ch);
    const str = chars.join('');
    const distinct = [...new Set(chars)];
    // With three or more characters one may be wrong; shorter queries would match too much.
    const tolerant = chars.length >= 3;
    const need = tolerant ? distinct.length - 1 : distinct.length;
    const touched: number[] = [];
    for (const ch of distinct) {
      for (const id of this.byChar.get(ch) ?? []) {
        if (this.counts[id]++ === 0) touched.push(id);
      }
    }
    const exact = new Set<number>();
    for (const id of touched) {
      const enough = this.counts[id] >= need;
      this.counts[id] = 0;
      if (!enough) continue;
      const f = this.fields[id];
      const at = f.str.indexOf(str);
      if (at >= 0) {
        exact.add(id);
        offer(id, 'exact', at, chars.length);
      } else if (tolerant) {
        const m = matchOneEdit(f.chars, chars);
        if (m) offer(id, 'fuzzy', m.start, m.length);
      }
    }
    // Same sounds, other characters: what a pinyin input method slip produces.
    if (chars.length >= 2) {
      const whole = new Map(q.wholeSyllables.map((w) => [w.from, w.to]));
      const syllables = [...new Set(q.units.map((u) => u.syl))];
      let candidates = this.bySyllable.get(syllables[0]) ?? [];
      for (const s of syllables.slice(1)) {
        const other = new Set(this.bySyllable.get(s) ?? []);
        candidates = candidates.filter((id) => other.has(id));
      }
      for (const id of candidates) {
        if (exact.has(id)) continue;
        const m = matchPinyin(this.fields[id].syl, q.letters, whole);
        if (m) offer(id, 'homophone', m.start, m.length);
      }
    }
  }
}
