/**
 * 试算: staff walk the questionnaire being edited, give sample card facts (age, card type,
 * region code) and see the verdict and reason a citizen would get, with the same schema
 * and evaluator the kiosk uses, before anything is published. A rule the schema refuses
 * is named here by its field, as the platform would name it on publishing.
 */
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Questionnaire } from '../../config/schema.ts';
import { CARD_KINDS, type CardKind } from '../../config/eligibility-rules.ts';
import { caseOf, eligibilityProblems, evaluate, NO_CARD, type CardFacts } from '../../config/eligibility.ts';
import { pathOf } from '../../config/issue-path.ts';

type Parsed = { kind: 'bad-json' } | { kind: 'problems'; problems: string[] } | { kind: 'ok'; q: Questionnaire };

function parse(text: string, item: string, cases: Set<string>): Parsed {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { kind: 'bad-json' };
  }
  const r = Questionnaire.safeParse({ ...(raw as object), item });
  if (!r.success) return { kind: 'problems', problems: r.error.issues.map((i) => `${pathOf(i.path)}: ${i.message}`) };
  const refs = r.data.eligibility ? eligibilityProblems(r.data.eligibility, r.data.questions, cases) : [];
  return refs.length ? { kind: 'problems', problems: refs.map((p) => `${p.path}: ${p.message}`) } : { kind: 'ok', q: r.data };
}

export function EligibilityTrial({ text, item, cases }: { text: string; item: string; cases: { code: string; name: string }[] }) {
  const { t } = useTranslation();
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [withCard, setWithCard] = useState(true);
  const [age, setAge] = useState('40');
  const [ageMonths, setAgeMonths] = useState('0');
  const [cardType, setCardType] = useState<CardKind>('resident');
  const [region, setRegion] = useState('440104');
  const parsed = useMemo(() => parse(text, item, new Set(cases.map((c) => c.code))), [text, item, cases]);

  if (!text.trim()) return null;
  const body = (() => {
    if (parsed.kind === 'bad-json') return <p className="muted">{t('items.trial.badJson')}</p>;
    if (parsed.kind === 'problems')
      return (
        <div className="bad" data-testid="trial-problems">
          <p>{t('items.trial.problems')}</p>
          <ul className="problems">
            {parsed.problems.slice(0, 20).map((p) => (
              <li key={p}>
                <code>{p}</code>
              </li>
            ))}
          </ul>
        </div>
      );
    const { q } = parsed;
    if (!q.eligibility) return <p className="muted">{t('items.trial.none')}</p>;
    // The questions a citizen would see with these answers, in order.
    const walk: Questionnaire['questions'] = [];
    for (let id: string | undefined = q.start; id && !walk.some((x) => x.id === id); ) {
      const question = q.questions.find((x) => x.id === id);
      if (!question) break;
      walk.push(question);
      id = question.options.find((o) => o.label === answers[question.id])?.next;
    }
    const reached = caseOf(q, answers);
    const asked = Object.fromEntries(walk.filter((x) => answers[x.id] !== undefined).map((x) => [x.id, answers[x.id]]));
    const card: CardFacts = withCard ? { age: age.trim() === '' ? null : { years: Number(age), months: Math.min(11, Math.max(0, Math.trunc(Number(ageMonths)) || 0)) }, cardType, region: region.trim() || null } : NO_CARD;
    const v = evaluate(q.eligibility, { caseCode: reached ?? undefined, answers: asked, card });
    return (
      <>
        {walk.map((x) => (
          <label key={x.id}>
            {x.text}
            <select value={answers[x.id] ?? ''} aria-label={x.text} onChange={(e) => setAnswers((a) => ({ ...a, [x.id]: e.target.value }))}>
              <option value="">{t('items.trial.notAsked')}</option>
              {x.options.map((o) => (
                <option key={o.label} value={o.label}>
                  {o.label}
                </option>
              ))}
            </select>
          </label>
        ))}
        <p className="muted small">{reached ? t('items.trial.caseReached', { case: cases.find((c) => c.code === reached)?.name ?? reached }) : t('items.trial.noCase')}</p>
        <div className="form-row">
          <label className="check">
            <input type="checkbox" checked={withCard} onChange={(e) => setWithCard(e.target.checked)} />
            {t('items.trial.withCard')}
          </label>
          <label>
            {t('items.trial.age')}
            <input type="number" min={0} max={150} value={age} disabled={!withCard} onChange={(e) => setAge(e.target.value)} aria-label={t('items.trial.age')} />
          </label>
          <label>
            {t('items.trial.ageMonths')}
            <input type="number" min={0} max={11} value={ageMonths} disabled={!withCard} onChange={(e) => setAgeMonths(e.target.value)} aria-label={t('items.trial.ageMonths')} />
          </label>
          <label>
            {t('items.trial.cardType')}
            <select value={cardType} disabled={!withCard} onChange={(e) => setCardType(e.target.value as CardKind)} aria-label={t('items.trial.cardType')}>
              {CARD_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`items.trial.cardTypes.${k}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('items.trial.region')}
            <input value={region} maxLength={6} disabled={!withCard} onChange={(e) => setRegion(e.target.value.replace(/\D/g, ''))} aria-label={t('items.trial.region')} />
          </label>
        </div>
        <div className={`trial-verdict ${v.verdict}`} data-testid="trial-verdict" data-verdict={v.verdict} role="status">
          <strong>{t(`items.trial.verdicts.${v.verdict}`)}</strong>
          {/* An undecided rule's reason speaks of its own verdict, not of asking: the missing facts say why instead. */}
          {v.reason && !v.missing.length ? <span>：{v.reason}</span> : null}
          {v.missing.length ? <p className="small">{t('items.trial.missing', { facts: v.missing.map((f) => t(`items.trial.facts.${f}`)).join('、') })}</p> : null}
          <p className="muted small">{v.rule >= 0 ? t('items.trial.rule', { n: v.rule }) : t('items.trial.otherwise')}</p>
        </div>
      </>
    );
  })();
  return (
    <fieldset className="eligibility-trial" data-testid="eligibility-trial">
      <legend>{t('items.trial.title')}</legend>
      <p className="muted small">{t('items.trial.hint')}</p>
      {body}
    </fieldset>
  );
}
