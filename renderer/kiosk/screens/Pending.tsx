/**
 * 待办清单: the services and bundles the citizen collected while browsing, one material list
 * for all of them (each material once), printed as one receipt. Signed in, the list is
 * kept on the platform for the next visit; 清空 and 删除 delete it there too.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api.ts';
import type { ServiceItem } from '../../../config/schema.ts';
import { combinedMaterials, type ServicePick } from '../../../config/bundles.ts';
import type { PendingEntry } from '../../../protocol/pending.ts';
import { useKiosk } from '../state.tsx';
import { BackBar } from '../parts/BackBar.tsx';
import { CombinedMaterials, PrintCombined } from '../parts/CombinedMaterials.tsx';
import { pendingKey } from '../pending.ts';

interface Resolved {
  entry: PendingEntry;
  title: string;
  items: ServiceItem[];
  picks: ServicePick[];
}

async function resolve(entry: PendingEntry, en: boolean): Promise<Resolved> {
  if (entry.kind === 'item') {
    const { item } = await api.call('catalogue.item', { code: entry.code });
    const sub = item.cases.find((c) => c.code === entry.caseCode);
    const name = (en && item.nameEn) || item.name;
    return { entry, title: sub ? `${name}（${sub.name}）` : name, items: [item], picks: [{ item: item.code, ...(sub ? { case: sub.code } : {}) }] };
  }
  const view = await api.call('bundle.get', { id: entry.id });
  return { entry, title: (en && view.bundle.nameEn) || view.bundle.name, items: view.items.map((x) => x.item), picks: view.bundle.items };
}

export function PendingScreen() {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const k = useKiosk();
  const list = k.pending;
  const [resolved, setResolved] = useState<Resolved[]>([]);
  const keys = list.entries.map(pendingKey).join('|');

  useEffect(() => {
    let live = true;
    // An entry the hall has since withdrawn (a retired item) is left out rather than failing the page.
    void Promise.all(list.entries.map((e) => resolve(e, en).catch(() => null))).then((r) => live && setResolved(r.filter((x): x is Resolved => x !== null)));
    return () => {
      live = false;
    };
  }, [keys, en]);

  const items = resolved.flatMap((r) => r.items);
  const picks = resolved.flatMap((r) => r.picks);
  const names = new Map(items.map((i) => [i.code, (en && i.nameEn) || i.name]));
  const status = list.unsaved ? t('pending.unsaved') : list.kept ? t('pending.kept') : t('pending.notKept');

  return (
    <div className="pending" data-testid="pending">
      <BackBar title={t('pending.title')} />
      <p className={list.unsaved ? 'warn' : 'muted'} data-testid="pending-status">{status}</p>
      {list.entries.length === 0 ? (
        <p className="notice" data-testid="pending-empty">{t('pending.empty')}</p>
      ) : (
        <>
          <ul className="rows" data-testid="pending-entries">
            {resolved.map((r) => (
              <li key={pendingKey(r.entry)} className="row" data-entry={pendingKey(r.entry)}>
                <button className="row-name" onClick={() => k.go(r.entry.kind === 'item' ? { name: 'guide', code: r.entry.code, caseCode: r.entry.caseCode } : { name: 'bundle', id: r.entry.id })}>
                  {r.entry.kind === 'bundle' && <small className="tag">{t('bundle.tile')}</small>}
                  {r.title}
                </button>
                <button data-testid="pending-remove" onClick={() => list.remove(r.entry)}>{t('pending.remove')}</button>
              </li>
            ))}
          </ul>
          <button className="big" data-testid="pending-clear" onClick={list.clear}>{t('pending.clear')}</button>
          <section>
            <h2>{t('bundle.materials')}</h2>
            <p className="muted">{t('bundle.materialsNote')}</p>
            <CombinedMaterials materials={combinedMaterials(items, picks)} names={names} />
          </section>
          <PrintCombined title={t('pending.title')} picks={picks} />
        </>
      )}
    </div>
  );
}
