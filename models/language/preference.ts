/**
 * A learned preference between the few best candidates of the lexical ranking.
 *
 * The lexical score sums coverage; it cannot weigh, say, "said most of the alias" against
 * "said every subject word of the name". A linear model over a dozen match features,
 * fitted pairwise (right candidate against each wrong one) on the dev and training
 * questions, does. bench/qa/fit-preference.ts fits it and writes preference-weights.ts.
 *
 * The model only reorders: it moves a candidate to the front when it prefers it to the
 * leader with at least PREFER_CONFIDENCE probability, and the promoted candidate takes the
 * leader's score slot, so acceptance thresholds and clarification margins keep meaning
 * what they meant. Acceptance still judges the promoted candidate's own coverage. It is
 * consulted only when the leader itself would be accepted: fitted on questions the
 * catalogue answers, it knows nothing of the ones it does not.
 */

/** The features, in the order the weights use. */
export const FEATURES = [
  'logScore', // ln of the lexical score
  'docCov', // share of the best field said
  'plainDocCov', // the same with procedure words discounted less
  'qCov', // share of the question the entry explains
  'run', // share of the question said as one stretch of a field
  'lookup', // the entry is a look-up (…查询)
  'unsaidOp', // its name states an operation the visitor did not say
  'hall', // an item of this hall's own list
  'subjectShare', // share of the question's subject words the entry has
  'anyShare', // share of all the question's word pairs the entry has
  'logTitleLength', // long names are seldom what a short question means
  'viaAlias', // found through an everyday alias, not its own name
  'faq', // a FAQ entry
  'place', // a place in the hall
] as const;

export type FeatureVector = number[];

export interface PreferenceModel {
  features: readonly string[];
  weights: number[];
}

/** Candidates the model looks at: the leader and the four behind it. */
export const PREFER_POOL = 5;

export function linear(model: PreferenceModel, f: FeatureVector): number {
  let s = 0;
  for (let i = 0; i < model.weights.length; i++) s += model.weights[i] * f[i];
  return s;
}

/** Probability that a is the right one rather than b, under the pairwise model. */
export function preferProbability(model: PreferenceModel, a: FeatureVector, b: FeatureVector): number {
  return 1 / (1 + Math.exp(-(linear(model, a) - linear(model, b))));
}

/**
 * Index of the candidate to put first: 0 (keep the leader) unless the model prefers
 * another with at least `confidence`.
 */
export function preferred(model: PreferenceModel, features: FeatureVector[], confidence: number): number {
  if (features.length < 2) return 0;
  let best = 0;
  for (let i = 1; i < features.length; i++) if (linear(model, features[i]) > linear(model, features[best])) best = i;
  return best !== 0 && preferProbability(model, features[best], features[0]) >= confidence ? best : 0;
}

/**
 * Fit a pairwise logistic model: each pair is (right − wrong) with label 1 and its mirror
 * with label 0. Features are scaled by their mean absolute difference so one L2 strength
 * suits them all; the returned weights apply to unscaled features.
 */
export function fitPairwise(pairs: { right: FeatureVector; wrong: FeatureVector }[], opts: { l2?: number; iterations?: number; rate?: number } = {}): number[] {
  const { l2 = 0.01, iterations = 3000, rate = 0.5 } = opts;
  if (pairs.length === 0) throw new Error('no pairs to fit');
  const d = pairs[0].right.length;
  const diffs = pairs.map((p) => p.right.map((x, i) => x - p.wrong[i]));
  const scale = new Array<number>(d).fill(0);
  for (const x of diffs) for (let i = 0; i < d; i++) scale[i] += Math.abs(x[i]) / diffs.length;
  for (let i = 0; i < d; i++) scale[i] = scale[i] > 1e-9 ? scale[i] : 1;
  const xs = diffs.map((x) => x.map((v, i) => v / scale[i]));
  const w = new Array<number>(d).fill(0);
  const grad = new Array<number>(d);
  for (let it = 0; it < iterations; it++) {
    grad.fill(0);
    for (const x of xs) {
      let z = 0;
      for (let i = 0; i < d; i++) z += w[i] * x[i];
      // The mirrored pair (−x, label 0) has the same gradient as (x, label 1), so it is not added.
      const p = 1 / (1 + Math.exp(-z));
      for (let i = 0; i < d; i++) grad[i] += (p - 1) * x[i];
    }
    for (let i = 0; i < d; i++) w[i] -= rate * (grad[i] / xs.length + l2 * w[i]);
  }
  return w.map((v, i) => v / scale[i]);
}
