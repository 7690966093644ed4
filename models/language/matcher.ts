/**
 * The lexical index over items (name, aliases, sub-cases), FAQ entries and places,
 * built once per knowledge base.
 *
 * Retrieval counts shared (fuzzy) syllables through an inverted index; the few hundred
 * best fields are then scored by coverage: how much of the field a question covers and
 * how much of the question the field explains. Coverage is order-free but local: a
 * character earns full credit when it and a neighbour are matched as a pair anywhere in
 * the question (so 补办社保卡 and 社保卡怎么补办 score alike), half credit when matched
 * alone. Characters count by rarity, and administrative boilerplate (申请、办理、许可…)
 * counts little, because visitors name the thing, not the procedure.
 */
import type { QueryUnit, Unit } from './pinyin.ts';
import { THRESHOLDS } from './thresholds.ts';

export interface Field {
  entity: number;
  /** Index of the item's sub-case this field names, or -1. */
  caseIdx: number;
  units: Unit[];
  /** Weight of each unit (rarity × boilerplate discount). */
  weights: Float64Array;
  /** The field scored against itself: the denominator of its coverage. */
  self: number;
  /** Weights and self score with the discount held at GATE_FLOOR or above: what acceptance judges coverage by. */
  plainWeights: Float64Array;
  plainSelf: number;
  prior: number;
  /**
   * Share of credit this field gives in whole-entry coverage. Below 1 for context fields
   * (the item's department): never searched on their own, they only help an entry that
   * its name already found explain the rest of the question (海关那边 … 企业基本情况).
   */
  credit: number;
  /** An everyday name written for the entry rather than its own name: acceptance asks more of it. */
  alias: boolean;
}

export interface FieldScore {
  field: number;
  score: number;
  docCov: number;
  /** docCov with procedure words discounted less (GATE_FLOOR): the coverage acceptance judges. */
  plainDocCov: number;
  qCov: number;
}

/** Function characters: they join words and name nothing. */
const FUNCTION_CHARS = new Set([...'的及和与或之']);
const { functionWeight: FUNCTION_WEIGHT, genericFloor: GENERIC_FLOOR, distinctSpread: DISTINCT_SPREAD, gateFloor: GATE_FLOOR, spreadScale: SPREAD_SCALE } = THRESHOLDS;

/**
 * How much each character pair of the catalogue's names distinguishes, from the catalogue
 * itself: a pair that many departments use in their item names (申请, 许可, 查询, 考试)
 * names a procedure, not a subject, while one that a single department owns (公证, 护士,
 * 伤残) names what the visitor wants. The factor falls from 1 (one department) towards
 * GENERIC_FLOOR as the number of departments grows. Counting departments rather than
 * items keeps a large department's own vocabulary (公证 in 199 names of one office) strong.
 */
export function pairSpread(entries: { name: string; department: string }[]): Map<string, number> {
  const depts = new Map<string, Set<string>>();
  for (const e of entries) {
    const chars = [...e.name];
    for (let i = 0; i + 1 < chars.length; i++) {
      const pair = chars[i] + chars[i + 1];
      let s = depts.get(pair);
      if (!s) depts.set(pair, (s = new Set()));
      s.add(e.department);
    }
  }
  const out = new Map<string, number>();
  for (const [pair, s] of depts) {
    const f = Math.max(GENERIC_FLOOR, 1 / (1 + (s.size - 1) / SPREAD_SCALE));
    if (f < 1) out.set(pair, f);
  }
  return out;
}

/** Per-unit discount of a text: the most generic pair a character belongs to, function characters low. */
export function genericDiscount(chars: readonly string[], spread: ReadonlyMap<string, number>): Float64Array {
  const d = new Float64Array(chars.length).fill(1);
  for (let i = 0; i < chars.length; i++) {
    if (FUNCTION_CHARS.has(chars[i])) d[i] = Math.min(d[i], FUNCTION_WEIGHT);
    if (i + 1 < chars.length) {
      const f = spread.get(chars[i] + chars[i + 1]);
      if (f !== undefined) {
        if (f < d[i]) d[i] = f;
        if (f < d[i + 1]) d[i + 1] = f;
      }
    }
  }
  return d;
}

const { homophone: HOMOPHONE, nearSound: NEAR, lone: LONE } = THRESHOLDS;

function unitMatch(q: QueryUnit, d: Unit): number {
  if (q.char === d.char) return 1;
  if (q.readings.has(d.syl)) return HOMOPHONE;
  if (q.fuzzyReadings.has(d.fuzzy)) return NEAR;
  return 0;
}

export class LexicalIndex {
  readonly fields: Field[] = [];
  private readonly charDf = new Map<string, number>();
  private readonly sylDf = new Map<string, number>();
  private readonly postings = new Map<string, number[]>();
  private maxIdf = 1;
  private frozen = false;
  private spread: ReadonlyMap<string, number> = new Map();
  private searchable = 0;
  private readonly weightMemo = new WeakMap<QueryUnit[], Float64Array>();

  add(entity: number, caseIdx: number, units: Unit[], prior = 1, alias = false): void {
    if (this.frozen) throw new Error('index already built');
    if (units.length === 0) return;
    this.fields.push({ entity, caseIdx, units, weights: new Float64Array(0), self: 0, plainWeights: new Float64Array(0), plainSelf: 0, prior, credit: 1, alias });
  }

  /** A context field: counted in unionCoverage at `credit`, never searched, no part of the rarities. */
  addContext(entity: number, units: Unit[], credit: number): void {
    if (this.frozen) throw new Error('index already built');
    if (units.length === 0) return;
    this.fields.push({ entity, caseIdx: -1, units, weights: new Float64Array(0), self: 0, plainWeights: new Float64Array(0), plainSelf: 0, prior: 0, credit, alias: false });
  }

  /** Compute rarities, weights and postings; call once after every add. `spread` comes from pairSpread. */
  build(spread: ReadonlyMap<string, number> = new Map()): void {
    this.spread = spread;
    const n = this.fields.filter((f) => f.credit === 1).length;
    this.fields.forEach((f, fi) => {
      if (f.credit < 1) return;
      for (const c of new Set(f.units.map((u) => u.char))) this.charDf.set(c, (this.charDf.get(c) ?? 0) + 1);
      for (const s of new Set(f.units.map((u) => u.fuzzy))) {
        this.sylDf.set(s, (this.sylDf.get(s) ?? 0) + 1);
        let p = this.postings.get(s);
        if (!p) this.postings.set(s, (p = []));
        p.push(fi);
      }
    });
    this.maxIdf = Math.log(1 + n);
    this.searchable = n;
    for (const f of this.fields) {
      const chars = f.units.map((u) => u.char);
      const discount = genericDiscount(chars, spread);
      const plain = discount.map((d) => Math.max(d, GATE_FLOOR));
      f.weights = Float64Array.from(f.units, (u, i) => this.charIdf(u.char) * discount[i]);
      f.self = selfScore(f.weights);
      f.plainWeights = Float64Array.from(f.units, (u, i) => this.charIdf(u.char) * plain[i]);
      f.plainSelf = selfScore(f.plainWeights);
    }
    this.frozen = true;
  }

  charIdf(char: string): number {
    const df = this.charDf.get(char);
    return df ? Math.log(1 + this.searchable / df) : this.maxIdf;
  }

  /** Pairs of neighbouring units of an entity's own fields, as sounds (fuzzy syllables) and as characters. */
  soundPairs(fields: readonly number[]): Set<string> {
    const out = new Set<string>();
    for (const fi of fields) {
      const f = this.fields[fi];
      if (f.credit < 1) continue;
      for (let j = 0; j + 1 < f.units.length; j++) {
        out.add(`${f.units[j].fuzzy} ${f.units[j + 1].fuzzy}`);
        out.add(f.units[j].char + f.units[j + 1].char);
      }
    }
    return out;
  }

  /** Sound pairs of a question that name a subject rather than a procedure (their characters' pair is not spread over departments). */
  distinctivePairs(query: QueryUnit[], minSpread: number = DISTINCT_SPREAD): { key: string; chars: string; at: number; weight: number }[] {
    const out: { key: string; chars: string; at: number; weight: number }[] = [];
    for (let i = 0; i + 1 < query.length; i++) {
      if ((this.spread.get(query[i].char + query[i + 1].char) ?? 1) < minSpread) continue;
      const weight = this.queryWeight(query[i]) + this.queryWeight(query[i + 1]);
      for (const a of query[i].fuzzyReadings) for (const b of query[i + 1].fuzzyReadings) out.push({ key: `${a} ${b}`, chars: query[i].char + query[i + 1].char, at: i, weight });
    }
    return out;
  }

  /**
   * Weights of a question's units: rarity alone. The spread discount is for the fields;
   * applied to the question too it made the coverage of what the visitor said depend on
   * words the stop list and cue finder mostly remove already, and cost dev accuracy.
   */
  queryWeights(query: QueryUnit[]): Float64Array {
    // One question is weighed for every candidate it is compared with: keep its weights.
    let w = this.weightMemo.get(query);
    if (!w) this.weightMemo.set(query, (w = Float64Array.from(query, (u) => this.queryWeight(u))));
    return w;
  }

  /** Weight of a question unit: its character's rarity, or its sound's when the character is unknown (a mishearing). */
  queryWeight(u: QueryUnit): number {
    const df = this.charDf.get(u.char);
    if (df) return Math.log(1 + this.searchable / df);
    let best = 0;
    for (const s of u.fuzzyReadings) best = Math.max(best, this.sylDf.get(s) ?? 0);
    return best ? Math.log(1 + this.searchable / best) : this.maxIdf;
  }

  /**
   * How much of the question several fields of one entry explain together, each unit
   * credited by the field that explains it best. An entry is its name, aliases and
   * sub-cases (or a FAQ question and its keywords): a visitor who says 手语翻译 is
   * answered by the entry whose keywords are 手语 and 翻译 even though no one field
   * holds both.
   */
  unionCoverage(query: QueryUnit[], fields: readonly number[], context = true): number {
    if (query.length === 0 || fields.length === 0) return 0;
    const qWeights = this.queryWeights(query);
    const qSelf = selfScore(qWeights);
    const byFuzzy = fuzzyPositions(query);
    const best = new Float64Array(query.length);
    for (const fi of fields) {
      const f = this.fields[fi];
      if (f.credit < 1 && !context) continue;
      const { qry } = coverage(query, f.units, byFuzzy);
      for (let i = 0; i < qry.length; i++) if (qry[i] * f.credit > best[i]) best[i] = qry[i] * f.credit;
    }
    let b = 0;
    for (let i = 0; i < best.length; i++) b += best[i] * qWeights[i];
    return qSelf > 0 ? Math.min(1, b / qSelf) : 0;
  }

  /**
   * The heaviest stretch of one field that the question says in one piece, as a share of
   * the question's weight: 护士执业证书 said as such is stronger evidence than 护士 … 证书
   * scattered, which coverage alone scores alike. Matching is by sound, so a misheard
   * character inside the stretch does not break it.
   */
  runShare(query: QueryUnit[], fields: readonly number[]): number {
    if (query.length < 2) return 0;
    const qWeights = this.queryWeights(query);
    const qSelf = selfScore(qWeights);
    if (qSelf <= 0) return 0;
    let best = 0;
    // Two rows of the dynamic programme, reused across fields: this runs for every leading candidate.
    let width = 0;
    for (const fi of fields) width = Math.max(width, this.fields[fi].units.length + 1);
    let prev = new Float64Array(width);
    let cur = new Float64Array(width);
    let prevLen = new Int32Array(width);
    let curLen = new Int32Array(width);
    for (const fi of fields) {
      const f = this.fields[fi];
      if (f.credit < 1) continue;
      const d = f.units;
      // prev[j]: weight of the run ending at query i-1, field j-1.
      prev.fill(0);
      prevLen.fill(0);
      for (let i = 0; i < query.length; i++) {
        cur.fill(0);
        curLen.fill(0);
        for (let j = 0; j < d.length; j++) {
          const m = unitMatch(query[i], d[j]);
          if (m === 0) continue;
          cur[j + 1] = prev[j] + m * qWeights[i];
          curLen[j + 1] = prevLen[j] + 1;
          if (curLen[j + 1] >= 2 && cur[j + 1] > best) best = cur[j + 1];
        }
        [prev, cur] = [cur, prev];
        [prevLen, curLen] = [curLen, prevLen];
      }
    }
    return Math.min(1, best / qSelf);
  }

  /** Best fields for a question, best first. */
  search(query: QueryUnit[], limit = 200): FieldScore[] {
    if (!this.frozen) throw new Error('index not built');
    if (query.length === 0) return [];
    const acc = new Float64Array(this.fields.length);
    const touched: number[] = [];
    const seen = new Set<string>();
    for (const u of query) {
      for (const s of u.fuzzyReadings) {
        if (seen.has(s)) continue;
        seen.add(s);
        const p = this.postings.get(s);
        if (!p) continue;
        const idf = Math.log(1 + this.searchable / p.length);
        for (const fi of p) {
          if (acc[fi] === 0) touched.push(fi);
          acc[fi] += idf;
        }
      }
    }
    touched.sort((a, b) => acc[b] - acc[a]);
    const pool = touched.slice(0, limit * 2);
    const qWeights = this.queryWeights(query);
    const qSelf = selfScore(qWeights);
    const byFuzzy = fuzzyPositions(query);
    const out: FieldScore[] = [];
    for (const fi of pool) {
      const f = this.fields[fi];
      const { doc, qry } = coverage(query, f.units, byFuzzy);
      let a = 0;
      let ap = 0;
      for (let j = 0; j < doc.length; j++) {
        a += doc[j] * f.weights[j];
        ap += doc[j] * f.plainWeights[j];
      }
      let b = 0;
      for (let i = 0; i < qry.length; i++) b += qry[i] * qWeights[i];
      const docCov = f.self > 0 ? Math.min(1, a / f.self) : 0;
      const qCov = qSelf > 0 ? Math.min(1, b / qSelf) : 0;
      if (docCov === 0) continue;
      const score = f.prior * Math.pow(docCov, THRESHOLDS.docCoverageExponent) * Math.pow(qCov, THRESHOLDS.questionCoverageExponent);
      out.push({ field: fi, score, docCov, plainDocCov: f.plainSelf > 0 ? Math.min(1, ap / f.plainSelf) : 0, qCov });
    }
    out.sort((x, y) => y.score - x.score);
    return out.slice(0, limit);
  }
}

/** Positions of the question's units under each of their fuzzy readings. */
export function fuzzyPositions(query: QueryUnit[]): Map<string, number[]> {
  const byFuzzy = new Map<string, number[]>();
  query.forEach((u, i) => {
    for (const s of u.fuzzyReadings) {
      let l = byFuzzy.get(s);
      if (!l) byFuzzy.set(s, (l = []));
      l.push(i);
    }
  });
  return byFuzzy;
}

/** Credit of a text matched against itself: every unit paired, or alone when the text is one unit. */
function selfScore(weights: Float64Array): number {
  let s = 0;
  for (let i = 0; i < weights.length; i++) s += weights[i];
  return weights.length === 1 ? s * LONE : s;
}

/**
 * Per-unit credit on both sides: 1 × match quality when the unit and a neighbour match
 * a neighbouring pair in the other text, LONE × quality when only the unit matches.
 */
export function coverage(query: QueryUnit[], doc: Unit[], byFuzzy: Map<string, number[]>): { doc: Float64Array; qry: Float64Array } {
  const dc = new Float64Array(doc.length);
  const qc = new Float64Array(query.length);
  for (let j = 0; j < doc.length; j++) {
    const cands = byFuzzy.get(doc[j].fuzzy);
    if (!cands) continue;
    for (const i of cands) {
      const m = unitMatch(query[i], doc[j]);
      if (m === 0) continue;
      const lone = LONE * m;
      if (lone > dc[j]) dc[j] = lone;
      if (lone > qc[i]) qc[i] = lone;
      // Pair with the next unit on both sides.
      if (j + 1 < doc.length && i + 1 < query.length) {
        const m2 = unitMatch(query[i + 1], doc[j + 1]);
        if (m2 > 0) {
          const pair = Math.min(m, m2);
          const p1 = Math.max(pair, m * 0.5 + pair * 0.5);
          const p2 = Math.max(pair, m2 * 0.5 + pair * 0.5);
          if (p1 > dc[j]) dc[j] = p1;
          if (p2 > dc[j + 1]) dc[j + 1] = p2;
          if (p1 > qc[i]) qc[i] = p1;
          if (p2 > qc[i + 1]) qc[i + 1] = p2;
        }
      }
    }
  }
  return { doc: dc, qry: qc };
}
