/**
 * Does answering 一件事 bundles by name change any benchmark answer? `npm run bench:qa-bundles`
 * asks every question of bench/qa (all sets, and the noisy ones) that names a bundle of the
 * default hall, with and without bundles in the engine, and prints the ones answered
 * differently: the baseline is the same engine without bundles, in the same run.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfigDir } from '../../config/load.ts';
import { BundleNames } from '../../models/language/bundles.ts';
import { normalize } from '../../models/language/normalize.ts';
import { createEngine, knowledgeFromConfig } from '../../models/language/index.ts';
const cfg = loadConfigDir();
const names = new BundleNames(cfg.bundles);
const plain = createEngine({ ...knowledgeFromConfig(cfg), bundles: [] });
const full = createEngine(knowledgeFromConfig(cfg));
const texts: [string, string][] = [];
// Every question text, wherever a set keeps it (q lists, out-of-scope lists, noisy lines).
const walk = (f: string, v: unknown): void => {
  if (typeof v === 'string') texts.push([f, v]);
  else if (Array.isArray(v)) v.forEach((x) => walk(f, x));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) if (k === 'q' || k === 'questions' || k === 'outOfScope' || k === 'items' || k === 'faq' || k === 'places' || k === 'windows' || k === 'noisy' || k === 'text') walk(f, x);
};
for (const f of ['questions.json', 'questions-fresh.json', 'questions-fresh-2.json', 'questions-train.json']) walk(f, JSON.parse(readFileSync(fileURLToPath(new URL(f, import.meta.url)), 'utf8')));
for (const f of ['noisy-10.jsonl', 'noisy-20.jsonl']) for (const l of readFileSync(fileURLToPath(new URL(f, import.meta.url)), 'utf8').split('\n').filter(Boolean)) walk(f, JSON.parse(l));
let named = 0;
let changed = 0;
for (const [f, q] of texts) {
  if (!names.asked(normalize(q))) continue;
  named++;
  const a = await full.ask(q);
  const b = await plain.ask(q);
  if (a.match?.id !== b.match?.id) {
    changed++;
    console.log('changed in', f, 'from', b.match?.kind, b.match?.id, b.confidence, 'to', a.match?.id);
  }
}
console.log(texts.length, 'questions;', named, 'name a bundle;', changed, 'answered differently');
process.exitCode = changed ? 1 : 0;
