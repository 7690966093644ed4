/**
 * The understanding engine: question in, decision and answer out. See index.ts for the
 * public API. The stages per question (stages.ts; each adds to the answer's trace):
 *   understand: normalise → units with syllables → cues (what is wanted) and stop words cut
 *     out → synonyms rewritten to canonical words;
 *   retrieve: lexical index → per-entity ranking; rerank: the optional embedding model;
 *   accept: is there an answer, and is it one entity or several too close to call;
 *   dialogue: answer, clarify, follow up from context, or say plainly that it does not know;
 *   compose: templates and the screen card.
 * Its weights and thresholds are in thresholds.ts.
 */
import type { Bundle, Place, ServiceWindow } from '../../config/schema.ts';
import type { Entity } from './entity.ts';
import { faqCard, itemCard, itemFacts, messageCard, placeCard, Phrasebook, type AnswerCard } from './answer.ts';
import { isEnglish, ServiceAreas } from './areas.ts';
import { EnglishIndex, englishCues, englishWords } from './english.ts';
import { Organisations } from './organisations.ts';
import { asksAdvice, findCues, parseChoice, STOP_WORDS, ticketFirst, type Cue } from './intents.ts';
import { describeWindows, groupsForItem, visitorPlaces, windowsOfGroups, type EntityKind, type Knowledge } from './knowledge.ts';
import { LexicalIndex, coverage, fuzzyPositions, pairSpread } from './matcher.ts';
import { normalize } from './normalize.ts';
import { queryUnitsOf, unitsOf, type QueryUnit, type Unit } from './pinyin.ts';
import { FEATURES, PREFER_POOL, preferred, type FeatureVector, type PreferenceModel } from './preference.ts';
import { PREFERENCE } from './preference-weights.ts';
import type { Reranker } from './reranker.ts';
import { addUserWords, cut, isWord } from './segment.ts';
import { DialogueSession, type PendingOption } from './session.ts';
import { ITEM_CUES, Trace, type Acceptance, type Choice, type ItemCue, type Plan, type Ranked, type TraceStep, type Understanding } from './stages.ts';
import { SynonymRewriter } from './synonyms.ts';
import { WakePhrase } from './wake.ts';
import { BundleNames, bundleFacts } from './bundles.ts';
import { THRESHOLDS as T } from './thresholds.ts';
import type { Lang, SpokenKey } from './templates.ts';

export interface Match {
  kind: EntityKind;
  id: string;
  title: string;
  /** The sub-case (情形) the question named, for items that have them. */
  case?: { code: string; name: string };
}

export interface Candidate {
  kind: EntityKind;
  id: string;
  title: string;
  score: number;
}

export interface GuideTarget {
  kind: 'window' | 'place';
  id: string;
  name: string;
  floor: string;
}

export interface Answer {
  intent: Intent;
  match: Match | null;
  candidates: Candidate[];
  /** The short sentence the robot says. */
  answer: string;
  /** 0…1: how sure the engine is about match (or about the intent when nothing is matched). */
  confidence: number;
  card: AnswerCard;
  clarify?: { question: string; options: { index: number; kind: EntityKind; id: string; title: string }[] };
  /** Where the robot can lead the visitor: set for navigation and "where" answers. */
  guide?: GuideTarget;
  /** True when the robot should start walking now (the visitor asked to be taken). */
  lead?: boolean;
  /** True when the visitor only called the robot (小今小今): listen for the question now. */
  listen?: boolean;
  /** For a ticket answer: the queue group whose ticket the visitor wants, for the robot or kiosk to issue. */
  ticket?: { group: string; prefix: string; name: string };
  /** An offer's answers (需要我带您过去吗? → 是 / 不用): buttons whose reply is asked as the next turn. */
  choices?: { label: string; reply: string }[];
  /** The stages the answer went through, when asked for (AskOptions.trace). */
  trace?: TraceStep[];
}

export type Intent =
  | 'item.info' | 'item.materials' | 'item.conditions' | 'item.where' | 'item.duration' | 'item.visits' | 'item.booking' | 'item.courier'
  | 'navigate' | 'ticket' | 'appointment' | 'hall.hours' | 'faq' | 'bundle' | 'greeting' | 'thanks' | 'smalltalk' | 'human' | 'repeat' | 'stop'
  | 'out-of-scope';

export interface EngineOptions {
  /** Seconds of silence after which context is forgotten (robot.contextSeconds). */
  contextSeconds?: number;
  /** Clock for context expiry; tests inject one. */
  now?: () => number;
  robotName?: string;
  /** Optional second stage over the top candidates. */
  reranker?: Reranker | null;
  /** Share of the final score given to the reranker (0…1). */
  rerankWeight?: number;
  /** Minimum score to answer rather than admit not knowing. */
  acceptScore?: number;
  /** Candidates closer than this to the best one make the engine ask which one. */
  clarifyMargin?: number;
  /** The learned preference among the best candidates (preference-weights.ts by default); null turns it off. */
  preference?: PreferenceModel | null;
}

export interface AskOptions {
  lang?: Lang;
  /** A clarification option chosen by touch (1-based), instead of text. */
  choice?: number;
  /** Attach the stages' trace to the answer. */
  trace?: boolean;
}

const CUE_INTENT: Record<ItemCue, Intent> = {
  materials: 'item.materials', conditions: 'item.conditions', where: 'item.where', duration: 'item.duration',
  visits: 'item.visits', booking: 'item.booking', courier: 'item.courier',
};
const OPERATIONS = ['变更', '注销', '延续', '延期', '续期', '补发', '补办', '补领', '补证', '换发', '换领', '换证', '撤销', '再次', '重新', '遗失', '增补', '恢复', '暂停', '停发', '作废', '转出', '迁出', '减容', '销户', '退费', '重核', '更正', '复查', '复审'];
const FUNCTION_CHARS = new Set([...'了的吗呢吧啊呀嘛么我你您要想去在把给就都还也个']);
/** A visitor who asks how far along something is wants the progress lookup (…进度查询), not the procedure. */
const LOOKUP_ASKED = /查|进度|到哪一步|办到哪|审到哪|批下来没|好了没|出来没/;
const LOOKUP_NAME = /(查询|查看|查阅|下载|公告|名单|目录|指引|公示|动态|新闻|咨询|留言)$/;
/** A question's word pairs, as the index finds them. */
type Pairs = ReturnType<LexicalIndex['distinctivePairs']>;
const round = (x: number) => Math.round(x * 1000) / 1000;

export class Engine {
  private readonly entities: Entity[] = [];
  private readonly index = new LexicalIndex();
  private readonly synonyms: SynonymRewriter;
  private readonly byKey = new Map<string, number>();
  /** The index fields of each entity. */
  private readonly fieldsOf: number[][] = [];
  private readonly pairCache = new Map<number, Set<string>>();
  /** Words the knowledge itself uses (synonyms, aliases): never cut apart as function words. */
  private readonly vocabulary = new Set<string>();
  private readonly now: () => number;
  private readonly contextMs: number;
  private readonly accept: number;
  private readonly margin: number;
  private readonly preference: PreferenceModel | null;
  private readonly wake: WakePhrase;
  private readonly areas: ServiceAreas;
  private readonly english = new EnglishIndex();
  private readonly organisations: Organisations;
  private readonly bundleNames: BundleNames;
  /** Items of one name (律师事务所设立许可 at the province and at the city): retrieval keeps one, the organisation choice looks at all. */
  private readonly sameName = new Map<string, number[]>();

  constructor(
    readonly knowledge: Knowledge,
    private readonly opts: EngineOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.contextMs = (opts.contextSeconds ?? 45) * 1000;
    this.accept = opts.acceptScore ?? T.accept;
    this.margin = opts.clarifyMargin ?? T.clarifyMargin;
    this.preference = opts.preference === undefined ? PREFERENCE : opts.preference;
    this.wake = new WakePhrase(opts.robotName ?? '小今');
    this.areas = new ServiceAreas(knowledge.hall);
    this.bundleNames = new BundleNames(knowledge.bundles ?? []);
    this.organisations = new Organisations(knowledge.catalogue.items.map((i) => i.department));
    // The vocabulary is read the way questions and names are: normalised, so 第一次 meets the 第1次 a question becomes.
    this.synonyms = new SynonymRewriter(knowledge.synonyms.map((set) => set.map(normalize)));
    const words = new Set<string>(this.synonyms.words());
    // A text is indexed as written and, when synonyms change it, once more in canonical words,
    // so 房产过户 is found both as itself and as 不动产转移登记.
    const addText = (entity: number, caseIdx: number, text: string, prior = 1, alias = false) => {
      const written = unitsOf(normalize(text));
      const canonical = this.synonyms.rewriteDoc(written);
      this.index.add(entity, caseIdx, written, prior, alias);
      if (canonical !== written) this.index.add(entity, caseIdx, canonical, prior, alias);
    };
    for (const item of knowledge.catalogue.items) {
      const caseUnits: Unit[][] = [];
      const e = this.push({ kind: 'item', id: item.code, title: item.name, item, lookup: LOOKUP_NAME.test(item.name), sameAs: `item:${item.name}`, ops: OPERATIONS.filter((op) => item.name.includes(op)), caseUnits });
      const prior = item.source === 'hall' ? T.hallPrior : 1;
      addText(e, -1, item.name, prior);
      for (const a of item.aliases) {
        addText(e, -1, a, prior * T.aliasPrior, true);
        words.add(a);
      }
      if (item.nameEn) this.english.add(e, item.nameEn);
      for (const a of item.aliasesEn ?? []) this.english.add(e, a, T.aliasPrior);
      this.index.addContext(e, this.synonyms.rewriteDoc(unitsOf(normalize(item.department))), T.departmentCredit);
      item.cases.forEach((c, ci) => {
        addText(e, ci, c.fullName === item.name ? `${item.name}${c.name}` : c.fullName, prior * T.casePrior);
        caseUnits.push(this.synonyms.rewriteDoc(unitsOf(normalize(c.name))));
        if (c.name.length <= 8) words.add(c.name);
      });
    }
    knowledge.faq.forEach((f) => {
      const e = this.push({ kind: 'faq', id: f.id, title: f.question, faq: f, sameAs: `faq:${f.id}` });
      addText(e, -1, f.question);
      for (const k of f.keywords) {
        addText(e, -1, k, T.faqKeywordPrior);
        words.add(k);
      }
    });
    for (const p of visitorPlaces(knowledge.hall)) {
      const e = this.push({ kind: 'place', id: p.id, title: p.name, place: p, sameAs: `place:${p.id}` });
      addText(e, -1, p.name);
      // A visitor using the English screen types English: the place's English name finds it too.
      if (p.nameEn) addText(e, -1, p.nameEn, T.placeEnglishPrior);
      for (const a of p.aliases) {
        addText(e, -1, a);
        words.add(a);
      }
      for (const name of [p.nameEn ?? '', ...p.aliases].filter((x) => isEnglish(x) || /^[a-z\s]+$/i.test(x))) this.english.add(e, name);
    }
    this.english.build();
    this.index.build(pairSpread(knowledge.catalogue.items.map((i) => ({ name: normalize(i.name), department: i.department }))));
    for (let i = 0; i < this.entities.length; i++) this.fieldsOf.push([]);
    this.index.fields.forEach((f, fi) => this.fieldsOf[f.entity].push(fi));
    addUserWords(words);
    for (const w of words) this.vocabulary.add(w);
  }

  private push(e: Entity): number {
    this.entities.push(e);
    const at = this.entities.length - 1;
    this.byKey.set(`${e.kind}:${e.id}`, at);
    this.sameName.set(e.sameAs, [...(this.sameName.get(e.sameAs) ?? []), at]);
    return at;
  }

  get size(): { items: number; faq: number; places: number; fields: number } {
    const count = (k: EntityKind) => this.entities.filter((e) => e.kind === k).length;
    return { items: count('item'), faq: count('faq'), places: count('place'), fields: this.index.fields.length };
  }

  newSession(): DialogueSession {
    return new DialogueSession();
  }

  /** Answer one question; pass the same session for follow-ups. */
  async ask(text: string, session: DialogueSession = new DialogueSession(), opts: AskOptions = {}): Promise<Answer> {
    // A question in English is answered in English, whatever language the screen shows.
    const lang = isEnglish(text) ? 'en' : (opts.lang ?? 'zh');
    const p = new Phrasebook(this.knowledge.templates[lang], lang, this.knowledge.hall, this.opts.robotName ?? '小今');
    const now = this.now();
    session.expire(now, this.contextMs);
    const trace = new Trace(Boolean(opts.trace));
    const answer = await this.decide(text, session, p, opts, trace);
    if (answer.intent !== 'repeat') session.last = answer;
    session.updatedAt = now;
    session.turns++;
    return opts.trace ? { ...answer, trace: trace.steps } : answer;
  }

  /** Ranked entities for a question, without deciding: for benchmarks and diagnostics. */
  rank(text: string): Candidate[] {
    return this.retrieve(this.understand(normalize(text))).slice(0, 5).map((r) => this.candidate(r));
  }

  /** What was said and what is wanted: the content words in canonical form, read as written and by sound, and the cues. */
  private understand(said: string): Understanding {
    // The robot's name called before a question is no part of it; called alone, it is the whole turn.
    const wake = this.wake.strip(said);
    const norm = ticketFirst(wake.called ? wake.rest : said);
    if (isEnglish(norm)) {
      const cues = englishCues(norm);
      return { norm, content: [], alt: null, withCues: null, cues, itemCue: ITEM_CUES.find((c) => cues.has(c)), wakeOnly: false, english: englishWords(norm) };
    }
    const units = queryUnitsOf(norm);
    const hits = findCues(units);
    const drop = new Array<boolean>(units.length).fill(false);
    for (const h of hits) for (let i = h.start; i < h.end; i++) drop[i] = true;
    // Map jieba words back onto units to drop the words that carry no content.
    const stop = new Array<boolean>(units.length).fill(false);
    let at = 0;
    for (const w of cut(norm)) {
      const n = unitsOf(w).length;
      // Stop words, and function characters that jieba glued to a neighbour (弩要 → 弩 + 要).
      const whole = STOP_WORDS.has(w);
      const glued = n <= 2 && !this.vocabulary.has(w);
      for (let k = 0; k < n; k++) if (whole || (glued && FUNCTION_CHARS.has(units[at + k]?.char ?? ''))) stop[at + k] = true;
      at += n;
    }
    const cues = new Set(hits.map((h) => h.cue));
    const { exact, bySound } = this.synonyms.rewriteQuery(units.filter((_, i) => !drop[i] && !stop[i]), isWord);
    // The question with its cue words kept is a third reading: 取号机 is a place, not 取号 + 机.
    const cueWords = hits.some((h) => h.cue !== 'filler');
    const withCues = cueWords ? this.synonyms.rewriteQuery(units.filter((_, i) => !stop[i] && !hits.some((h) => h.cue === 'filler' && i >= h.start && i < h.end))).exact : null;
    return { norm, content: exact, alt: bySound, withCues, cues, itemCue: ITEM_CUES.find((c) => cues.has(c)), wakeOnly: wake.only };
  }

  private rankUnits(content: QueryUnit[], cues: Set<Cue>, raw: string, alt: QueryUnit[] | null = null, withCues: QueryUnit[] | null = null): Ranked[] {
    const hits = (content.length ? this.index.search(content) : []).map((h) => ({ ...h, query: content }));
    if (alt) hits.push(...this.index.search(alt).map((h) => ({ ...h, score: h.score * T.soundReading, query: alt })));
    // Cue words kept: only an entry that the whole phrase names (docCov high) may win this way.
    if (withCues) hits.push(...this.index.search(withCues).filter((h) => h.docCov >= T.withCuesCoverage).map((h) => ({ ...h, query: withCues })));
    if (hits.length === 0) return [];
    const said = raw.replace(/[^\u3400-\u9fff]/g, '');
    const best = new Map<number, Ranked>();
    const byName = new Map<number, { score: number; plainDocCov: number; qCov: number }>();
    const wantsLookup = cues.has('lookup') || LOOKUP_ASKED.test(raw);
    const wantsPlace = cues.has('where') || cues.has('navigate');
    for (const h of hits) {
      const f = this.index.fields[h.field];
      const e = this.entities[f.entity];
      let score = h.score;
      let unsaidOp = false;
      if (e.kind === 'item' && e.lookup && !wantsLookup) score *= T.unaskedLookup;
      // An operation the visitor did not mention (注销, 变更, 补发…) makes an entry less likely:
      // asked plainly, people mean the ordinary first application.
      if (e.kind === 'item' && f.caseIdx < 0) {
        const ops = e.ops.filter((op) => !said.includes(op) && !content.some((u, i) => op.length === 2 && u.char === op[0] && content[i + 1]?.char === op[1]));
        if (ops.length) score *= T.unsaidOperation;
        unsaidOp = ops.length > 0;
      }
      if (e.kind === 'place' && wantsPlace) score *= T.placeWanted;
      const prev = best.get(f.entity);
      if (!prev || score > prev.score) best.set(f.entity, { entity: f.entity, score, docCov: h.docCov, plainDocCov: h.plainDocCov, qCov: h.qCov, caseIdx: f.caseIdx, query: h.query, unsaidOp, viaAlias: f.alias });
      if (!f.alias) {
        const seen = byName.get(f.entity);
        if (!seen || score > seen.score) byName.set(f.entity, { score, plainDocCov: h.plainDocCov, qCov: h.qCov });
      }
    }
    for (const r of best.values()) {
      const n = byName.get(r.entity);
      if (r.viaAlias && n) r.byName = { plainDocCov: n.plainDocCov, qCov: n.qCov };
    }
    let ranked = [...best.values()].sort((a, b) => b.score - a.score);
    // The leaders are scored again as whole entries: the best field's share of the entry
    // stays, the share of the question becomes what all the entry's fields explain together.
    // The search found them with procedure words discounted hard, which lets a question
    // that says only an entry's one rare word look like it said the whole name; here the
    // name's share is taken with those words discounted less (plainDocCov). Two more clues
    // order the leaders: the department's name (a context field of the union, at reduced
    // credit) and a long stretch of a field said in one piece. The gate, which acceptance
    // is judged on, leaves the stretch out: it orders candidates that already match, it is
    // no evidence that one of them is meant.
    ranked = ranked.map((r, i) => {
      if (i >= T.unionPool) return r;
      const boost = (u: number) => (u <= r.qCov ? 1 : Math.pow(u / r.qCov, T.unionExponent * T.unionShare));
      const union = this.index.unionCoverage(r.query, this.fieldsOf[r.entity]);
      const plain = r.docCov > 0 ? Math.pow(Math.min(1, r.plainDocCov / r.docCov), T.plainExponent) : 1;
      const gate = r.score * boost(union) * plain;
      const run = this.index.runShare(r.query, this.fieldsOf[r.entity]);
      return { ...r, gate, run, score: gate * (1 + T.runBonus * run), qCov: Math.max(r.qCov, r.qCov + (union - r.qCov) * T.unionShare) };
    });
    ranked.sort((a, b) => b.score - a.score);
    for (const r of ranked.slice(0, T.casePool)) r.caseIdx = this.caseOf(r, content);
    return ranked;
  }

  /** Collapse entities a visitor cannot tell apart (same kind, same name): the first stands for all. */
  private collapse(ranked: Ranked[]): Ranked[] {
    const seen = new Set<string>();
    return ranked.filter((r) => {
      const k = this.entities[r.entity].sameAs;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  }

  /** The sub-case a question names: the best case field if it won, else the one case name the question covers. */
  private caseOf(r: Ranked, content: QueryUnit[]): number {
    const e = this.entities[r.entity];
    if (e.kind !== 'item' || e.item.cases.length === 0) return -1;
    const covs = e.caseUnits.map((cu) => this.caseCoverage(cu, content));
    let bestIdx = -1;
    let bestCov = 0;
    let second = 0;
    covs.forEach((c, i) => {
      if (c > bestCov) {
        second = bestCov;
        bestCov = c;
        bestIdx = i;
      } else if (c > second) second = c;
    });
    if (bestIdx >= 0 && bestCov >= T.caseCoverage && bestCov - second >= T.caseLead) return bestIdx;
    return r.caseIdx >= 0 && r.docCov >= T.caseFieldCoverage ? r.caseIdx : -1;
  }

  private caseCoverage(caseUnits: Unit[], content: QueryUnit[]): number {
    if (caseUnits.length === 0 || content.length === 0) return 0;
    const { doc } = coverage(content, caseUnits, fuzzyPositions(content));
    let a = 0;
    let w = 0;
    caseUnits.forEach((u, j) => {
      const weight = this.index.charIdf(u.char);
      a += doc[j] * weight;
      w += weight;
    });
    return w ? a / w : 0;
  }

  private candidate(r: Ranked): Candidate {
    const e = this.entities[r.entity];
    return { kind: e.kind, id: e.id, title: e.title, score: round(Math.min(1, r.score)) };
  }

  private match(entity: number, caseIdx: number): Match {
    const e = this.entities[entity];
    const m: Match = { kind: e.kind, id: e.id, title: e.title };
    if (e.kind === 'item' && caseIdx >= 0) m.case = { code: e.item.cases[caseIdx].code, name: e.item.cases[caseIdx].name };
    return m;
  }

  private async rerank(text: string, ranked: Ranked[]): Promise<Ranked[]> {
    const rr = this.opts.reranker;
    if (!rr || ranked.length < 2) return ranked;
    const top = ranked.slice(0, T.rerankPool);
    const sims = await rr.similarities(text, top.map((r) => this.entities[r.entity].title));
    const w = this.opts.rerankWeight ?? T.rerankWeight;
    const rescored = top.map((r, i) => ({ ...r, score: (1 - w) * r.score + w * Math.max(0, sims[i]) }));
    return [...rescored.sort((a, b) => b.score - a.score), ...ranked.slice(T.rerankPool)];
  }

  /**
   * The stages of one turn. A turn the conversation settles by itself skips retrieval;
   * every other goes understand → retrieve → rerank → accept → dialogue → compose.
   */
  private async decide(text: string, session: DialogueSession, p: Phrasebook, opts: AskOptions, trace: Trace): Promise<Answer> {
    const u = trace.run('understand', () => this.understand(normalize(text)), (r) => ({
      question: r.norm,
      content: r.content.map((x) => x.char).join(''),
      ...(r.alt ? { bySound: r.alt.map((x) => x.char).join('') } : {}),
      cues: [...r.cues],
      ...(r.wakeOnly ? { wakeOnly: true } : {}),
    }));
    const settled = trace.run('dialogue', () => this.settledTurn(u, session, opts), (plan) => (plan ? { settled: true, ...this.describePlan(plan) } : null));
    let plan: Plan;
    if (settled) plan = settled;
    else {
      const retrieved = trace.run('retrieve', () => this.retrieve(u), (r) => ({ found: r.length, top: r.slice(0, 3).map((x) => this.describe(x)) }));
      const reranked = await trace.runAsync('rerank', () => this.rerank(u.norm, retrieved), (r) => ({
        model: Boolean(this.opts.reranker),
        top: r.slice(0, 3).map((x) => this.describe(x)),
      }));
      const acceptance = trace.run('accept', () => this.acceptance(u, reranked), ({ verdict }) => {
        if (!verdict) return { accepted: null };
        const { choice } = verdict;
        const chosen = choice.kind === 'clarify' ? { options: choice.options.map((x) => this.describe(x)) } : { pick: this.describe(choice.pick) };
        return { accepted: this.describe(verdict.accepted), choice: choice.kind, ...chosen };
      });
      plan = trace.run('dialogue', () => this.converse(u, acceptance, session), (x) => this.describePlan(x));
    }
    const answer = trace.run('compose', () => this.withChoices(this.compose(plan, session, p), p), (a) => ({
      intent: a.intent,
      match: a.match ? `${a.match.kind}:${a.match.id}` : null,
      confidence: a.confidence,
      answer: a.answer,
    }));
    // A life event the hall serves as one bundle is answered with the bundle, unless the
    // question plainly names one service too (开饭店的食品安全管理员考试): then that service.
    const bundle = opts.choice === undefined ? this.bundleNames.asked(u.norm) : null;
    if (!bundle || (answer.match && answer.confidence >= T.bundleYield)) return answer;
    return trace.run('compose', () => this.answerBundle(bundle, p), (a) => ({ intent: a.intent, match: `bundle:${bundle.id}`, answer: a.answer }));
  }

  /** Turns the conversation settles without looking anything up; null when it does not. */
  private settledTurn(u: Understanding, session: DialogueSession, opts: AskOptions): Plan | null {
    const { cues, content, norm } = u;
    const entity = (intent: Intent, entity: number, caseIdx: number, lead: boolean): Plan => ({ kind: 'entity', intent, entity, caseIdx, confidence: 1, candidates: [], lead });
    // A pending clarification is answered by number (typed, spoken or touched).
    if (session.pending) {
      const pending = session.pending;
      // Organisations offered as choices are also picked by name (市里的, 省公安厅).
      const named = pending.byName && opts.choice === undefined && [...norm].length <= 12 ? this.organisations.pick(norm, pending.options.map((o) => o.label), T.organisationLead) + 1 : 0;
      const choice = opts.choice ?? (named || parseChoice(norm));
      if (choice !== null) {
        const options = session.pending.options;
        const picked = choice === 0 ? options[options.length - 1] : options[choice - 1];
        if (!picked) return { kind: 'say', intent: 'out-of-scope', say: 'choiceNone', confidence: 0, candidates: [] };
        const intent = session.pending.intent as Intent;
        session.pending = null;
        if (picked.window) return { kind: 'window', id: picked.window, lead: false };
        return entity(intent, picked.entity, picked.caseIdx, false);
      }
    }
    if (cues.has('repeat') && content.length <= 1) return { kind: 'repeat' };
    if (u.wakeOnly) return { kind: 'say', intent: 'greeting', say: 'greeting', confidence: T.ruleConfidence, candidates: [], listen: true };

    // "需要我带您过去吗？" answered with 好/可以/带我去: lead to what was just offered.
    const offered = session.last as Answer | null;
    if (offered?.guide && !offered.lead && isAcceptance(norm, content.length, cues.has('navigate'))) {
      // An item's windows were offered: lead as for "带我去办…", naming the service.
      if (offered.match?.kind === 'item' && session.item) return entity('navigate', session.item.entity, session.item.caseIdx, true);
      if (offered.guide.kind === 'window') return { kind: 'window', id: offered.guide.id, lead: true };
      const place = this.byKey.get(`place:${offered.guide.id}`);
      if (place !== undefined) return entity('navigate', place, -1, true);
    }

    // Window numbers are exact: "带我去B01窗口", "B10在哪".
    const win = /(?<![A-Z])([A-Z]\d{2})(?!\d)/.exec(norm);
    if (win) return { kind: 'window', id: win[1], lead: cues.has('navigate') };
    // A window by number alone (五号窗口, 第三窗口; normalised to digits): the one window of
    // that number, or a choice when several zones have one.
    const numbered = /(?<![A-Za-z\d])第?(\d{1,2})\s*(?:号|个)?\s*窗/.exec(norm);
    if (numbered) {
      const n = Number(numbered[1]);
      const ids = this.knowledge.hall.windows.filter((w) => Number(w.id.slice(1)) === n).map((w) => w.id);
      if (ids.length > 1) return { kind: 'windows', ids };
      return { kind: 'window', id: ids[0] ?? String(n), lead: cues.has('navigate') };
    }
    // A part of the hall by name (医保的窗口在哪边, 取个公积金的号): its windows or its queue, not one of its items.
    const area = this.areas.asked(norm);
    if (area) return { kind: 'area', group: area.group.id, want: area.want };
    return null;
  }

  /** Entities for the question, best first, those a visitor cannot tell apart collapsed. */
  private retrieve(u: Understanding): Ranked[] {
    if (u.english) return this.collapse(this.english.search(u.english).map((h) => ({ ...h, plainDocCov: h.docCov, caseIdx: -1, query: [] })));
    return this.collapse(this.rankUnits(u.content, u.cues, u.norm, u.alt, u.withCues));
  }

  /**
   * Accept when the question names most of an entry, or an entry explains most of the question.
   * FAQ entries are matched on short keywords too, so they must also explain most of the question.
   * A high overall score is enough on its own: long official names (退役士兵高等职业教育报名)
   * are rarely half covered by what a visitor says, yet the visitor said their rare words.
   */
  private passes(r: Ranked | undefined, wantsPlace: boolean): r is Ranked {
    if (!r) return false;
    let cov = r.plainDocCov;
    let qCov = r.qCov;
    const gate = r.gate ?? r.score;
    const kind = this.entities[r.entity].kind;
    // An everyday alias shares everyday words with questions about anything (银行卡, 酒店):
    // it answers only when most of it was said, or nearly so when it also explains most of
    // the question with a sure score (套牌了去哪里报案). Otherwise the entry answers only if
    // the question said most of one of its own names (法律职业资格证丢了), judged as if the
    // alias were not there.
    if (r.viaAlias && cov < T.aliasCoverage && !(cov >= T.aliasNearCoverage && r.qCov >= T.aliasNearCoverage && gate >= T.aliasNearGate)) {
      if (!r.byName || r.byName.plainDocCov < T.aliasByName) return false;
      ({ plainDocCov: cov, qCov } = r.byName);
    }
    // A place answers "where is it" or a question that is mostly its name: 电梯年检怎么报检 is not about the lift.
    const placeOk = kind !== 'place' || wantsPlace || qCov >= T.faqQuestionCoverage;
    const said = cov >= T.nameSaid || (qCov >= T.questionExplained && cov >= T.nameSaidWithQuestion) || (gate >= T.sureScore && cov >= T.nameSaidWhenSure);
    return gate >= this.accept && said && (kind !== 'faq' || qCov >= T.faqQuestionCoverage) && placeOk;
  }

  /** Whether there is an answer, and whether it is one entity or several too close to call. */
  private acceptance(u: Understanding, reranked: Ranked[]): Acceptance {
    const wantsPlace = u.cues.has('where') || u.cues.has('navigate');
    const passes = (r: Ranked | undefined): r is Ranked => this.passes(r, wantsPlace);
    let ranked = reranked;
    // The learned preference orders answers; it does not decide whether there is one. It was
    // fitted on questions the catalogue answers, so when the leader would be declined it keeps
    // out: promoting a candidate that happens to pass let out-of-scope questions in
    // (docs/benchmarks.md, fourth round).
    if (passes(ranked[0]) && !u.english) ranked = this.prefer(ranked);
    const top = ranked[0];
    let candidates = ranked.slice(0, 5).map((r) => this.candidate(r));
    let accepted = passes(top) ? top : undefined;
    // A FAQ entry or a place that won on one keyword but explains little of the question
    // does not silence the entries behind it: the next one that passes on its own may answer.
    const topKind = top ? this.entities[top.entity].kind : 'item';
    if (!accepted && top && topKind !== 'item') {
      // The entry behind must stand on firmer ground than usual: most of its name said and a sure score.
      accepted = ranked
        .slice(1, T.fallbackPool)
        .find((r) => this.entities[r.entity].kind !== topKind && this.entities[r.entity].kind !== 'faq' && passes(r) && r.plainDocCov >= T.nameSaid && (r.gate ?? r.score) >= T.sureScore);
      if (accepted) {
        const a = accepted;
        ranked = [a, ...ranked.filter((r) => r !== a)];
        candidates = ranked.slice(0, 5).map((r) => this.candidate(r));
      }
    }
    return { ranked, top, candidates, verdict: accepted ? { accepted, choice: this.choose(u, ranked, accepted, passes) } : null };
  }

  /** Among the entities close to the accepted one, which the visitor named, or whether to ask. */
  private choose(u: Understanding, ranked: Ranked[], accepted: Ranked, passes: (r: Ranked | undefined) => r is Ranked): Choice {
    // A candidate a little behind the leader that says every subject word the leader says
    // and more (商务 in 办理往来港澳通行证商务签注 behind 往来港澳通行证及签注) is what the
    // visitor named, even when a misheard word pulled the general entry ahead.
    let lead = accepted;
    const near = ranked.filter((r) => accepted.score - r.score <= T.promoteMargin && passes(r)).slice(0, T.promotePool);
    const named = near.length > 1 ? this.narrow(near, this.index.distinctivePairs(accepted.query), true) : near;
    if (named.length === 1 && named[0] !== accepted) lead = named[0];
    const byOrganisation = this.organisationChoice(u, ranked, lead, passes);
    if (byOrganisation) return byOrganisation;
    // Too close to call: ask, unless the question names one entity outright.
    // Entries passed over above (a FAQ entry that explains too little) are not offered either.
    let close = ranked.filter((r) => r.score >= this.accept && lead.score - r.score <= this.margin && (this.entities[r.entity].kind !== 'faq' || passes(r))).slice(0, T.clarifyOptions);
    close = this.distinguish(close, lead.query);
    // Asked plainly, a visitor means the ordinary procedure: among candidates too close to
    // call, one whose name states an operation they did not say (作废, 注销…) gives way.
    const ordinary = close.filter((r) => !r.unsaidOp);
    if (ordinary.length && ordinary.length < close.length) close = ordinary;
    const exact = lead.docCov >= T.exact && lead.qCov >= T.exact;
    // Toilets, lifts, exits: a visitor wants the nearest one, not a choice between floors.
    const namesFloor = /\d+\s*(?:楼|层|f\b)|[一二三四五六七八九十]+\s*[楼层]|floor/i.test(u.norm);
    const sameKind = ranked.filter((r) => lead.score - r.score <= T.placeMargin && this.placeOf(r.entity)?.kind === this.placeOf(lead.entity)?.kind);
    const nearest = !namesFloor && this.entities[lead.entity].kind === 'place' && sameKind.length > 1 ? this.nearestOfOneKind(sameKind) : null;
    if (nearest) return { kind: 'nearest', pick: nearest };
    if (close.length > 1 && !exact) return { kind: 'clarify', lead, options: close };
    // When distinguishing words leave one close candidate, it is the answer even if it scored a hair lower.
    return { kind: 'one', lead, pick: close.length === 1 ? close[0] : lead };
  }

  /**
   * Items of different organisations tied with the leader (the same name, or names that
   * differ in nothing the question said): the organisation the question names, or a
   * question asking which. Null when the leader has no such rival.
   */
  private organisationChoice(u: Understanding, ranked: Ranked[], lead: Ranked, passes: (r: Ranked | undefined) => r is Ranked): Choice | null {
    const department = (r: Ranked) => {
      const e = this.entities[r.entity];
      return e.kind === 'item' ? e.item.department : null;
    };
    if (!department(lead)) return null;
    // Only near-duplicates are tied (科技成果查询 at two institutes): two different services of two organisations that happen to score alike are the ordinary clarification's business.
    const leadName = this.entities[lead.entity].title;
    const tied = ranked
      .filter((r) => r === lead || (department(r) && lead.score - r.score <= T.organisationMargin && passes(r) && nameLikeness(leadName, this.entities[r.entity].title) >= T.organisationNameLike))
      .slice(0, T.clarifyOptions);
    // Every organisation's copy of each tied name, scored as the one retrieval kept.
    const copies = (rs: Ranked[]) => rs.flatMap((r) => (this.sameName.get(this.entities[r.entity].sameAs) ?? [r.entity]).map((entity) => ({ ...r, entity })));
    const pool = copies(tied);
    if (new Set(pool.map(department)).size < 2) return null;
    const chosen = this.organisations.pick(u.norm, pool.map((r) => department(r)!), T.organisationLead);
    if (chosen >= 0) return { kind: 'one', lead, pick: pool[chosen] };
    // Names the question tells apart are no tie; copies of one name differ only in their everyday aliases, which say nothing of the organisation.
    const left = copies(this.distinguish(tied, lead.query));
    const byDepartment = [...new Map(left.map((r) => [department(r), r])).values()];
    if (byDepartment.length < 2 || !this.answerDiffers(byDepartment, u.itemCue)) return null;
    return { kind: 'clarify', lead, options: byDepartment.slice(0, T.clarifyOptions), byOrganisation: true };
  }

  /**
   * Whether the organisations' items would be answered differently: other windows in this
   * hall, or, for what was asked (materials, conditions, time, visits), other facts. When
   * the answer is the same whichever was meant, the robot gives it rather than ask.
   */
  private answerDiffers(options: Ranked[], cue: ItemCue | undefined): boolean {
    const facts = options.map((r) => {
      const e = this.entities[r.entity];
      if (e.kind !== 'item') return '';
      const f = itemFacts(this.knowledge.hall, e.item, r.caseIdx);
      const asked =
        cue === 'materials' ? f.materials.map((m) => m.name).sort() : cue === 'conditions' ? f.conditions : cue === 'duration' ? [f.promisedLimit, f.legalLimit] : cue === 'visits' ? f.visits : null;
      return JSON.stringify([f.windows.map((w) => w.id), asked]);
    });
    return new Set(facts).size > 1;
  }

  /** What to do with what was accepted, given the conversation so far. */
  private converse(u: Understanding, acceptance: Acceptance, session: DialogueSession): Plan {
    const { cues, content, itemCue, norm } = u;
    const { top, candidates, verdict } = acceptance;
    const accepted = verdict?.accepted;
    const lead = cues.has('navigate');
    const confidenceOfNone = top ? 1 - top.score : 1;
    // Advice and opinions (哪家驾校便宜, 跟爸爸好还是跟妈妈好) are out of scope even when their
    // nouns name an item, and before any cue their words sound like (哪个好 is not 拿个号, 周末
    // in 周末去长隆还是动物园好 is not about opening hours), unless the question is an entry's name outright.
    if (asksAdvice(norm, cues) && !(accepted && accepted.docCov >= T.exact && accepted.qCov >= T.exact)) {
      return { kind: 'reception', intent: 'out-of-scope', say: 'advice', override: { candidates, confidence: confidenceOfNone } };
    }
    // Opening hours come from the hall itself; only a FAQ entry that fits the question closely overrides them.
    if (cues.has('hours') && !itemCue && (!accepted || (this.entities[accepted.entity].kind !== 'item' && accepted.score < T.hoursFaqScore))) {
      return { kind: 'hours', confidence: T.ruleConfidence };
    }

    // Follow-ups: a case of the item under discussion ("遗失补领的呢"), or a question with no new subject ("要带什么材料").
    // A question that names a subject of its own (身份证丢了怎么补办 after 社保卡丢了怎么办) is
    // a new question, even when its other words (丢了, 补办) fit a case of the item under discussion.
    const ctx = session.item && !this.namesNewSubject(session.item.entity, content) ? session.item : null;
    if (ctx) {
      const e = this.entities[ctx.entity];
      const covs = e.kind === 'item' ? e.caseUnits.map((cu) => this.caseCoverage(cu, content)) : [];
      const bestCase = covs.length ? covs.indexOf(Math.max(...covs)) : -1;
      if (bestCase >= 0 && covs[bestCase] >= T.followUpCase && (!accepted || accepted.entity === ctx.entity || accepted.score < T.followUpOverride)) {
        return { kind: 'entity', intent: CUE_INTENT[itemCue ?? 'materials'], entity: ctx.entity, caseIdx: bestCase, confidence: T.followUpCaseConfidence, candidates, lead };
      }
      const followUp = itemCue || cues.has('navigate') || cues.has('ticket');
      if (!accepted && followUp) {
        const intent = cues.has('navigate') ? 'navigate' : cues.has('ticket') ? 'ticket' : itemCue ? CUE_INTENT[itemCue] : 'item.info';
        return { kind: 'entity', intent, entity: ctx.entity, caseIdx: ctx.caseIdx, confidence: T.followUpConfidence, candidates, lead };
      }
    }

    if (!verdict) {
      const say = (intent: Intent, key: SpokenKey, withCandidates = false): Plan => ({ kind: 'say', intent, say: key, confidence: T.ruleConfidence, candidates: withCandidates ? candidates : [] });
      if (cues.has('human')) return { kind: 'reception', intent: 'human', say: 'human' };
      if (cues.has('hours')) return { kind: 'hours', confidence: T.ruleConfidence };
      if (cues.has('ticket')) return say('ticket', 'ticketNoItem', true);
      if (cues.has('booking')) return say('appointment', 'appointmentNoItem', true);
      if (cues.has('stop') && content.length <= 1) {
        session.pending = null;
        return say('stop', 'stop');
      }
      if (cues.has('smalltalkName')) return say('smalltalk', 'smalltalkName');
      if (cues.has('smalltalkAbility')) return say('smalltalk', 'smalltalkAbility');
      if (cues.has('thanks') && content.length <= 1) return say('thanks', 'thanks');
      if (cues.has('greeting') && content.length <= 2) return say('greeting', 'greeting');
      return { kind: 'reception', intent: 'out-of-scope', say: 'outOfScope', override: { candidates, confidence: confidenceOfNone } };
    }

    const { choice } = verdict;
    if (choice.kind === 'nearest') return { kind: 'entity', intent: 'navigate', entity: choice.pick.entity, caseIdx: -1, confidence: choice.pick.score, candidates, lead };
    if (choice.kind === 'clarify') {
      return { kind: 'clarify', intent: this.intentFor(choice.lead.entity, cues, itemCue), options: choice.options, confidence: choice.lead.score * T.clarifyConfidence, candidates, byOrganisation: choice.byOrganisation };
    }
    const { pick } = choice;
    const picked = this.entities[pick.entity];
    const isPicked = (c: Candidate) => Number(c.id === picked.id && c.kind === picked.kind);
    const ordered = pick === choice.lead ? candidates : [...candidates].sort((a, b) => isPicked(b) - isPicked(a));
    const second = acceptance.ranked.find((r) => r !== pick)?.score ?? 0;
    const clearLead = Math.min(1, Math.max(0, pick.score - second) / T.leadFull);
    const confidence = Math.min(1, pick.score) * (1 - T.leadShare + T.leadShare * clearLead);
    const intent = cues.has('human') && !itemCue && pick.score < T.humanOverScore ? 'human' : this.intentFor(pick.entity, cues, itemCue);
    if (intent === 'human') return { kind: 'reception', intent: 'human', say: 'human' };
    return { kind: 'entity', intent, entity: pick.entity, caseIdx: pick.caseIdx, confidence, candidates: ordered, lead };
  }

  /**
   * Whether the question says words that neither the item under discussion nor its cases
   * use, as a share of what it says by character weight: then it is about something else.
   */
  private namesNewSubject(entity: number, content: QueryUnit[]): boolean {
    const e = this.entities[entity];
    if (e.kind !== 'item' || content.length === 0) return false;
    const known = new Set([...this.synonyms.rewriteDoc(unitsOf(normalize(e.item.name))).map((u) => u.char), ...e.item.name, ...e.caseUnits.flat().map((u) => u.char)]);
    let all = 0;
    let foreign = 0;
    for (const u of content) {
      const w = this.index.charIdf(u.char);
      all += w;
      if (!known.has(u.char)) foreign += w;
    }
    return all > 0 && foreign / all > T.followUpForeign;
  }

  /** An answer that offers to lead (guide, not yet walking) asks yes or no: give the screen both replies. */
  private withChoices(a: Answer, p: Phrasebook): Answer {
    if (!a.guide || a.lead) return a;
    const [yes, no] = p.lang === 'en' ? [['Yes', 'yes'], ['No, thanks', '不用了']] : [['是', '好的'], ['不用', '不用了']];
    return { ...a, choices: [{ label: yes[0], reply: yes[1] }, { label: no[0], reply: no[1] }] };
  }

  /** The words and card for what the dialogue decided. */
  private compose(plan: Plan, session: DialogueSession, p: Phrasebook): Answer {
    switch (plan.kind) {
      case 'entity':
        return this.answerEntity(plan.intent, plan.entity, plan.caseIdx, plan.confidence, plan.candidates, session, p, plan.lead);
      case 'window':
        return this.answerWindow(plan.id, p, plan.lead);
      case 'windows':
        return this.whichWindow(plan.ids, session, p);
      case 'area':
        return this.answerArea(plan, p);
      case 'repeat': {
        const last = session.last as Answer | null;
        return last ? { ...last, intent: 'repeat' } : this.plain('repeat', p.say('repeatNothing'), 1);
      }
      case 'say': {
        const a = this.plain(plan.intent, p.say(plan.say), plan.confidence, plan.candidates);
        return plan.listen ? { ...a, listen: true } : a;
      }
      case 'reception': {
        const a = this.toReception(plan.intent, p.say(plan.say), p);
        return plan.override ? { ...a, candidates: plan.override.candidates, confidence: round(plan.override.confidence) } : a;
      }
      case 'hours':
        return { ...this.plain('hall.hours', p.say('hallHours', { hours: p.hours() }), plan.confidence), card: messageCard(p.hallName(), [p.hours()], p.t.card.openingHours) };
      case 'clarify':
        return this.clarification(plan, session, p);
    }
  }

  /** Several windows have the number the visitor said: ask which, as for any clarification. */
  private whichWindow(ids: string[], session: DialogueSession, p: Phrasebook): Answer {
    const windows = ids.map((id) => this.knowledge.hall.windows.find((w) => w.id === id)!);
    const options: PendingOption[] = windows.map((w) => ({ entity: -1, caseIdx: -1, label: w.name, window: w.id }));
    session.pending = { intent: 'navigate', options };
    const question = p.say('clarify', { options: p.list(options.map((o, i) => `${i + 1}. ${o.label}（${p.floor(windows[i].floor)}）`)) });
    return {
      ...this.plain('navigate', question, T.ruleConfidence),
      card: { kind: 'clarify', title: question, sections: [], options: options.map((o, i) => ({ index: i + 1, label: o.label })), windows: windows.map((w) => p.window(w)) },
      clarify: { question, options: windows.map((w, i) => ({ index: i + 1, kind: 'place', id: w.id, title: w.name })) },
    };
  }

  private clarification(plan: Extract<Plan, { kind: 'clarify' }>, session: DialogueSession, p: Phrasebook): Answer {
    const labelOf = (r: Ranked) => {
      const e = this.entities[r.entity];
      if (plan.byOrganisation && e.kind === 'item') return e.item.department;
      return p.lang === 'en' && e.kind === 'place' && e.place.nameEn ? e.place.nameEn : e.title;
    };
    const options: PendingOption[] = plan.options.map((r) => ({ entity: r.entity, caseIdx: r.caseIdx, label: labelOf(r) }));
    session.pending = { intent: plan.intent, options, byName: plan.byOrganisation };
    const question = p.say(plan.byOrganisation ? 'clarifyOrganisation' : 'clarify', { options: p.list(options.map((o, i) => `${i + 1}. ${o.label}`)) });
    return {
      intent: plan.intent,
      match: null,
      candidates: plan.candidates,
      answer: question,
      confidence: round(plan.confidence),
      card: { kind: 'clarify', title: question, sections: [], options: options.map((o, i) => ({ index: i + 1, label: o.label })) },
      clarify: {
        question,
        options: plan.options.map((r, i) => {
          const c = this.candidate(r);
          return { index: i + 1, kind: c.kind, id: c.id, title: options[i].label };
        }),
      },
    };
  }

  /** One ranked entity in a trace. */
  private describe(r: Ranked): string {
    const e = this.entities[r.entity];
    return `${e.kind}:${e.id} ${e.title} ${round(r.score)}`;
  }

  private describePlan(plan: Plan): Record<string, unknown> {
    switch (plan.kind) {
      case 'entity':
        return { plan: 'answer', intent: plan.intent, entity: `${this.entities[plan.entity].kind}:${this.entities[plan.entity].id}`, lead: plan.lead };
      case 'window':
        return { plan: 'window', window: plan.id, lead: plan.lead };
      case 'windows':
        return { plan: 'which window', windows: plan.ids };
      case 'area':
        return { plan: 'area', group: plan.group, want: plan.want };
      case 'say':
      case 'reception':
        return { plan: plan.kind, intent: plan.intent, say: plan.say };
      case 'clarify':
        return { plan: 'clarify', intent: plan.intent, options: plan.options.length };
      default:
        return { plan: plan.kind };
    }
  }

  /**
   * The candidates the learned preference looks at, with their features, before it has
   * reordered anything: what bench/qa/fit-preference.ts fits on.
   */
  preferenceCandidates(text: string): { kind: EntityKind; id: string; features: FeatureVector }[] {
    const ranked = this.retrieve(this.understand(normalize(text))).slice(0, PREFER_POOL);
    const pairs = this.queryPairs();
    return ranked.map((r) => ({ kind: this.entities[r.entity].kind, id: this.entities[r.entity].id, features: this.featuresOf(r, pairs) }));
  }

  /** The question's word pairs, once per reading: the candidates of one question mostly share one. */
  private queryPairs(): (query: QueryUnit[]) => { subject: Pairs; any: Pairs } {
    const memo = new Map<QueryUnit[], { subject: Pairs; any: Pairs }>();
    return (query) => {
      let v = memo.get(query);
      if (!v) memo.set(query, (v = { subject: this.index.distinctivePairs(query), any: this.index.distinctivePairs(query, 0) }));
      return v;
    };
  }

  private featuresOf(r: Ranked, pairsOfQuery: ReturnType<Engine['queryPairs']>): FeatureVector {
    const e = this.entities[r.entity];
    const qp = pairsOfQuery(r.query);
    const share = (pairs: Pairs) => {
      const own = this.pairsOf(r.entity);
      const at = new Map<number, { weight: number; said: number }>();
      for (const p of pairs) {
        const c = at.get(p.at) ?? { weight: p.weight, said: 0 };
        if (own.has(p.key)) c.said = p.weight;
        at.set(p.at, c);
      }
      let all = 0;
      let said = 0;
      for (const c of at.values()) {
        all += c.weight;
        said += c.said;
      }
      return all > 0 ? said / all : 0;
    };
    const f: Record<(typeof FEATURES)[number], number> = {
      logScore: Math.log(r.score + 1e-6),
      docCov: r.docCov,
      plainDocCov: r.plainDocCov,
      qCov: r.qCov,
      run: r.run ?? this.index.runShare(r.query, this.fieldsOf[r.entity]),
      lookup: e.kind === 'item' && e.lookup ? 1 : 0,
      unsaidOp: r.unsaidOp ? 1 : 0,
      hall: e.kind === 'item' && e.item.source === 'hall' ? 1 : 0,
      subjectShare: share(qp.subject),
      anyShare: share(qp.any),
      logTitleLength: Math.log([...e.title].length),
      viaAlias: r.viaAlias ? 1 : 0,
      faq: e.kind === 'faq' ? 1 : 0,
      place: e.kind === 'place' ? 1 : 0,
    };
    return FEATURES.map((k) => f[k]);
  }

  /** Put first the candidate the learned preference is confident of; it takes the leader's score slot. */
  private prefer(ranked: Ranked[]): Ranked[] {
    const model = this.preference;
    if (!model || ranked.length < 2) return ranked;
    const pool = ranked.slice(0, PREFER_POOL);
    const pairs = this.queryPairs();
    const best = preferred(model, pool.map((r) => this.featuresOf(r, pairs)), T.preferConfidence);
    if (best === 0) return ranked;
    const [lead, chosen] = [ranked[0], ranked[best]];
    return ranked.map((r, i) => (i === 0 ? { ...chosen, score: lead.score } : i === best ? { ...lead, score: chosen.score } : r));
  }

  private pairsOf(entity: number): Set<string> {
    let set = this.pairCache.get(entity);
    if (!set) this.pairCache.set(entity, (set = this.index.soundPairs(this.fieldsOf[entity])));
    return set;
  }

  /**
   * Near-duplicates (往来港澳通行证及签注 and …探亲签注) score alike when the question says
   * their common part. When the question also says subject words (pairs few departments
   * use) that some close candidates have and others lack, the ones that say clearly less
   * of them go; a visitor who said 探亲 is not asked whether they meant the general entry.
   * Among those still left, any word of the question counts, procedure words too: one
   * that says 下载 or 进度 when the other does not (…表格下载 against …办事指南查询,
   * 居住证办理进度查询 against 居住证办理) is what the visitor asked for.
   */
  private distinguish(close: Ranked[], query: QueryUnit[]): Ranked[] {
    const bySubject = this.narrow(close, this.index.distinctivePairs(query), true);
    return this.narrow(bySubject, this.index.distinctivePairs(query, 0), false);
  }

  private narrow(close: Ranked[], pairs: { key: string; chars: string; at: number; weight: number }[], byWeight: boolean): Ranked[] {
    if (close.length < 2 || pairs.length === 0) return close;
    const said = close.map((r) => {
      const set = this.pairsOf(r.entity);
      // Said in the same characters counts fully; only by sound, less: 士考 is not 师考.
      return pairs.filter((p) => set.has(p.key)).map((p) => (set.has(p.chars) ? p : { ...p, weight: p.weight * T.soundOnly }));
    });
    const weightOf = (ps: { at: number; weight: number }[]) => {
      // One pair may be listed under several readings: count each position once.
      const at = new Map<number, number>();
      for (const p of ps) at.set(p.at, Math.max(at.get(p.at) ?? 0, p.weight));
      let w = 0;
      for (const v of at.values()) w += v;
      return w;
    };
    const weights = said.map(weightOf);
    const top = Math.max(...weights);
    const positions = said.map((ps) => new Set(ps.map((p) => p.at)));
    // Drop a candidate when another says every word it says and more, or (subject words)
    // when it says much less of them than the best one does (护士 outweighs 考试报名).
    const keep = close.filter(
      (_, i) =>
        (!byWeight || weights[i] >= T.distinctKeep * top) &&
        !positions.some((other, j) => j !== i && other.size > positions[i].size && [...positions[i]].every((p) => other.has(p))),
    );
    return keep.length ? keep : close;
  }

  private intentFor(entity: number, cues: Set<Cue>, itemCue: ItemCue | undefined): Intent {
    const e = this.entities[entity];
    if (e.kind === 'place') return 'navigate';
    if (e.kind === 'faq') return 'faq';
    if (cues.has('navigate')) return 'navigate';
    if (cues.has('ticket')) return 'ticket';
    if (cues.has('booking')) return 'item.booking';
    return itemCue ? CUE_INTENT[itemCue] : 'item.info';
  }

  private answerBundle(bundle: Bundle, p: Phrasebook): Answer {
    const f = bundleFacts(p, this.knowledge.hall, this.knowledge.catalogue.items, bundle);
    const first = f.windows[0];
    return {
      intent: 'bundle',
      match: { kind: 'bundle', id: bundle.id, title: bundle.name },
      candidates: [{ kind: 'bundle', id: bundle.id, title: bundle.name, score: 1 }],
      answer: f.answer,
      confidence: T.ruleConfidence,
      card: f.card,
      ...(first ? { guide: { kind: 'window' as const, id: first.id, name: first.name, floor: first.floor } } : {}),
      ...(f.ticket ? { ticket: f.ticket } : {}),
    };
  }

  private plain(intent: Intent, answer: string, confidence: number, candidates: Candidate[] = []): Answer {
    return { intent, match: null, candidates, answer, confidence: round(confidence), card: messageCard(answer) };
  }

  private toReception(intent: Intent, answer: string, p: Phrasebook): Answer {
    const desk = this.knowledge.hall.places.find((x) => x.kind === 'reception');
    const a = this.plain(intent, answer, intent === 'human' ? T.ruleConfidence : 0);
    if (desk) {
      a.card = { ...placeCard(p, desk), title: answer };
      a.guide = { kind: 'place', id: desk.id, name: desk.name, floor: desk.floor };
    }
    return a;
  }

  private answerWindow(id: string, p: Phrasebook, lead: boolean): Answer {
    const hall = this.knowledge.hall;
    const w = hall.windows.find((x) => x.id === id);
    if (!w) {
      const all = describeWindows(hall.windows, p.t.list.sep, p.t.list.range);
      return this.plain('navigate', p.say('navigateUnknownWindow', { window: id, windows: all }), 0.3);
    }
    const dock = hall.places.find((x) => x.id === this.dockId());
    const otherFloor = dock && dock.floor !== w.floor;
    // "B01在哪" is answered and offered; only "带我去B01" sets the robot walking.
    const vars = { window: w.id, floor: p.floor(w.floor), zone: p.zone(w.zone) };
    const answer = lead ? p.say(otherFloor ? 'navigateWindowOtherFloor' : 'navigateWindow', vars) : p.say('windowWhere', vars);
    return {
      intent: 'navigate',
      match: { kind: 'place', id: w.id, title: w.name },
      candidates: [{ kind: 'place', id: w.id, title: w.name, score: 1 }],
      answer,
      confidence: 1,
      card: { kind: 'window', title: w.name, sections: [{ label: p.t.card.floor, lines: [`${p.floor(w.floor)} ${p.zone(w.zone)}`] }], windows: [p.window(w)] },
      guide: { kind: 'window', id: w.id, name: w.name, floor: w.floor },
      lead,
    };
  }

  /** A part of the hall asked for by name: a ticket of its queue, or its windows, offered or walked to. */
  private answerArea(plan: Extract<Plan, { kind: 'area' }>, p: Phrasebook): Answer {
    const hall = this.knowledge.hall;
    const g = hall.groups.find((x) => x.id === plan.group)!;
    const name = p.lang === 'en' ? (g.nameEn ?? g.name) : g.name;
    if (plan.want === 'ticket') {
      return { ...this.plain('ticket', p.say('ticket', { name, group: name, prefix: g.prefix }), T.ruleConfidence), ticket: { group: g.id, prefix: g.prefix, name } };
    }
    const windows = windowsOfGroups(hall, [g.id]);
    const w0 = windows[0];
    if (!w0) return this.toReception('navigate', p.say('navigateItemNone', { name }), p);
    const lead = plan.want === 'lead';
    const ids = describeWindows(windows, p.t.list.sep, p.t.list.range);
    const answer = lead ? p.say('navigateItem', { name, window: w0.id }) : p.say('where', { name, floor: p.floor(w0.floor), zone: p.zone(w0.zone), windows: ids });
    return {
      ...this.plain('navigate', answer, T.ruleConfidence),
      card: { kind: 'window', title: name, sections: [{ label: p.t.card.windows, lines: [`${ids}（${p.floor(w0.floor)}）`] }], windows: windows.map((w) => p.window(w)) },
      guide: { kind: 'window', id: w0.id, name: w0.name, floor: w0.floor },
      lead,
    };
  }

  /** When every close candidate is a place of the same kind, the one on the robot's own floor. */
  private nearestOfOneKind(close: Ranked[]): Ranked | null {
    const places = close.map((r) => this.placeOf(r.entity));
    if (places.some((pl) => !pl) || new Set(places.map((pl) => pl?.kind)).size !== 1 || places[0]?.kind === 'other') return null;
    const dockFloor = this.knowledge.hall.places.find((x) => x.id === this.dockId())?.floor;
    return close.find((r) => this.placeOf(r.entity)?.floor === dockFloor) ?? close[0];
  }

  private placeOf(entity: number): Place | undefined {
    const e = this.entities[entity];
    return e.kind === 'place' ? e.place : undefined;
  }

  private dockId(): string {
    return this.knowledge.hall.places.find((x) => x.kind === 'robot-dock')?.id ?? '';
  }

  private answerEntity(intent: Intent, entity: number, caseIdx: number, confidence: number, candidates: Candidate[], session: DialogueSession, p: Phrasebook, lead: boolean): Answer {
    const e = this.entities[entity];
    const base = { match: this.match(entity, caseIdx), candidates, confidence: round(confidence) };
    if (e.kind === 'faq') {
      return { ...base, intent: 'faq', answer: p.say('faq', { answer: e.faq.answer }), card: faqCard(p, e.faq) };
    }
    if (e.kind === 'place') {
      const pl = e.place;
      const floor = p.floor(pl.floor);
      // "一楼洗手间在一楼" says the floor twice: speak the place without it.
      const full = p.lang === 'en' ? (pl.nameEn ?? pl.name) : pl.name;
      const name = full.startsWith(floor) && full.length > floor.length ? full.slice(floor.length) : full;
      return {
        ...base,
        intent: 'navigate',
        answer: p.say(lead ? 'navigatePlace' : 'placeWhere', { place: name, floor }),
        card: placeCard(p, pl),
        guide: { kind: 'place', id: pl.id, name: pl.name, floor: pl.floor },
        lead,
      };
    }
    const item = e.item;
    session.item = { entity, caseIdx };
    const f = itemFacts(this.knowledge.hall, item, caseIdx);
    const card = itemCard(p, f);
    const windows = describeWindows(f.windows, p.t.list.sep, p.t.list.range);
    const w0 = f.windows[0] as ServiceWindow | undefined;
    const vars = {
      // English answers name the item in English where the hall gives its English name.
      name: p.lang === 'en' && item.nameEn && caseIdx < 0 ? item.nameEn : f.name,
      department: item.department,
      windows,
      floor: w0 ? p.floor(w0.floor) : '',
      zone: w0 ? p.zone(w0.zone) : '',
      limit: p.limitPhrase(f),
    };
    const guide: GuideTarget | undefined = w0 ? { kind: 'window', id: w0.id, name: w0.name, floor: w0.floor } : undefined;
    const out = (answer: string, extra: Partial<Answer> = {}): Answer => ({ ...base, intent, answer, card, ...extra });
    switch (intent) {
      case 'item.materials': {
        const distinct = new Set(item.cases.map((c) => c.materials.map((m) => m.name).sort().join('|')));
        // The catalogue writes materials and situations in Chinese only: an English answer points to the screen's lists instead of reading them out.
        const chineseOnly = p.lang === 'en' && [...item.cases.map((c) => c.name), ...f.materials.map((m) => m.name)].some((n) => /[\u3400-\u9fff]/.test(n));
        if (chineseOnly) return out(p.say('materialsOnScreen', vars));
        if (caseIdx < 0 && item.cases.length > 1 && distinct.size > 1) {
          const options = item.cases.map((c, i) => ({ entity, caseIdx: i, label: c.name }));
          session.pending = { intent, options };
          const question = p.say('materialsByCase', { name: item.name, options: p.list(options.map((o) => o.label)) });
          return out(question, {
            card: { ...card, options: options.map((o, i) => ({ index: i + 1, label: o.label })) },
            clarify: { question, options: options.map((o, i) => ({ index: i + 1, kind: 'item', id: item.code, title: `${item.name}（${o.label}）` })) },
          });
        }
        if (f.materials.length === 0) return out(p.say('materialsNone', { ...vars, windows: windows || '-' }));
        const names = f.materials.filter((m) => m.required).map((m) => m.name);
        const spoken = (names.length ? names : f.materials.map((m) => m.name)).slice(0, 5);
        return out(p.say('materials', { ...vars, materials: p.list(spoken) + (names.length > 5 ? (p.lang === 'en' ? ' and more' : '等') : '') }));
      }
      case 'item.conditions':
        if (!f.conditions) return out(p.say('conditionsNone', vars));
        return out(p.say('conditions', { ...vars, conditions: f.conditions.length > 120 ? `${f.conditions.slice(0, 120)}…` : f.conditions }));
      case 'item.where':
        return out(w0 ? p.say('where', vars) : p.say('whereNone', vars), { guide });
      case 'item.duration': {
        const l = f.promisedLimit ?? f.legalLimit;
        if (!l) return out(p.say('durationNone', vars));
        return out(l.unit === '即办' ? p.say('durationInstant', vars) : p.say('duration', { ...vars, limit: p.limit(l) }));
      }
      case 'item.visits':
        if (f.visits === null) return out(p.say('visitsNone', vars));
        return out(f.visits === 0 ? p.say('visitsZero', vars) : p.say('visits', { ...vars, visits: f.visits }));
      case 'item.booking':
      case 'appointment':
        return out(p.say(item.onlineBooking ? 'appointmentYes' : 'appointmentNo', vars));
      case 'item.courier':
        return out(p.say(item.courier ? 'courierYes' : 'courierNo', vars));
      case 'ticket': {
        const g = groupsForItem(this.knowledge.hall, item)[0];
        if (!g) return out(p.say('ticketNoGroup', vars));
        const name = p.lang === 'en' ? (g.nameEn ?? g.name) : g.name;
        return out(p.say('ticket', { ...vars, group: name, prefix: g.prefix }), { ticket: { group: g.id, prefix: g.prefix, name } });
      }
      case 'navigate':
        if (!w0) return { ...this.toReception('navigate', p.say('navigateItemNone', vars), p), match: base.match, candidates };
        return out(p.say('navigateItem', { ...vars, window: w0.id }), { guide, lead: true });
      default:
        return out(w0 ? p.say('itemInfo', vars) : p.say('itemInfoNoWindow', vars), { guide });
    }
  }
}

/** Dice coefficient of two names' character pairs: 1 for the same name. */
function nameLikeness(a: string, b: string): number {
  if (a === b) return 1;
  const pairs = (s: string) => {
    const c = [...s];
    return new Set(c.slice(1).map((x, i) => c[i] + x));
  };
  const [pa, pb] = [pairs(a), pairs(b)];
  const shared = [...pa].filter((x) => pb.has(x)).length;
  return pa.size + pb.size ? (2 * shared) / (pa.size + pb.size) : 0;
}

/** Short yes-words a visitor answers an offer with; anything longer is a new question. */
const ACCEPT = /^(好|好的|好啊|好呀|行|可以|嗯|嗯嗯|是|是的|对|要|需要|麻烦你|麻烦了|谢谢|走吧|走|去|带我去|带我过去|yes|ok|okay|sure|please)+[啊吧呀了呢!！。.]*$/;

function isAcceptance(norm: string, contentWords: number, navigateCue: boolean): boolean {
  const bare = norm.replace(/[\s,，。.!！?？、]/g, '').toLowerCase();
  if (ACCEPT.test(bare)) return true;
  // "好的，带我去吧": a navigation request with nothing left to name a new target.
  return navigateCue && contentWords === 0;
}
