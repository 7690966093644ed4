/** The situation questionnaire: one plain question per screen until the exact case is known, then, where the item has rules, whether the citizen qualifies. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api.ts';
import type { Questionnaire } from '../../../config/schema.ts';
import { useKiosk } from '../state.tsx';
import { BackBar } from '../parts/BackBar.tsx';
import { answer, answersOf, first, recommended, walkTo, type Walked } from '../questionnaire.ts';
import { EligibilityVerdictPanel } from '../parts/EligibilityVerdict.tsx';

export function QuestionnaireScreen({ code, caseCode }: { code: string; caseCode?: string }) {
  const { t, i18n } = useTranslation();
  const k = useKiosk();
  const [q, setQ] = useState<Questionnaire | null>(null);
  const [title, setTitle] = useState('');
  const [trail, setTrail] = useState<Walked[]>([]);

  useEffect(() => {
    api.call('catalogue.item', { code }).then((g) => {
      setTitle(g.item.name);
      if (g.questionnaire) {
        setQ(g.questionnaire);
        setTrail((caseCode && walkTo(g.questionnaire, caseCode)) || [first(g.questionnaire)]);
      }
    }, () => {});
  }, [code, caseCode]);

  const step = trail[trail.length - 1];
  useEffect(() => {
    // With rules the verdict is shown here first; without, the case's guide follows at once.
    if (step?.kind === 'case' && !q?.eligibility) k.go({ name: 'guide', code, caseCode: step.caseCode });
    if (step?.kind === 'question') k.speak(`${step.question.text} ${step.question.options.map((o) => o.label).join('，')}`);
  }, [step]);

  if (!q || !step) return <><BackBar title={title} /><p className="notice">{t('loading')}</p></>;
  if (step.kind === 'case' && q.eligibility) {
    return (
      <div className="questionnaire" data-testid="questionnaire">
        <BackBar title={title} />
        <EligibilityVerdictPanel code={code} caseCode={step.caseCode} title={title} answers={answersOf(trail)} onChange={() => setTrail((tr) => tr.slice(0, -1))} />
      </div>
    );
  }
  if (step.kind !== 'question') return <BackBar title={title} />;
  const question = step.question;
  const rec = recommended(question, k.person);
  const en = i18n.language === 'en';
  return (
    <div className="questionnaire" data-testid="questionnaire">
      <BackBar title={title} />
      <p className="muted step">{t('q.step', { n: trail.length })}</p>
      <h2 className="question" data-testid="question">{(en && question.textEn) || question.text}</h2>
      <ul className="options">
        {question.options.map((o, i) => (
          <li key={i}>
            <button className={`option ${i === rec ? 'recommended' : ''}`} data-option={o.label} onClick={() => setTrail((tr) => [...tr, { ...answer(q, question.id, i), picked: { question: question.id, label: o.label } }])}>
              {(en && o.labelEn) || o.label}
              {i === rec && <small> ✓ {k.person?.maskedName}</small>}
            </button>
          </li>
        ))}
      </ul>
      {trail.length > 1 && (
        <div className="q-nav">
          <button onClick={() => setTrail((tr) => tr.slice(0, -1))}>‹ {t('back')}</button>
          <button onClick={() => setTrail((tr) => tr.slice(0, 1))}>{t('q.restart')}</button>
        </div>
      )}
    </div>
  );
}
