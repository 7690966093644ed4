/**
 * 查询打印: the signed-in citizen picks one of the records this terminal offers and reads
 * it on screen, large, in Chinese or English labels. Without a sign-in it asks for the ID
 * card and moves on by itself when the card is read. A failed query is said in plain words,
 * with 再试一次 where trying again can help.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api.ts';
import { RECORD_TITLES, type RecordKind } from '../../../protocol/datashare.ts';
import type { RecordFailure, RecordView } from '../../../protocol/ui/domains/records.ts';
import { useKiosk } from '../state.tsx';
import { BackBar } from '../parts/BackBar.tsx';
import { CardPrompt } from '../parts/CardPrompt.tsx';
import { recordFailureOf, worthRetrying } from '../records.ts';
import { RecordPrint } from '../parts/RecordPrint.tsx';

function useTitle(): (kind: RecordKind) => string {
  const { i18n } = useTranslation();
  return (kind) => RECORD_TITLES[kind][i18n.language === 'en' ? 'en' : 'zh'];
}

export function RecordsScreen({ kind }: { kind?: RecordKind }) {
  const { t } = useTranslation();
  const k = useKiosk();
  const title = useTitle();
  const offered = k.info?.records ?? [];

  useEffect(() => {
    k.speak(k.person ? t('records.choose') : t('records.placeCard'));
  }, [k.person, k.elderly]);

  if (!k.person) {
    return (
      <div className="records" data-testid="records-screen">
        <BackBar title={t('records.title')} />
        <CardPrompt message={t('records.placeCard')} />
      </div>
    );
  }
  if (kind) return <RecordResult key={`${k.person.since}/${kind}`} kind={kind} />;
  return (
    <div className="records" data-testid="records-screen">
      <BackBar title={t('records.title')} />
      <p className="notice">{t('records.choose')}</p>
      <div className="tiles record-kinds" data-testid="record-kinds">
        {offered.map((r) => (
          <button key={r} className="tile" data-kind={r} onClick={() => k.go({ name: 'records', kind: r })}>
            {title(r)}
          </button>
        ))}
      </div>
    </div>
  );
}

type Result = { state: 'asking' } | { state: 'shown'; record: RecordView } | { state: 'failed'; why: RecordFailure | 'failed' };

function RecordResult({ kind }: { kind: RecordKind }) {
  const { t, i18n } = useTranslation();
  const k = useKiosk();
  const title = useTitle();
  const [result, setResult] = useState<Result>({ state: 'asking' });
  const [attempt, setAttempt] = useState(0);
  const en = i18n.language === 'en';
  const label = (l: { zh: string; en?: string }) => (en && l.en) || l.zh;

  useEffect(() => {
    let live = true;
    setResult({ state: 'asking' });
    api.call('records.query', { kind }).then(
      (record) => live && setResult({ state: 'shown', record }),
      (err) => live && setResult({ state: 'failed', why: recordFailureOf(err) }),
    );
    return () => {
      live = false;
    };
  }, [kind, attempt]);

  useEffect(() => {
    if (result.state === 'failed') k.speak(t(`records.failure.${result.why}`));
    if (result.state === 'shown') k.speak(`${label(result.record.title)}。${result.record.rows.map((r) => `${label(r.label)}：${r.value}`).join('，')}`);
  }, [result.state]);

  return (
    <div className="records" data-testid="records-screen">
      <BackBar title={title(kind)} />
      {result.state === 'asking' && (
        <p className="notice" role="status" data-testid="record-asking">
          {t('records.asking')}
        </p>
      )}
      {result.state === 'failed' && (
        <section className="record-failure" role="alert" data-testid="record-failure" data-reason={result.why}>
          <p>{t(`records.failure.${result.why}`)}</p>
          <div className="actions">
            {worthRetrying(result.why) && (
              <button className="primary big" data-testid="record-retry" onClick={() => setAttempt((a) => a + 1)}>
                {t('records.retry')}
              </button>
            )}
            <button className="big" onClick={k.back}>
              {t('records.other')}
            </button>
          </div>
        </section>
      )}
      {result.state === 'shown' && (
        <article className="record" data-testid="record" data-kind={kind}>
          <header>
            <h2 data-testid="record-title">{label(result.record.title)}</h2>
            <p className="record-source">
              {t('records.source')}：{label(result.record.source)}
            </p>
            <p className="record-holder" data-testid="record-holder">
              {t('records.holder')}：{result.record.holder.maskedName} {result.record.holder.maskedId}
            </p>
            <p className="record-issued">
              {t('records.issuedAt')}：{result.record.issuedAt.slice(0, 16).replace('T', ' ')}
            </p>
          </header>
          <dl className="record-rows" data-testid="record-rows">
            {result.record.rows.map((r) => (
              <div key={r.label.zh}>
                <dt>{label(r.label)}</dt>
                <dd>{r.value}</dd>
              </div>
            ))}
          </dl>
          {result.record.table && (
            <div className="record-table-wrap">
              <table className="record-table" data-testid="record-table">
                <thead>
                  <tr>
                    {result.record.table.columns.map((c) => (
                      <th key={c.zh}>{label(c)}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {result.record.table.rows.map((row, i) => (
                    <tr key={i}>
                      {row.map((cell, j) => (
                        <td key={j}>{cell}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <RecordPrint kind={kind} />
        </article>
      )}
    </div>
  );
}
