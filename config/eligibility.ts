/**
 * 条件预判: decides from an item's eligibility rules, the citizen's questionnaire answers
 * and the facts of their ID card whether they qualify, do not (and why), or should ask at
 * the window. Pure, so the kiosk host (with the signed-in card) and the console's 试算
 * panel (with sample facts) give the same verdict.
 *
 * The card facts are personal data: the kiosk computes them from the card in its session
 * and passes them here, and nothing here keeps, logs or returns them.
 */
import { boundInMonths, type CardKind, type Condition, type Eligibility, type VerdictKind } from './eligibility-rules.ts';
import { monthsOn } from './age.ts';

export type { AgeBound, CardKind, Condition, Eligibility, VerdictKind } from './eligibility-rules.ts';
export { ageOn } from './age.ts';

/** What a rule may ask of the card; null where the kiosk does not know it (nobody signed in, a number without a region code). */
export interface CardFacts {
  /** Completed years and months (0–11) of age on the hall's day. */
  age: Age | null;
  cardType: CardKind | null;
  region: string | null;
}

export interface Age {
  years: number;
  months: number;
}

export type CardFact = keyof CardFacts;

export const NO_CARD: CardFacts = { age: null, cardType: null, region: null };

export interface EligibilityInput {
  /** The case the questionnaire reached. */
  caseCode?: string;
  /** Question id → the label of the option chosen. */
  answers: Record<string, string>;
  card: CardFacts;
}

export interface EligibilityVerdict {
  verdict: VerdictKind;
  /** The hall's words for the verdict, from the deciding rule. */
  reason?: string;
  reasonEn?: string;
  /** Card facts the deciding rule needed and the kiosk lacked: the verdict is then ask. */
  missing: CardFact[];
  /** Index of the deciding rule; -1 when none held (`otherwise`). */
  rule: number;
}

/** Completed years and months on `today` (both YYYY-MM-DD), by config/age.ts's reckoning. */
export function ageMonthsOn(birth: string, today: string): Age | null {
  const months = monthsOn(birth, today);
  return months === null ? null : { years: Math.floor(months / 12), months: months % 12 };
}

/**
 * The facts rules read from a card on the hall's day `today`. The region is the number's
 * first six digits (行政区划代码) on a resident card, or 810000/820000/830000 on a Hong
 * Kong, Macau or Taiwan residence permit; a foreign permanent resident card's number has
 * none.
 */
export function cardFacts(card: { cardType: CardKind; birth: string; idNumber: string }, today: string): CardFacts {
  const region = card.cardType !== 'foreign-permanent' && /^\d{6}/.test(card.idNumber) ? card.idNumber.slice(0, 6) : null;
  return { age: ageMonthsOn(card.birth, today), cardType: card.cardType, region };
}

/** true, false, or null when a card fact it needs is missing (then `missing` names them). */
interface Truth {
  value: boolean | null;
  missing: Set<CardFact>;
}

const known = (value: boolean): Truth => ({ value, missing: new Set() });
const unknown = (fact: CardFact): Truth => ({ value: null, missing: new Set([fact]) });

/** Kleene's three-valued and/or: a false (or true, for any) settles it even beside an unknown. */
function combine(parts: Truth[], mode: 'all' | 'any'): Truth {
  const settles = mode === 'all' ? false : true;
  if (parts.some((p) => p.value === settles)) return known(settles);
  const open = parts.filter((p) => p.value === null);
  if (open.length) return { value: null, missing: new Set(open.flatMap((p) => [...p.missing])) };
  return known(!settles);
}

function test(c: Condition, input: EligibilityInput): Truth {
  const parts: Truth[] = [];
  const { card } = input;
  if (c.age) {
    const { atLeast, below } = c.age;
    const months = card.age && card.age.years * 12 + card.age.months;
    parts.push(months === null ? unknown('age') : known((atLeast === undefined || months >= boundInMonths(atLeast)) && (below === undefined || months < boundInMonths(below))));
  }
  if (c.cardType) parts.push(card.cardType === null ? unknown('cardType') : known(c.cardType.includes(card.cardType)));
  if (c.region) parts.push(card.region === null ? unknown('region') : known(c.region.some((p) => card.region!.startsWith(p))));
  if (c.answers) parts.push(known(Object.entries(c.answers).every(([q, labels]) => input.answers[q] !== undefined && labels.includes(input.answers[q]))));
  if (c.case) parts.push(known(input.caseCode !== undefined && c.case.includes(input.caseCode)));
  if (c.all) parts.push(combine(c.all.map((x) => test(x, input)), 'all'));
  if (c.any) parts.push(combine(c.any.map((x) => test(x, input)), 'any'));
  if (c.not) {
    const inner = test(c.not, input);
    parts.push(inner.value === null ? inner : known(!inner.value));
  }
  return combine(parts, 'all');
}

/**
 * The first rule whose condition holds decides. A rule that cannot be decided for want of
 * a card fact stops the walk with ask: a later rule must not decide in its place, since
 * this one might have held.
 */
export function evaluate(e: Eligibility, input: EligibilityInput): EligibilityVerdict {
  for (const [i, rule] of e.rules.entries()) {
    const t = test(rule.when, input);
    if (t.value === false) continue;
    const words = { ...(rule.reason ? { reason: rule.reason } : {}), ...(rule.reasonEn ? { reasonEn: rule.reasonEn } : {}) };
    if (t.value === null) return { verdict: 'ask', ...words, missing: [...t.missing].sort(), rule: i };
    return { verdict: rule.verdict, ...words, missing: [], rule: i };
  }
  const o = e.otherwise;
  return { verdict: o.verdict, ...(o.reason ? { reason: o.reason } : {}), ...(o.reasonEn ? { reasonEn: o.reasonEn } : {}), missing: [], rule: -1 };
}

/**
 * The case a walk through the questionnaire reaches with these answers (question id →
 * option label), or null where an answer is missing or leads nowhere. The console's 试算
 * walks it as a citizen would.
 */
export function caseOf(q: { start: string; questions: { id: string; options: { label: string; next?: string; case?: string }[] }[] }, answers: Record<string, string>): string | null {
  const seen = new Set<string>();
  let id: string | undefined = q.start;
  while (id && !seen.has(id)) {
    seen.add(id);
    const question = q.questions.find((x) => x.id === id);
    const option = question?.options.find((o) => o.label === answers[id!]);
    if (!option) return null;
    if (option.case) return option.case;
    id = option.next;
  }
  return null;
}

/** Questions and cases a rule names must exist; a misspelt label would silently never match. */
export function eligibilityProblems(
  e: Eligibility,
  questions: { id: string; options: { label: string }[] }[],
  cases: Set<string> | undefined,
): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const labels = new Map(questions.map((q) => [q.id, new Set(q.options.map((o) => o.label))]));
  const walk = (c: Condition, at: string) => {
    for (const [q, wanted] of Object.entries(c.answers ?? {})) {
      const have = labels.get(q);
      if (!have) problems.push({ path: `${at}.answers.${q}`, message: `unknown question ${q}` });
      else wanted.forEach((l, k) => !have.has(l) && problems.push({ path: `${at}.answers.${q}[${k}]`, message: `question ${q} has no option labelled ${l} (options: ${[...have].join(', ')})` }));
    }
    c.case?.forEach((code, k) => !cases?.has(code) && problems.push({ path: `${at}.case[${k}]`, message: `unknown case code ${code}` }));
    c.all?.forEach((x, k) => walk(x, `${at}.all[${k}]`));
    c.any?.forEach((x, k) => walk(x, `${at}.any[${k}]`));
    if (c.not) walk(c.not, `${at}.not`);
  };
  e.rules.forEach((r, i) => walk(r.when, `eligibility.rules[${i}].when`));
  return problems;
}
