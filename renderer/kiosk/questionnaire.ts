/**
 * Walking a situation questionnaire (递进式问卷): one question at a time, each answer
 * leading to the next question or to the exact case. Pure, so the screen and the tests
 * share it.
 */
import type { Questionnaire } from '../../config/schema.ts';
import type { SessionPerson } from '../../protocol/ui/domains/session.ts';

type Question = Questionnaire['questions'][number];

export type Step = { kind: 'question'; question: Question } | { kind: 'case'; caseCode: string } | { kind: 'broken'; why: string };

/** A step with the answer that led to it, so the walk can be told back (eligibility rules read the answers). */
export type Walked = Step & { picked?: { question: string; label: string } };

/** Question id → the label chosen, along a walk. */
export function answersOf(trail: Walked[]): Record<string, string> {
  return Object.fromEntries(trail.flatMap((s) => (s.picked ? [[s.picked.question, s.picked.label]] : [])));
}

export function questionById(q: Questionnaire, id: string): Question | undefined {
  return q.questions.find((x) => x.id === id);
}

export function first(q: Questionnaire): Step {
  const question = questionById(q, q.start);
  return question ? { kind: 'question', question } : { kind: 'broken', why: `no start question ${q.start}` };
}

/** Where answering `option` (by index) of question `id` leads. */
export function answer(q: Questionnaire, id: string, option: number): Step {
  const question = questionById(q, id);
  const opt = question?.options[option];
  if (!opt) return { kind: 'broken', why: `no option ${option} on ${id}` };
  if (opt.case) return { kind: 'case', caseCode: opt.case };
  if (opt.next) {
    const next = questionById(q, opt.next);
    return next ? { kind: 'question', question: next } : { kind: 'broken', why: `no question ${opt.next}` };
  }
  return { kind: 'broken', why: `option ${option} of ${id} leads nowhere` };
}

/** Every case reachable from the start, with the answers (option labels) that reach it. */
export function paths(q: Questionnaire): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const visit = (id: string, trail: string[], seen: Set<string>) => {
    const question = questionById(q, id);
    if (!question || seen.has(id)) return;
    const nextSeen = new Set(seen).add(id);
    for (const opt of question.options) {
      if (opt.case && !out.has(opt.case)) out.set(opt.case, [...trail, opt.label]);
      else if (opt.next) visit(opt.next, [...trail, opt.label], nextSeen);
    }
  };
  visit(q.start, [], new Set());
  return out;
}

/**
 * The walk a citizen would take to `caseCode`, answers included, for a case picked
 * directly on the guide: the eligibility verdict then reads the same answers as after the
 * questions. Null when no path reaches the case.
 */
export function walkTo(q: Questionnaire, caseCode: string): Walked[] | null {
  const labels = paths(q).get(caseCode);
  if (!labels) return null;
  const trail: Walked[] = [first(q)];
  for (const label of labels) {
    const at = trail[trail.length - 1];
    if (at.kind !== 'question') return null;
    const i = at.question.options.findIndex((o) => o.label === label);
    trail.push({ ...answer(q, at.question.id, i), picked: { question: at.question.id, label } });
  }
  const end = trail[trail.length - 1];
  return end.kind === 'case' && end.caseCode === caseCode ? trail : null;
}

const IDENTITY: Record<SessionPerson['cardType'], RegExp> = {
  resident: /大陆居民|内地居民|中国公民|境内居民|本市户籍|中国籍/,
  'hk-macau-taiwan': /港澳台|香港|澳门|台湾/,
  'foreign-permanent': /外国人|外籍|境外人员/,
};

/** The option the citizen's own card answers (大陆居民 for a resident ID card), if the question asks who they are. */
export function recommended(question: Question, person: Pick<SessionPerson, 'cardType'> | null): number {
  if (!person) return -1;
  const hits = question.options.map((o, i) => (IDENTITY[person.cardType].test(o.label) ? i : -1)).filter((i) => i >= 0);
  return hits.length === 1 ? hits[0] : -1;
}
