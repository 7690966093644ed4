/**
 * 一件事 bundles: their names and what visitors call them, their service items (with a fixed
 * case or the questionnaire's), one-window or in-order acceptance, and the queue their one
 * ticket is taken in. Changes go into the shared draft and reach kiosks when published.
 */
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Bundle, HallConfig } from '../../config/schema.ts';
import { move, useDraft } from './config-draft.tsx';

export function BundleEditor() {
  const { config, edit } = useDraft();
  const [openId, setOpenId] = useState<string | null>(null);
  const { t } = useTranslation();
  if (!config) return <p>{t('loading')}</p>;
  const bundleEdit = (i: number, fn: (b: Bundle, c: HallConfig) => void) => edit((c) => fn(c.bundles[i], c));
  const addBundle = () => {
    const id = `bundle-${Date.now().toString(36)}`;
    edit((c) => c.bundles.push({ id, name: t('bundles.newName'), aliases: [], items: [], acceptance: 'in-order', group: c.hall.groups[0].id }));
    setOpenId(id);
  };
  return (
    <section>
      <h2>{t('bundles.title')}</h2>
      <p className="muted">{t('bundles.intro')}</p>
      {config.bundles.length === 0 && <p>{t('bundles.none')}</p>}
      <ol className="menu-list" aria-label={t('bundles.title')}>
        {config.bundles.map((b, i) => (
          <li key={b.id} className="menu-entry" data-bundle={b.id}>
            <div className="entry-head">
              <span className="entry-title">{b.name}</span>
              <span className="muted small">{b.items.length} · {b.acceptance === 'one-window' ? `${t('bundles.oneWindow')} ${b.window ?? ''}` : t('bundles.inOrder')}</span>
              <span className="spacer" />
              <button onClick={() => setOpenId(openId === b.id ? null : b.id)}>{openId === b.id ? t('menu.collapse') : t('menu.edit')}</button>
            </div>
            {openId === b.id && <BundleForm bundle={b} config={config} change={(fn) => bundleEdit(i, fn)} remove={() => edit((c) => c.bundles.splice(i, 1))} />}
          </li>
        ))}
      </ol>
      <button className="primary" data-testid="add-bundle" onClick={addBundle}>{t('bundles.add')}</button>
    </section>
  );
}

function BundleForm({ bundle, config, change, remove }: { bundle: Bundle; config: HallConfig; change(fn: (b: Bundle, c: HallConfig) => void): void; remove(): void }) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const byCode = useMemo(() => new Map(config.catalogue.items.map((i) => [i.code, i])), [config]);
  const q = query.trim();
  const matches = q ? config.catalogue.items.filter((i) => i.code === q || i.name.includes(q)).slice(0, 8) : [];
  const groupWindows = config.hall.windows.filter((w) => w.groups.includes(bundle.group));
  return (
    <div className="entry-body bundle-form">
      <label>
        {t('bundles.name')}
        <input value={bundle.name} onChange={(e) => change((b) => (b.name = e.target.value))} />
      </label>
      <label>
        {t('bundles.nameEn')}
        <input value={bundle.nameEn ?? ''} onChange={(e) => change((b) => (e.target.value ? (b.nameEn = e.target.value) : delete b.nameEn))} />
      </label>
      <label>
        {t('bundles.aliases')}
        <input
          defaultValue={bundle.aliases.join('，')}
          onBlur={(e) => change((b) => (b.aliases = e.target.value.split(/[,，、]/).map((a) => a.trim()).filter(Boolean)))}
        />
      </label>
      <label>
        {t('bundles.group')}
        <select name="group" value={bundle.group} onChange={(e) => change((b) => (b.group = e.target.value))}>
          {config.hall.groups.map((g) => <option key={g.id} value={g.id}>{g.prefix} {g.name}</option>)}
        </select>
      </label>
      <label>
        {t('bundles.acceptance')}
        <select
          name="acceptance"
          value={bundle.acceptance}
          onChange={(e) =>
            change((b, c) => {
              b.acceptance = e.target.value as Bundle['acceptance'];
              if (b.acceptance === 'in-order') delete b.window;
              else b.window = c.hall.windows.find((w) => w.groups.includes(b.group))?.id;
            })
          }
        >
          <option value="one-window">{t('bundles.oneWindow')}</option>
          <option value="in-order">{t('bundles.inOrder')}</option>
        </select>
      </label>
      {bundle.acceptance === 'one-window' && (
        <label>
          {t('bundles.window')}
          <select name="window" value={bundle.window ?? ''} onChange={(e) => change((b) => (b.window = e.target.value))}>
            {groupWindows.map((w) => <option key={w.id} value={w.id}>{w.id} {w.name}</option>)}
          </select>
        </label>
      )}
      <fieldset>
        <legend>{t('bundles.items')}</legend>
        <ol className="bundle-items">
          {bundle.items.map((pick, j) => {
            const item = byCode.get(pick.item);
            const name = item?.name ?? pick.item;
            return (
              <li key={`${pick.item}-${j}`} data-code={pick.item}>
                <span>{name}</span>
                {item && item.cases.length > 0 && (
                  <select value={pick.case ?? ''} onChange={(e) => change((b) => (e.target.value ? (b.items[j].case = e.target.value) : delete b.items[j].case))}>
                    <option value="">{t('bundles.anyCase')}</option>
                    {item.cases.map((c) => <option key={c.code} value={c.code}>{c.name}</option>)}
                  </select>
                )}
                <button aria-label={t('bundles.moveUp', { name })} disabled={j === 0} onClick={() => change((b) => move(b.items, j, -1))}>↑</button>
                <button aria-label={t('bundles.moveDown', { name })} disabled={j === bundle.items.length - 1} onClick={() => change((b) => move(b.items, j, 1))}>↓</button>
                <button aria-label={t('bundles.removeItem', { name })} onClick={() => change((b) => b.items.splice(j, 1))}>✕</button>
              </li>
            );
          })}
        </ol>
        <input placeholder={t('bundles.addItem')} aria-label={t('bundles.addItem')} value={query} onChange={(e) => setQuery(e.target.value)} />
        <ul className="pick-list">
          {matches.map((i) => (
            <li key={i.code}>
              <button
                onClick={() => {
                  change((b) => b.items.push({ item: i.code }));
                  setQuery('');
                }}
              >
                {i.name} <span className="muted small">{i.code}</span>
              </button>
            </li>
          ))}
        </ul>
      </fieldset>
      <button className="danger" onClick={remove}>{t('bundles.remove')}</button>
    </div>
  );
}
