/**
 * 条件预判's answer at the end of a questionnaire: you qualify, you do not because …, or
 * ask at the window, in the hall's own words. The host decides (it alone holds the card);
 * signing in while this shows asks again, since the card may settle what the answers could not.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api.ts';
import type { EligibilityVerdict } from '../../../protocol/ui/domains/eligibility.ts';
import { useKiosk } from '../state.tsx';

interface Props {
  code: string;
  caseCode: string;
  title: string;
  answers: Record<string, string>;
  /** Steps back to the last question. */
  onChange(): void;
}

export function EligibilityVerdictPanel({ code, caseCode, title, answers, onChange }: Props) {
  const { t, i18n } = useTranslation();
  const k = useKiosk();
  const [verdict, setVerdict] = useState<EligibilityVerdict | null | 'failed'>(null);
  const signedIn = !!k.person;

  useEffect(() => {
    let live = true;
    setVerdict(null);
    api.call('eligibility.check', { code, caseCode, answers }).then(
      (v) => live && (v ? setVerdict(v) : k.replace({ name: 'guide', code, caseCode })),
      () => live && setVerdict('failed'),
    );
    return () => {
      live = false;
    };
  }, [code, caseCode, signedIn]);

  const en = i18n.language === 'en';
  const reason = verdict && verdict !== 'failed' ? (en && verdict.reasonEn) || verdict.reason : undefined;
  const zhOnly = en && verdict && verdict !== 'failed' && !verdict.reasonEn && verdict.reason;
  const missing = verdict && verdict !== 'failed' && verdict.missing.length ? t('elig.missing', { facts: verdict.missing.map((f) => t(`elig.facts.${f}`)).join(t('elig.factSeparator')) }) : '';
  const heading = !verdict ? '' : verdict === 'failed' ? t('elig.ask') : t(`elig.${verdict.verdict}`);
  const said = verdict === 'failed' ? t('elig.failed') : missing || (reason && verdict?.verdict === 'ineligible' ? t('elig.because', { reason }) : (reason ?? ''));

  useEffect(() => {
    if (heading) k.speak(`${heading}。${said}`);
  }, [heading, said]);

  if (!verdict) return <p className="notice" role="status">{t('elig.checking')}</p>;
  const kind = verdict === 'failed' ? 'ask' : verdict.verdict;
  const guide = () => k.go({ name: 'guide', code, caseCode });
  return (
    <section className={`eligibility ${kind}`} data-testid="eligibility" data-verdict={kind} role="status">
      <h2 className="verdict">{heading}</h2>
      {said && (
        <p className="verdict-reason" data-testid="eligibility-reason">
          {said}
          {zhOnly && !missing ? <small className="zh-only">{t('guide.chineseOnly')}</small> : null}
        </p>
      )}
      {signedIn && verdict !== 'failed' && <p className="muted small">{t('elig.private')}</p>}
      <div className="actions">
        {kind === 'eligible' ? (
          <button className="primary big" data-testid="eligibility-continue" onClick={guide}>{t('elig.continue')}</button>
        ) : (
          <>
            {kind === 'ask' && (
              <button className="primary big" data-testid="eligibility-ticket" onClick={() => k.go({ name: 'ticket', code, caseCode, title })}>{t('elig.ticket')}</button>
            )}
            <button className="big" data-testid="eligibility-change" onClick={onChange}>{t('elig.change')}</button>
            <button className="big" data-testid="eligibility-guide" onClick={guide}>{t('elig.guideAnyway')}</button>
          </>
        )}
      </div>
    </section>
  );
}
