/**
 * Fits the robot's learned preference among its best candidates (models/language/preference.ts)
 * and writes the weights to models/language/preference-weights.ts.
 *
 *   npm run bench:qa              # writes the question files with their splits and noisy copies
 *   node --import tsx bench/qa/fit-preference.ts [--dry-run] [--end-to-end]
 *
 * Only dev and training questions are used, clean and at 20 % noise; the held-out ones take
 * no part. Before writing, a five-fold cross-validation by subject (all questions about one
 * item in the same fold) reports how often the right candidate is first among the pool,
 * lexical order against the model's, so a fit that does not generalise is seen.
 *
 * A better order among five candidates need not mean more right answers: acceptance,
 * clarification and the promotion of a candidate that names more can undo it.
 * `--end-to-end` also asks every dev and training question of each fold of an engine
 * fitted on the other four, and reports top-1 and out-of-scope rejection against the
 * engine without the stage (about two minutes more).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfigDir } from '../../config/load.ts';
import { createEngine, knowledgeFromConfig } from '../../models/language/index.ts';
import { FEATURES, fitPairwise, linear, type FeatureVector, type PreferenceModel } from '../../models/language/preference.ts';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

interface Noisy {
  split: string;
  group: string;
  clean: string;
  text: string;
  expect: { kind: string; ids: string[] } | null;
}

interface Example {
  subject: string;
  candidates: { ok: boolean; features: FeatureVector }[];
}

const knowledge = knowledgeFromConfig(loadConfigDir());
const engine = createEngine(knowledge, { preference: null });
const examples: Example[] = [];
/** Every dev and training question as asked, for --end-to-end. */
const asked: { subject: string; text: string; right: ((m: { kind: string; id: string }) => boolean) | null }[] = [];
for (const [file, noisy] of [['noisy-10.jsonl', false], ['noisy-20.jsonl', true]] as const) {
  for (const line of readFileSync(here(`./${file}`), 'utf8').split('\n')) {
    if (!line) continue;
    const q = JSON.parse(line) as Noisy;
    if (q.split !== 'dev' && q.split !== 'train') continue;
    const expect = q.expect;
    const right = (kind: string, id: string) => !!expect && expect.ids.some((x) => (x.includes(':') ? x === `${kind}:${id}` : kind === expect.kind && x === id));
    if (q.group === 'oos') asked.push({ subject: `q:${q.clean}`, text: noisy ? q.text : q.clean, right: null });
    if (!expect || !['item', 'faq', 'place'].includes(q.group)) continue;
    asked.push({ subject: `${q.group}:${expect.ids[0]}`, text: noisy ? q.text : q.clean, right: (m) => right(m.kind, m.id) });
    const candidates = engine.preferenceCandidates(noisy ? q.text : q.clean).map((c) => ({ ok: right(c.kind, c.id), features: c.features }));
    examples.push({ subject: `${q.group}:${expect.ids[0]}`, candidates });
  }
}

const pairsOf = (set: Example[]) =>
  set.flatMap((e) => {
    const right = e.candidates.find((c) => c.ok);
    return right ? e.candidates.filter((c) => !c.ok).map((c) => ({ right: right.features, wrong: c.features })) : [];
  });

const firstRight = (set: Example[], model: PreferenceModel | null) =>
  set.filter((e) => {
    if (e.candidates.length === 0) return false;
    let best = 0;
    if (model) e.candidates.forEach((c, i) => linear(model, c.features) > linear(model, e.candidates[best].features) && (best = i));
    return e.candidates[best].ok;
  }).length;

const fold = (subject: string) => {
  let h = 0x811c9dc5;
  for (const c of subject) h = Math.imul(h ^ c.codePointAt(0)!, 0x01000193) >>> 0;
  return h % 5;
};

let lexical = 0;
let learned = 0;
for (let k = 0; k < 5; k++) {
  const test = examples.filter((e) => fold(e.subject) === k);
  const train = examples.filter((e) => fold(e.subject) !== k);
  const model = { features: FEATURES, weights: fitPairwise(pairsOf(train)) };
  lexical += firstRight(test, null);
  learned += firstRight(test, model);
}
const pct = (n: number) => `${((100 * n) / examples.length).toFixed(1)} %`;
console.log(`${examples.length} questions (dev and training, clean and 20 % noise); right candidate first, five-fold by subject: lexical order ${pct(lexical)}, learned preference ${pct(learned)}`);

if (process.argv.includes('--end-to-end')) {
  const tally = { without: { ok: 0, rejected: 0 }, with: { ok: 0, rejected: 0 }, inScope: 0, oos: 0 };
  for (let k = 0; k < 5; k++) {
    const model = { features: FEATURES, weights: fitPairwise(pairsOf(examples.filter((e) => fold(e.subject) !== k))) };
    const fitted = createEngine(knowledge, { preference: model });
    for (const q of asked.filter((a) => fold(a.subject) === k)) {
      if (q.right) tally.inScope++;
      else tally.oos++;
      for (const [key, e] of [['without', engine], ['with', fitted]] as const) {
        const a = await e.ask(q.text);
        if (q.right) tally[key].ok += a.match && q.right(a.match) ? 1 : 0;
        else tally[key].rejected += a.intent === 'out-of-scope' && !a.match ? 1 : 0;
      }
    }
  }
  const share = (n: number, d: number) => `${((100 * n) / d).toFixed(2)} %`;
  console.log(
    `end to end, five-fold by subject (${tally.inScope} in scope, ${tally.oos} out of scope): top-1 ${share(tally.without.ok, tally.inScope)} without the stage, ${share(tally.with.ok, tally.inScope)} with it; out-of-scope rejected ${share(tally.without.rejected, tally.oos)} → ${share(tally.with.rejected, tally.oos)}`,
  );
}

const weights = fitPairwise(pairsOf(examples));
console.log(FEATURES.map((f, i) => `${f} ${weights[i].toFixed(3)}`).join(', '));
if (!process.argv.includes('--dry-run')) {
  const file = fileURLToPath(new URL('../../models/language/preference-weights.ts', import.meta.url));
  const body = [
    '// Written by bench/qa/fit-preference.ts from the dev and training questions; refit rather than edit.',
    `// Cross-validated (five folds by subject): right candidate first ${pct(lexical)} in lexical order, ${pct(learned)} with these weights.`,
    "import type { PreferenceModel } from './preference.ts';",
    '',
    'export const PREFERENCE: PreferenceModel | null = {',
    `  features: ${JSON.stringify(FEATURES)},`,
    `  weights: [${weights.map((w) => Number(w.toFixed(4))).join(', ')}],`,
    '};',
    '',
  ].join('\n');
  writeFileSync(file, body);
  console.log(`wrote ${file}`);
}
