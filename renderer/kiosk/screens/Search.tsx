/** Search as you type over the whole catalogue, with the on-screen pinyin keyboard. */
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useKiosk } from '../state.tsx';
import { Keyboard } from '../parts/Keyboard.tsx';
import { BackBar } from '../parts/BackBar.tsx';
import { Paged } from '../parts/Paged.tsx';

export function SearchScreen() {
  const { t } = useTranslation();
  const k = useKiosk();
  const [query, setQuery] = useState('');
  const onChange = useCallback((v: string) => setQuery(v), []);
  const out = useMemo(() => (k.index && query.trim() ? k.index.search(query, 60) : null), [k.index, query]);
  return (
    <div className="search-screen">
      <BackBar title={t('searchTitle')} />
      <div className="query" role="textbox" aria-readonly aria-label={t('searchTitle')} data-testid="query">
        {query || <span className="placeholder">{t('searchPlaceholder')}</span>}
      </div>
      <div className="search-body">
        <div className="results" aria-live="polite">
          {!k.index && <p className="notice">{t('loading')}</p>}
          {out && out.total === 0 && <p className="notice" data-testid="no-results">{t('noResults')}</p>}
          {out && out.total > 0 && (
            <>
              {out.corrected && (
                <p className="notice" data-testid="did-you-mean">
                  {t('didYouMean', { text: out.corrected })}
                </p>
              )}
              <p className="muted">{t('resultsCount', { count: out.total })}</p>
              <Paged
                key={query}
                items={out.results}
                perPage={8}
                elderlyPerPage={3}
                className="rows"
                testId="results"
                render={(r) => (
                  <button className="row" data-code={r.code} onClick={() => k.go({ name: 'guide', code: r.code })}>
                    <span className="row-name">{r.name}</span>
                    <small>
                      {r.via !== 'name' && r.via !== 'department' ? `${t(`via.${r.via}`)}：${r.viaText} · ` : ''}
                      {r.department}
                    </small>
                  </button>
                )}
              />
            </>
          )}
          {!query && k.index && <p className="muted">{t('searchHint')}</p>}
        </div>
        <Keyboard index={k.index} onChange={onChange} />
      </div>
    </div>
  );
}
