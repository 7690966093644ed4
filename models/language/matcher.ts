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

export interface Field {
  entity: number;
  /** Index of the item's sub-case this field names, or -1. */
  caseIdx: number;
  units: Unit[];
  /** Weight of each unit (rarity × boilerplate discount). */
  weights: Float64Array;
  /** The field scored against itself: the denominator of its coverage. */
  self: number;
  prior: number;
}

export interface FieldScore {
  field: number;
  score: number;
  docCov: number;
  qCov: number;
}

/** Words of the catalogue's procedure vocabulary: they distinguish little. */
export const BOILERPLATE = [
  '申请', '申领', '办理', '审批', '许可', '核准', '核发', '登记', '备案', '认定', '证明', '查询', '服务', '事项', '管理',
  '确认', '审核', '颁发', '发放', '信息', '手续', '业务', '广东省', '广州市', '省级', '市级', '有关', '相关', '的', '及', '和', '与', '或',
];

const HOMOPHONE = 0.85;
const NEAR = 0.65;
const LONE = 0.5;

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

  add(entity: number, caseIdx: number, units: Unit[], prior = 1): void {
    if (this.frozen) throw new Error('index already built');
    if (units.length === 0) return;
    this.fields.push({ entity, caseIdx, units, weights: new Float64Array(0), self: 0, prior });
  }

  /** Compute rarities, weights and postings; call once after every add. */
  build(): void {
    const n = this.fields.length;
    this.fields.forEach((f, fi) => {
      for (const c of new Set(f.units.map((u) => u.char))) this.charDf.set(c, (this.charDf.get(c) ?? 0) + 1);
      for (const s of new Set(f.units.map((u) => u.fuzzy))) {
        this.sylDf.set(s, (this.sylDf.get(s) ?? 0) + 1);
        let p = this.postings.get(s);
        if (!p) this.postings.set(s, (p = []));
        p.push(fi);
      }
    });
    this.maxIdf = Math.log(1 + n);
    for (const f of this.fields) {
      const text = f.units.map((u) => u.char).join('');
      const discount = new Float64Array(f.units.length).fill(1);
      for (const w of BOILERPLATE) {
        for (let at = text.indexOf(w); at >= 0; at = text.indexOf(w, at + 1)) for (let k = 0; k < w.length; k++) discount[at + k] = 0.3;
      }
      f.weights = Float64Array.from(f.units, (u, i) => this.charIdf(u.char) * discount[i]);
      f.self = selfScore(f.weights);
    }
    this.frozen = true;
  }

  charIdf(char: string): number {
    const df = this.charDf.get(char);
    return df ? Math.log(1 + this.fields.length / df) : this.maxIdf;
  }

  /** Weight of a question unit: its character's rarity, or its sound's when the character is unknown (a mishearing). */
  queryWeight(u: QueryUnit): number {
    const df = this.charDf.get(u.char);
    if (df) return Math.log(1 + this.fields.length / df);
    let best = 0;
    for (const s of u.fuzzyReadings) best = Math.max(best, this.sylDf.get(s) ?? 0);
    return best ? Math.log(1 + this.fields.length / best) : this.maxIdf;
  }

  /**
   * How much of the question several fields of one entry explain together, each unit
   * credited by the field that explains it best. An entry is its name, aliases and
   * sub-cases (or a FAQ question and its keywords): a visitor who says 手语翻译 is
   * answered by the entry whose keywords are 手语 and 翻译 even though no one field
   * holds both.
   */
  unionCoverage(query: QueryUnit[], fields: readonly number[]): number {
    if (query.length === 0 || fields.length === 0) return 0;
    const qWeights = Float64Array.from(query, (u) => this.queryWeight(u));
    const qSelf = selfScore(qWeights);
    const byFuzzy = fuzzyPositions(query);
    const best = new Float64Array(query.length);
    for (const fi of fields) {
      const { qry } = coverage(query, this.fields[fi].units, byFuzzy);
      for (let i = 0; i < qry.length; i++) if (qry[i] > best[i]) best[i] = qry[i];
    }
    let b = 0;
    for (let i = 0; i < best.length; i++) b += best[i] * qWeights[i];
    return qSelf > 0 ? Math.min(1, b / qSelf) : 0;
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
        const idf = Math.log(1 + this.fields.length / p.length);
        for (const fi of p) {
          if (acc[fi] === 0) touched.push(fi);
          acc[fi] += idf;
        }
      }
    }
    touched.sort((a, b) => acc[b] - acc[a]);
    const pool = touched.slice(0, limit * 2);
    const qWeights = Float64Array.from(query, (u) => this.queryWeight(u));
    const qSelf = selfScore(qWeights);
    const byFuzzy = fuzzyPositions(query);
    const out: FieldScore[] = [];
    for (const fi of pool) {
      const f = this.fields[fi];
      const { doc, qry } = coverage(query, f.units, byFuzzy);
      let a = 0;
      for (let j = 0; j < doc.length; j++) a += doc[j] * f.weights[j];
      let b = 0;
      for (let i = 0; i < qry.length; i++) b += qry[i] * qWeights[i];
      const docCov = f.self > 0 ? Math.min(1, a / f.self) : 0;
      const qCov = qSelf > 0 ? Math.min(1, b / qSelf) : 0;
      if (docCov === 0) continue;
      const score = f.prior * Math.pow(docCov, 0.4) * Math.pow(qCov, 0.6);
      out.push({ field: fi, score, docCov, qCov });
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
