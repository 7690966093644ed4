/** 好差评: five levels; the two bad ones need a reason and lead to a staff follow-up. */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api.ts';
import { useRequestId } from '../../shared/request-id.ts';
import { useKiosk } from '../state.tsx';
import { BackBar } from '../parts/BackBar.tsx';
import { Keyboard } from '../parts/Keyboard.tsx';
import { REASONS_ZH } from '../strings-zh.ts';

export function RatingScreen({ itemCode, subject }: { itemCode?: string; subject?: string }) {
  const { t } = useTranslation();
  const k = useKiosk();
  // One rating, one appointment per action: a double tap repeats the same request.
  const request = useRequestId();
  const [level, setLevel] = useState<number | null>(null);
  const [reasons, setReasons] = useState<string[]>([]);
  const [comment, setComment] = useState('');
  const [typing, setTyping] = useState(false);
  const [done, setDone] = useState<{ followUp: boolean } | null>(null);
  const [error, setError] = useState(false);
  const onComment = useCallback((v: string) => setComment(v), []);
  const levels = t('rating.levels', { returnObjects: true }) as string[];
  const bad = level !== null && level <= 2;
  const reasonLabels = (bad ? t('rating.reasonsBad', { returnObjects: true }) : t('rating.reasonsGood', { returnObjects: true })) as string[];
  const reasonValues = bad ? REASONS_ZH.bad : REASONS_ZH.good;
  const missingReason = bad && reasons.length === 0 && !comment.trim();

  useEffect(() => {
    k.speak(`${t('rating.title')}：${levels.join('，')}`);
  }, []);

  useEffect(() => {
    if (!done) return;
    const timer = setTimeout(k.goHome, 4000);
    return () => clearTimeout(timer);
  }, [done, k.goHome]);

  const submit = async () => {
    if (level === null || missingReason) return;
    try {
      const res = await api.call('rating.submit', { level, reasons, comment: comment.trim() || undefined, itemCode, subject, requestId: request.current() });
      setDone(res);
    } catch {
      setError(true);
    }
  };

  if (done) {
    return (
      <div className="rating done" data-testid="rating-done">
        <h1>{t('rating.thanks')}</h1>
        {done.followUp && <p>{t('rating.followUp')}</p>}
        <button className="primary big" onClick={k.goHome}>{t('home')}</button>
      </div>
    );
  }

  return (
    <div className="rating" data-testid="rating">
      <BackBar title={t('rating.title')} />
      <ul className="levels">
        {levels.map((label, i) => {
          const value = 5 - i;
          return (
            <li key={value}>
              <button
                className={`level level-${value} ${level === value ? 'selected' : ''}`}
                aria-pressed={level === value}
                data-level={value}
                onClick={() => {
                  setLevel(value);
                  setReasons([]);
                }}
              >
                {label}
              </button>
            </li>
          );
        })}
      </ul>
      {level !== null && (
        <>
          <ul className="chips reasons">
            {reasonValues.map((value, i) => (
              <li key={value}>
                <button
                  aria-pressed={reasons.includes(value)}
                  className={reasons.includes(value) ? 'selected' : ''}
                  data-reason={value}
                  onClick={() => setReasons((r) => (r.includes(value) ? r.filter((x) => x !== value) : [...r, value]))}
                >
                  {reasonLabels[i]}
                </button>
              </li>
            ))}
          </ul>
          {missingReason && <p className="warn" data-testid="need-reason">{t('rating.needReason')}</p>}
          <button className="comment" onClick={() => setTyping((x) => !x)} data-testid="comment-toggle">
            {t('rating.comment')}
            {comment && `：${comment}`}
          </button>
          {typing && <Keyboard index={k.index} onChange={onComment} maxLength={200} />}
          {error && <p className="warn" role="alert">{t('rating.failed')}</p>}
          <button className="primary big" disabled={missingReason} onClick={() => void submit()} data-testid="submit-rating">
            {t('rating.submit')}
          </button>
        </>
      )}
    </div>
  );
}
