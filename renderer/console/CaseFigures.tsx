/** 办件 on the figures page: how many cases stand in each state, and the running ones past the item's promised time. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { platform } from '../shared/platform.ts';
import { CASE_STATES, type CaseFiguresAnswer } from '../../protocol/cases.ts';
import { fmtTime } from './format.ts';
import { TableHead } from './TableHead.tsx';

export function CaseFigures() {
  const { t, i18n } = useTranslation();
  const [f, setF] = useState<CaseFiguresAnswer | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    platform<CaseFiguresAnswer>('GET', '/api/cases/figures').then(setF, (e: Error) => setError(e.message));
  }, []);
  const en = i18n.language === 'en';
  return (
    <>
      <h3>{t('caseFigures.title')}</h3>
      {error ? <p className="bad">{error}</p> : null}
      {f ? (
        <>
          <div className="cards" data-testid="case-counts">
            {CASE_STATES.map((s) => (
              <div key={s} className="card" data-state={s}>
                <div className="big">{f.byState[s]}</div>
                <div>{t(`caseFigures.state.${s}`)}</div>
              </div>
            ))}
            <div className={`card ${f.overdue.length ? 'attention' : ''}`} data-testid="case-overdue-count">
              <div className="big">{f.overdue.length}</div>
              <div>{t('caseFigures.overdue')}</div>
            </div>
          </div>
          {f.overdue.length > 0 ? (
            <table className="grid" aria-label={t('caseFigures.overdue')} data-testid="case-overdue">
              <TableHead labels={[t('caseFigures.number'), t('caseFigures.item'), t('caseFigures.window'), t('caseFigures.acceptedAt'), t('caseFigures.dueBy'), t('caseFigures.stateLabel')]} />
              <tbody>
                {f.overdue.map((c) => (
                  <tr key={c.id} data-case={c.number}>
                    <td>{c.number}</td>
                    <td>{(en && c.itemNameEn) || c.itemName}</td>
                    <td>{c.windowId}</td>
                    <td>{fmtTime(c.acceptedAt)}</td>
                    <td className="bad">{c.dueBy && c.dueBy.length > 10 ? fmtTime(c.dueBy) : c.dueBy}</td>
                    <td>{t(`caseFigures.state.${c.state}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted">{t('caseFigures.noneOverdue')}</p>
          )}
        </>
      ) : null}
    </>
  );
}
