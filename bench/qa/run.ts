/**
 * The question-answering benchmark: `node --import tsx bench/qa/run.ts`.
 *
 * Asks the engine, over the full default hall (2,033 items, FAQ, places), every
 * question of bench/qa/questions.json clean and with homophone noise at 10 % and 20 %
 * of characters, and the BM25 baseline the same item questions. Writes the noisy sets
 * next to the questions (deterministic, seeded), prints the figures and replaces the
 * qa section of docs/benchmarks.md. Exit code 1 when a floor of issue 6 is missed.
 *
 * The questions are split into a dev half, which engine work may look at, and a
 * held-out test half, which it must not: the split is by subject (every question about
 * one item, FAQ entry or place falls on the same side), so a synonym or alias added
 * for a dev failure cannot lift a test question about the same thing. `--failures`
 * lists dev misses only; `--failures=test` (or fresh, held, all) exists for the final
 * report, not for tuning.
 *
 * `--tuning` asks the dev and training questions only and writes nothing: the figures a
 * change may be chosen on, with the held-out ones never computed, so they cannot sway it.
 * It prints top-1 and out-of-scope rejection over both, clean and at 20 % noise, and one
 * number to compare runs by (out-of-scope questions counted twice: answering a question
 * the hall has no answer for misleads a visitor more than sending them to staff does).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cpus } from 'node:os';
import { loadConfigDir } from '../../config/load.ts';
import { createEngine, knowledgeFromConfig, type Answer } from '../../models/language/index.ts';
import { Bm25Baseline } from './baseline.ts';
import { Homophones, rng } from './noise.ts';
import { writeSection } from '../report.ts';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

interface Authoring {
  items: { name: string; case?: string; intent?: string; q: string[] }[];
  faq: { id: string; q: string[] }[];
  places: { id: string; q: string[] }[];
  windows: { id: string; q: string[] }[];
  intents: { intent: string; q: string[] }[];
  outOfScope: string[];
}

type Split = 'dev' | 'test' | 'fresh' | 'train';

interface Question {
  text: string;
  split: Split;
  group: 'item' | 'faq' | 'place' | 'window' | 'intent' | 'oos';
  /** Acceptable answers as kind:id; an id without a kind has the group's kind. */
  expect: { kind: 'item' | 'faq' | 'place'; ids: string[] } | null;
  caseName?: string;
  intent?: string;
}

const t0 = performance.now();
const tuning = process.argv.includes('--tuning');
/** `--failures` lists the misses of one split: dev unless `--failures=<split>` names another. */
const listed = process.argv.find((a) => a.startsWith('--failures'));
const listSplit = (listed?.startsWith('--failures=') ? listed.slice('--failures='.length) : 'dev') as Split | 'all' | 'held';
const config = loadConfigDir();
const items = config.catalogue.items;
const byName = new Map<string, string[]>();
for (const i of items) byName.set(i.name, [...(byName.get(i.name) ?? []), i.code]);

/** FNV-1a: a split that depends only on the subject's key, stable across runs and machines. */
function splitOf(key: string): Split {
  let h = 0x811c9dc5;
  for (const c of key) h = Math.imul(h ^ c.codePointAt(0)!, 0x01000193) >>> 0;
  return h % 100 < 55 ? 'dev' : 'test';
}

function addQuestions(authoring: Authoring, splitFor: (key: string) => Split): void {
  for (const g of authoring.items) {
    const ids = g.name.split('|').flatMap((n) => {
      const codes = byName.get(n);
      if (!codes) throw new Error(`questions name an item the catalogue lacks: ${n}`);
      return codes;
    });
    // Keyed by the first name so every sub-case group of one item lands on the same side.
    const split = splitFor(`item:${g.name.split('|')[0]}`);
    for (const text of g.q) questions.push({ text, split, group: 'item', expect: { kind: 'item', ids }, caseName: g.case, intent: g.intent });
  }
  for (const g of authoring.faq) for (const text of g.q) questions.push({ text, split: splitFor(`faq:${g.id}`), group: 'faq', expect: { kind: 'faq', ids: g.id.split('|') } });
  for (const g of authoring.places) for (const text of g.q) questions.push({ text, split: splitFor(`place:${g.id}`), group: 'place', expect: { kind: 'place', ids: g.id.split('|') } });
  for (const g of authoring.windows) for (const text of g.q) questions.push({ text, split: splitFor(`window:${g.id}`), group: 'window', expect: { kind: 'place', ids: [g.id] }, intent: 'navigate' });
  // Intents and out-of-scope questions have no subject to share: split one by one.
  for (const g of authoring.intents) for (const text of g.q) questions.push({ text, split: splitFor(`q:${text}`), group: 'intent', expect: null, intent: g.intent });
  for (const text of authoring.outOfScope) questions.push({ text, split: splitFor(`q:${text}`), group: 'oos', expect: null, intent: 'out-of-scope' });
}

const questions: Question[] = [];
addQuestions(JSON.parse(readFileSync(here('./questions.json'), 'utf8')) as Authoring, splitOf);
// Written after tuning on dev had begun and never looked at while tuning: held out whole.
addQuestions(JSON.parse(readFileSync(here('./questions-fresh.json'), 'utf8')) as Authoring, () => 'fresh');
// A larger draw of items no earlier question names, one question each, written before the
// ranking work that followed it: held out whole, like the file above.
addQuestions(JSON.parse(readFileSync(here('./questions-fresh-2.json'), 'utf8')) as Authoring, () => 'fresh');
// Training questions about items no evaluation question names, written to be studied: their
// misses may be read and the engine changed for them. They are reported apart and never
// counted in 'all' or in the floors.
addQuestions(JSON.parse(readFileSync(here('./questions-train.json'), 'utf8')) as Authoring, () => 'train');

// Noisy copies, seeded per level.
const homophones = new Homophones(items.flatMap((i) => [i.name, i.conditions, ...i.materials.map((m) => m.name)]));
// A third of the substitutions are near-homophones (zh/z, n/l, in/ing, …): accents and a
// small acoustic model blur those distinctions about as often as they confuse homophones.
const NEAR_SHARE = 0.3;
const levels = [
  { name: 'clean', rate: 0, seed: 0 },
  { name: '10 % noise', rate: 0.1, seed: 10 },
  { name: '20 % noise', rate: 0.2, seed: 20 },
];
const sets = levels.map((l) => {
  const random = rng(l.seed);
  let replaced = 0;
  let near = 0;
  let chars = 0;
  const qs = questions.map((q) => {
    if (l.rate === 0) return q;
    const r = homophones.corrupt(q.text, l.rate, random, NEAR_SHARE);
    // The rates shown describe the evaluation questions; training ones are corrupted alike but not counted.
    if (q.split !== 'train') {
      replaced += r.replaced;
      near += r.near;
      chars += r.chars;
    }
    return { ...q, text: r.text };
  });
  if (l.rate > 0 && !tuning) {
    const file = here(`./noisy-${Math.round(l.rate * 100)}.jsonl`);
    writeFileSync(file, qs.map((q, i) => JSON.stringify({ text: q.text, clean: questions[i].text, split: q.split, group: q.group, expect: q.expect, case: q.caseName, intent: q.intent })).join('\n') + '\n');
  }
  return { ...l, qs, actual: chars ? replaced / chars : 0, nearShare: replaced ? near / replaced : 0 };
});

const heapBefore = process.memoryUsage();
const tBuild = performance.now();
const engine = createEngine(knowledgeFromConfig(config), { contextSeconds: config.robot.contextSeconds, robotName: config.robot.name });
const buildMs = performance.now() - tBuild;
const mem = process.memoryUsage();
const baseline = new Bm25Baseline(items);

// Warm up the JIT on questions outside the set so the first measured ones are not penalised.
for (const w of ['社保卡怎么办', '洗手间在哪', '天气如何', '护照要带什么', '公积金提取要多久']) await engine.ask(w);

const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)} %` : '–');
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

interface Score {
  level: string;
  split: Split | 'all' | 'held';
  actual: number;
  nearShare: number;
  questions: number;
  inScope: number;
  top1: number;
  top3: number;
  clarified: number;
  itemN: number;
  itemTop1: number;
  caseN: number;
  caseOk: number;
  intentN: number;
  intentOk: number;
  oosN: number;
  oosRejected: number;
  falseReject: number;
  baseTop1: number;
  baseTop3: number;
  latencies: number[];
  failures: string[];
}

const hit = (a: { kind: string; id: string } | null | undefined, e: Question['expect']) =>
  !!a && !!e && e.ids.some((x) => (x.includes(':') ? x === `${a.kind}:${a.id}` : a.kind === e.kind && x === a.id));

const SPLITS = ['all', 'dev', 'held', 'test', 'fresh', 'train'] as const;
const scores: Score[] = [];
for (const set of sets) {
  const bySplit = new Map(
    SPLITS.map((split) => [split, { level: set.name, split, actual: set.actual, nearShare: set.nearShare, questions: 0, inScope: 0, top1: 0, top3: 0, clarified: 0, itemN: 0, itemTop1: 0, caseN: 0, caseOk: 0, intentN: 0, intentOk: 0, oosN: 0, oosRejected: 0, falseReject: 0, baseTop1: 0, baseTop3: 0, latencies: [], failures: [] } as Score]),
  );
  for (const q of set.qs) {
    if (tuning && q.split !== 'dev' && q.split !== 'train') continue;
    const t = performance.now();
    const a: Answer = await engine.ask(q.text);
    const ms = performance.now() - t;
    // Tuning prints no baseline figure: ranking every item question by BM25 would be wasted.
    const base = q.group === 'item' && !tuning ? baseline.rank(q.text) : [];
    // Training questions are scored on their own, never in 'all': engine work may study them freely.
    const counted = q.split === 'train' ? [] : q.split === 'dev' ? [bySplit.get('all')!] : [bySplit.get('all')!, bySplit.get('held')!];
    for (const s of [...counted, bySplit.get(q.split)!]) {
      s.questions++;
      s.latencies.push(ms);
      if (q.expect) {
        s.inScope++;
        // A clarifying question is not a right answer: match is null then, so it counts as a miss.
        const ok = hit(a.match, q.expect);
        if (ok) s.top1++;
        else s.failures.push(`${q.text} → ${a.match ? `${a.match.title}` : a.clarify ? `clarify(${a.clarify.options.map((o) => o.title).join(' / ')})` : a.intent}`);
        if (ok || a.candidates.slice(0, 3).some((c) => hit(c, q.expect))) s.top3++;
        if (a.clarify) s.clarified++;
        if (a.intent === 'out-of-scope') s.falseReject++;
        if (q.group === 'item') {
          s.itemN++;
          if (ok) s.itemTop1++;
          if (q.expect.ids.includes(base[0])) s.baseTop1++;
          if (base.some((id) => q.expect!.ids.includes(id))) s.baseTop3++;
          if (q.caseName) {
            s.caseN++;
            if (ok && a.match?.case?.name === q.caseName) s.caseOk++;
          }
        }
      }
      if (q.intent && q.group !== 'oos') {
        s.intentN++;
        if (a.intent === q.intent) s.intentOk++;
        else if (q.group === 'intent') s.failures.push(`${q.text} → intent ${a.intent} (want ${q.intent})`);
      }
      if (q.group === 'oos') {
        s.oosN++;
        if (a.intent === 'out-of-scope' && !a.match) s.oosRejected++;
        else s.failures.push(`[oos] ${q.text} → ${a.intent} ${a.match?.title ?? ''}`);
      }
    }
  }
  scores.push(...bySplit.values());
}

const of = (split: Score['split']) => scores.filter((s) => s.split === split);
if (tuning) {
  const chosen = scores.filter((s) => (s.split === 'dev' || s.split === 'train') && s.level !== '10 % noise');
  const sum = (k: 'top1' | 'inScope' | 'oosRejected' | 'oosN') => chosen.reduce((n, s) => n + s[k], 0);
  for (const s of chosen) console.log(`${s.split} ${s.level}: top-1 ${pct(s.top1, s.inScope)} of ${s.inScope}, out-of-scope rejected ${pct(s.oosRejected, s.oosN)} of ${s.oosN}, clarified ${pct(s.clarified, s.inScope)}, wrongly rejected ${pct(s.falseReject, s.inScope)}`);
  const objective = (sum('top1') + 2 * sum('oosRejected')) / (sum('inScope') + 2 * sum('oosN'));
  console.log(`dev and training, clean and 20 % noise: top-1 ${pct(sum('top1'), sum('inScope'))}, out-of-scope rejected ${pct(sum('oosRejected'), sum('oosN'))}; objective ${objective.toFixed(4)}`);
  if (listed) for (const s of chosen.filter((c) => c.split === listSplit)) for (const f of s.failures) console.log(`  ${s.level}: ${f}`);
  process.exit(0);
}
const all = of('all').flatMap((s) => s.latencies);
const p50 = quantile(all, 0.5);
const p99 = quantile(all, 0.99);
const err = (s: Score) => 1 - s.itemTop1 / s.itemN;
const baseErr = (s: Score) => 1 - s.baseTop1 / s.itemN;
const floorsOf = (split: Score['split']) => {
  const [clean, , noisy20] = of(split);
  return [
    { name: 'top-1 clean ≥ 90 %', ok: clean.top1 / clean.inScope >= 0.9 },
    { name: 'top-1 at 20 % noise ≥ 80 %', ok: noisy20.top1 / noisy20.inScope >= 0.8 },
    { name: 'item error ≤ half the baseline’s (every level)', ok: of(split).every((s) => err(s) <= baseErr(s) / 2) },
    { name: 'p99 ≤ 30 ms per question', ok: quantile(of(split).flatMap((s) => s.latencies), 0.99) <= 30 },
  ];
};
const floors = floorsOf('all');

const splitName = { all: 'all', dev: 'dev', held: 'held out (test + fresh)', test: 'held-out test', fresh: 'held-out fresh', train: 'training (not in all)' } as const;
const rows = SPLITS.flatMap((split) => of(split)).map(
  (s) =>
    `| ${splitName[s.split]} | ${s.level}${s.actual ? ` (${(s.actual * 100).toFixed(1)} % replaced, ${Math.round(s.nearShare * 100)} % of those near-homophones)` : ''} | ${pct(s.top1, s.inScope)} | ${pct(s.top3, s.inScope)} | ${pct(s.itemTop1, s.itemN)} | ${pct(s.baseTop1, s.itemN)} | ${pct(s.baseTop3, s.itemN)} | ${pct(s.caseOk, s.caseN)} | ${pct(s.intentOk, s.intentN)} | ${pct(s.clarified, s.inScope)} | ${pct(s.oosRejected, s.oosN)} | ${pct(s.falseReject, s.inScope)} |`,
);
const [clean, cleanDev, cleanTest, cleanFresh, cleanTrain] = [of('all')[0], of('dev')[0], of('test')[0], of('fresh')[0], of('train')[0]];
const latencyOf = (split: Score['split']) => {
  const xs = of(split).flatMap((s) => s.latencies);
  return `${splitName[split]} p50 ${quantile(xs, 0.5).toFixed(2)} ms, p99 ${quantile(xs, 0.99).toFixed(2)} ms`;
};
const section = [
  '## Robot question answering (issue 6)',
  '',
  'Command: `node --import tsx bench/qa/run.ts` (questions: `bench/qa/questions.json`, `bench/qa/questions-fresh.json` and `bench/qa/questions-fresh-2.json`; noisy copies written to `bench/qa/noisy-10.jsonl`, `bench/qa/noisy-20.jsonl`; `--failures` lists the dev misses).',
  '',
  `Knowledge: the default hall, ${engine.size.items} items, ${engine.size.faq} FAQ entries, ${engine.size.places} places (${engine.size.fields} indexed fields). Questions: ${clean.questions} in the evaluation (${clean.itemN} about items, ${clean.inScope} with an expected answer in all, ${clean.intentN} with a labelled intent, ${clean.oosN} out of scope), plus ${cleanTrain.questions} for training, written by the project as a visitor would say them, not copied from item names.`,
  '',
  `Split: by subject (all questions about one item, FAQ entry or place on the same side; intent and out-of-scope questions one by one), FNV-1a of the subject, 55 % dev / 45 % held-out test: dev ${cleanDev.questions} questions (${cleanDev.inScope} in scope), test ${cleanTest.questions} (${cleanTest.inScope} in scope). A caveat on test: the synonyms and aliases in config/default were written, before this split existed, with the whole of questions.json in view, so test is held out from the engine's tuning but not wholly from its data. The fresh set (${cleanFresh.questions} questions, ${cleanFresh.inScope} in scope: \`questions-fresh.json\`, written after the first round of engine work, and \`questions-fresh-2.json\`, one question each on items drawn at random across departments before the second round) is about items no earlier question names, plus out-of-scope ones, and was never tuned on, data included. Engine work looks at dev misses only. The floors of issue 6 are judged on all questions, and shown for the held-out questions (test and fresh together) below.`,
  '',
  `Training: \`questions-train.json\`, ${cleanTrain.questions} questions (${cleanTrain.inScope} in scope, ${cleanTrain.oosN} out of scope) about items no evaluation question names, drawn at random and written by helpers who saw neither the vocabulary, nor the engine, nor the evaluation questions. Engine work reads their misses, and the ranking weights were fitted on them and dev; they appear in their own rows and in no other figure ("all" is dev, test and fresh).`,
  '',
  `Noise: each question has round(rate × n) of its n Chinese characters replaced by another character of the catalogue that sounds the same (same toneless syllable) or, for ${Math.round(NEAR_SHARE * 100)} % of the replacements, nearly the same (one of zh/z, ch/c, sh/s, n/l, f/h, r/l, ang/an, eng/en, ing/in, iang/ian, uang/uan apart), seeded. A clarifying question counts as a miss for top-1.`,
  '',
  '| split | set | top-1 | top-3 | item top-1 | baseline top-1 | baseline top-3 | sub-case right | intent right | clarified | out-of-scope rejected | in-scope wrongly rejected |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ...rows,
  '',
  `Baseline: BM25 (minisearch) over jieba tokens of the item names, item questions only. Item error rate, engine vs baseline (all questions): ${of('all').map((s) => `${s.level} ${(err(s) * 100).toFixed(1)} % vs ${(baseErr(s) * 100).toFixed(1)} %`).join('; ')}.`,
  '',
  `Latency per question (engine.ask, one question at a time, all three sets, ${all.length} questions): p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms (${latencyOf('dev')}; ${latencyOf('test')}). Index build ${Math.round(buildMs)} ms; after build the process holds RSS ${(mem.rss / 2 ** 20).toFixed(0)} MB, ${((mem.rss - heapBefore.rss) / 2 ** 20).toFixed(0)} MB more than with the configuration alone (index, jieba's dictionary, pinyin data), JS heap ${(mem.heapUsed / 2 ** 20).toFixed(0)} MB. Machine: ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, Node ${process.version}.`,
  '',
  `Floors, all questions: ${floors.map((f) => `${f.name}: ${f.ok ? 'met' : 'MISSED'}`).join('; ')}.`,
  '',
  `Floors, held-out questions alone (test and fresh): ${floorsOf('held').map((f) => `${f.name}: ${f.ok ? 'met' : 'MISSED'}`).join('; ')}.`,
  '',
  `Run ${new Date().toISOString().slice(0, 10)}, ${((performance.now() - t0) / 1000).toFixed(1)} s in all.`,
].join('\n');

console.log(section);
for (const s of of(listSplit)) {
  console.log(`\n${splitName[s.split]}, ${s.level}: ${s.failures.length} misses${listed ? '' : ' (--failures to list)'}`);
  if (listed) for (const f of s.failures) console.log(`  ${f}`);
}
if (process.argv.includes('--no-doc')) process.exit(floors.every((f) => f.ok) ? 0 : 1);

writeSection('qa', section);
process.exitCode = floors.every((f) => f.ok) ? 0 : 1;
