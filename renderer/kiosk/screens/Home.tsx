/**
 * Home: a big search box; a strip of the visitor's own errands (booking check-in, 一件事
 * bundles, the pending list, records); one-tap tickets by business group (what most
 * visitors came for), then hot items, life-event themes and departments. The errands sit
 * in one row across the screen so that, however many a hall turns on, the ticket groups
 * keep their column and the lists their room.
 */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useKiosk } from '../state.tsx';
import { Paged } from '../parts/Paged.tsx';
import { SignedInBar } from '../parts/SignedInBar.tsx';
import { useTicketsClosed } from '../parts/useTicketsClosed.ts';

export function Home() {
  const { t, i18n } = useTranslation();
  const k = useKiosk();
  const home = k.home;
  const ticketsClosed = useTicketsClosed(k.info?.service.selfService ?? false);
  useEffect(() => {
    if (home) k.speak(`${home.hallName}。${t('hot')}：${home.menus.hot.map((c) => home.items[c]?.name).filter(Boolean).slice(0, 5).join('，')}`);
  }, [home, k.elderly]);
  if (!home) return <p className="notice">{t('loading')}</p>;
  const en = i18n.language === 'en';
  const name = (code: string) => (en && home.items[code]?.nameEn) || home.items[code]?.name || code;
  const someChineseOnly = en && home.menus.hot.some((c) => !home.items[c]?.nameEn);
  return (
    <div className="home" data-testid="home">
      <button className="search-box" onClick={() => k.go({ name: 'search' })} data-testid="search-box">
        <span className="search-icon" aria-hidden>⌕</span>
        <span>{t('searchPlaceholder')}</span>
      </button>
      <SignedInBar />
      <nav className="tiles services-strip" aria-label={t('services.strip')} data-testid="services-strip">
        <button className="tile group check-in-tile" data-testid="home-check-in" onClick={() => k.go({ name: 'check-in' })}>
          <span className="group-prefix" aria-hidden>✓</span>
          {t('checkIn.title')}
        </button>
        {(home.bundles?.length ?? 0) > 0 && (
          <button className="tile group bundles-tile" data-testid="home-bundles" onClick={() => k.go({ name: 'bundles' })}>
            <span className="group-prefix" aria-hidden>≣</span>
            {t('bundle.tile')}
          </button>
        )}
        {k.pending.entries.length > 0 && (
          <button className="tile group pending-tile" data-testid="home-pending" onClick={() => k.go({ name: 'pending' })}>
            <span className="group-prefix" aria-hidden>{k.pending.entries.length}</span>
            {t('pending.tile')}
          </button>
        )}
        {(k.info?.records.length ?? 0) > 0 && (
          <button className="tile group records-tile" data-testid="home-records" onClick={() => k.go({ name: 'records' })}>
            <span className="group-prefix" aria-hidden>≡</span>
            {t('records.title')}
          </button>
        )}
      </nav>
      <section className="quick" aria-labelledby="quick-title">
        <h2 id="quick-title">{t('quick.title')}</h2>
        {ticketsClosed && (
          <p className="muted tickets-closed-note" data-testid="tickets-closed-note">
            {t('selfService.ticketsClosed')}
          </p>
        )}
        <div className="tiles groups" data-testid="group-tiles">
          {!ticketsClosed && home.groups.map((g) => {
            const label = (en && g.nameEn) || g.name;
            return (
              <button
                key={g.id}
                className="tile group"
                data-group={g.id}
                onClick={() => k.go({ name: 'ticket', code: '', groupId: g.id, title: label })}
              >
                <span className="group-prefix" aria-hidden>{g.prefix}</span>
                {label}
              </button>
            );
          })}
        </div>
      </section>
      <section aria-labelledby="hot-title">
        <h2 id="hot-title">{t('hot')}</h2>
        {someChineseOnly && <p className="muted zh-only-notice" data-testid="names-zh-only">{t('namesChineseOnly')}</p>}
        <Paged
          items={home.menus.hot}
          perPage={12}
          elderlyPerPage={4}
          fill
          className="tiles hot"
          render={(code) => (
            <button className="tile" data-code={code} onClick={() => k.go({ name: 'guide', code })}>
              {name(code)}
            </button>
          )}
        />
      </section>
      <section aria-labelledby="theme-title">
        <h2 id="theme-title">{t('themes')}</h2>
        <Paged
          items={home.menus.themes}
          perPage={18}
          elderlyPerPage={6}
          fill
          className="tiles themes"
          render={(th) => (
            <button className="tile" data-theme={th.id} onClick={() => k.go({ name: 'list', title: (en && th.titleEn) || th.title, codes: th.items })}>
              {(en && th.titleEn) || th.title}
              <small>{t('itemsCount', { count: th.items.length })}</small>
            </button>
          )}
        />
      </section>
      <section aria-labelledby="dept-title">
        <h2 id="dept-title">{t('departments')}</h2>
        <Paged
          items={home.menus.departments}
          perPage={24}
          elderlyPerPage={6}
          fill
          className="tiles depts"
          render={(d) => (
            <button className="tile" data-dept={d.id} onClick={() => k.go({ name: 'list', title: d.title, codes: d.items })}>
              {d.title}
              <small>{t('itemsCount', { count: d.items.length })}</small>
            </button>
          )}
        />
      </section>
    </div>
  );
}
