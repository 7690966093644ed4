/**
 * 小今's understanding: from a recognised (possibly misheard) Chinese sentence to an
 * answer, offline.
 *
 * ```ts
 * import { createEngine, knowledgeFromConfig } from './models/language/index.ts';
 * const engine = createEngine(knowledgeFromConfig(loadConfigDir()), { contextSeconds: 45 });
 * const session = engine.newSession();
 * const a = await engine.ask('护士执业证书重新注册在哪办?', session);
 * // a.intent     'item.where'
 * // a.match      { kind: 'item', id: 'GZ-WJ-001', title: '护士执业注册', case: { code: 'GZ-WJ-001-04', name: '重新注册' } }
 * // a.candidates [{ kind, id, title, score }, …]   best first, at most 5
 * // a.answer     the short spoken sentence;  a.card  the full screen card
 * // a.confidence 0…1;  a.clarify { question, options } when the best candidates are too close
 * // a.guide      { kind: 'window' | 'place', id, name, floor } where the robot can lead; a.lead: walk now
 * await engine.ask('要带什么材料?', session);   // follow-up about the same item
 * ```
 *
 * - `createEngine(knowledge, opts)`: knowledge is `{ catalogue: { items }, hall, faq, synonyms, templates }`;
 *   the index is built once here (about a second for the full catalogue).
 *   opts: `contextSeconds` (context expiry), `now` (clock), `robotName`, `reranker` (see
 *   `OnnxReranker`), `rerankWeight`, `acceptScore`, `clarifyMargin`.
 * - `engine.ask(text, session?, { lang: 'zh' | 'en', choice?, trace? })` → `Promise<Answer>`;
 *   with `trace` the answer carries the stages it went through, each with its time and result.
 *   Pass a `DialogueSession` (from `engine.newSession()`) for follow-ups, "第二个" after a
 *   clarification, and "再说一遍"; without one every question stands alone.
 * - `engine.rank(text)` → the top candidates only (benchmarks, diagnostics).
 * - `createEngineFromConfig(config, opts)` builds knowledge from a HallConfig and loads the
 *   reranker named in `robot.reranker` when there is one.
 * - `importFaqFile(path)` reads staff FAQ spreadsheets (CSV / XLSX) into FaqEntry[].
 * - `loadCatalogueFile(path)` reads the seed .jsonl or a catalogue.json.
 * - `normalize(text)` is the text normalisation every stage shares.
 */
import { withPriorityRules } from '../../config/priority.ts';
import type { HallConfig } from '../../config/schema.ts';
import { Engine, type EngineOptions } from './engine.ts';
import type { Knowledge } from './knowledge.ts';
import { OnnxReranker } from './reranker.ts';
import { loadTemplates, type AnswerTemplates } from './templates.ts';

export { Engine } from './engine.ts';
export type { Answer, Candidate, EngineOptions, AskOptions, GuideTarget, Intent, Match } from './engine.ts';
export type { AnswerCard, CardSection, CardWindow } from './answer.ts';
export type { StageName, TraceStep } from './stages.ts';
export { THRESHOLDS } from './thresholds.ts';
export { DialogueSession } from './session.ts';
export type { Knowledge, EntityKind } from './knowledge.ts';
export { groupsForItem, windowsForItem, describeWindows } from './knowledge.ts';
export { AnswerTemplates, loadTemplates, DEFAULT_ANSWERS_FILE } from './templates.ts';
export { OnnxReranker, cosine, type Reranker } from './reranker.ts';
export { importFaqFile, faqFromCsv, faqFromXlsx, faqFromRows, FaqImportError } from './faq-import.ts';
export { loadCatalogueFile } from './catalogue-file.ts';
export { normalize, chineseNumber } from './normalize.ts';
export { syllables, fuzzySyllable } from './pinyin.ts';

export function createEngine(knowledge: Knowledge, opts: EngineOptions = {}): Engine {
  return new Engine(knowledge, opts);
}

export function knowledgeFromConfig(config: HallConfig, templates: AnswerTemplates = loadTemplates()): Knowledge {
  const faq = config.faq.map((f) => ({ ...f, answer: withPriorityRules(f.answer, config.queue.priority) }));
  return { catalogue: config.catalogue, hall: config.hall, faq, synonyms: config.synonyms, templates, bundles: config.bundles };
}

/** An engine for a hall configuration, with the reranker its settings name (if any). */
export async function createEngineFromConfig(config: HallConfig, opts: EngineOptions & { templates?: AnswerTemplates } = {}): Promise<Engine> {
  const rr = config.robot.reranker;
  const reranker = opts.reranker !== undefined ? opts.reranker : rr ? await OnnxReranker.load(rr.model, rr.vocab) : null;
  return createEngine(knowledgeFromConfig(config, opts.templates), {
    contextSeconds: config.robot.contextSeconds,
    robotName: config.robot.name,
    ...opts,
    reranker,
  });
}
