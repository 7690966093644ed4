/** The items of one theme or department, a page at a time. */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useKiosk } from '../state.tsx';
import { Paged } from '../parts/Paged.tsx';
import { BackBar } from '../parts/BackBar.tsx';

export function ItemList({ title, codes }: { title: string; codes: string[] }) {
  const { t, i18n } = useTranslation();
  const k = useKiosk();
  const known = codes.filter((c) => k.names.has(c));
  const en = i18n.language === 'en';
  const someChineseOnly = en && known.some((c) => !k.names.get(c)!.nameEn);
  useEffect(() => {
    k.speak(`${title}，${t('itemsCount', { count: known.length })}`);
  }, [title, k.elderly]);
  return (
    <div className="item-list" data-testid="item-list">
      <BackBar title={title} />
      {someChineseOnly && <p className="muted zh-only-notice" data-testid="names-zh-only">{t('namesChineseOnly')}</p>}
      <Paged
        items={known}
        perPage={10}
        elderlyPerPage={4}
        className="rows"
        render={(code) => {
          const s = k.names.get(code)!;
          return (
            <button className="row" data-code={code} onClick={() => k.go({ name: 'guide', code })}>
              <span className="row-name">{(en && s.nameEn) || s.name}</span>
              <small>{s.department}</small>
            </button>
          );
        }}
      />
    </div>
  );
}
