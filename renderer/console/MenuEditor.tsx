/** The kiosk menu: hot items, theme and department categories, their order, their items and which kiosks show them. */
import { useState } from 'react';
import type { HallConfig, MenuEntry, ThemeCorrection } from '../../config/schema.ts';
import { applyCorrections, recordCorrection } from '../../config/themes.ts';
import { move, useDraft } from './config-draft.tsx';
import { useTranslation } from 'react-i18next';

type Section = 'themes' | 'departments';

export function MenuEditor() {
  const { config, edit } = useDraft();
  const [section, setSection] = useState<Section>('themes');
  const [openId, setOpenId] = useState<string | null>(null);
  const [newCode, setNewCode] = useState('');
  const { t } = useTranslation();
  if (!config) return <p>{t('loading')}</p>;
  const names = new Map(config.catalogue.items.map((i) => [i.code, i.name]));
  const entries = config.menus[section];
  const entryEdit = (i: number, fn: (e: MenuEntry, c: HallConfig) => void) => edit((c) => fn(c.menus[section][i], c));
  // A theme's items come from rules; what staff change there is kept as a correction, so a rebuild applies it again.
  const correct = (correction: Omit<ThemeCorrection, 'at'>) =>
    edit((c) => {
      const made = { ...correction, at: new Date().toISOString() };
      c.menus.corrections = recordCorrection(c.menus.corrections, made);
      applyCorrections(c.menus.themes, [made], new Set(names.keys()));
    });
  const themes = section === 'themes';
  const reasonText = (e: MenuEntry, code: string) => {
    const r = e.reasons?.[code];
    return r ? t(`menu.reason.${r.by}`, { value: r.value }) : t('menu.reason.none');
  };
  return (
    <section>
      <h2>{t('menu.title')}</h2>
      <div className="tabs" role="tablist">
        <button role="tab" aria-selected={section === 'themes'} className={section === 'themes' ? 'active' : ''} onClick={() => setSection('themes')}>
          {t('menu.themes')}
        </button>
        <button role="tab" aria-selected={section === 'departments'} className={section === 'departments' ? 'active' : ''} onClick={() => setSection('departments')}>
          {t('menu.departments')}
        </button>
      </div>
      {themes && config.menus.corrections.length > 0 && (
        <p className="muted" data-testid="theme-corrections">
          {t('menu.corrections', { count: config.menus.corrections.length })}
        </p>
      )}
      <ol className="menu-list" aria-label={t('menu.categories')}>
        {entries.map((e, i) => (
          <li key={e.id} className="menu-entry" data-entry={e.id}>
            <div className="entry-head">
              <span className="entry-title">{e.title}</span>
              <span className="muted small">
                {t('menu.count', { count: e.items.length })} · {e.kiosks.length ? t('menu.only', { kiosks: e.kiosks.join(t('listSeparator')) }) : t('menu.allKiosks')}
              </span>
              <span className="spacer" />
              <button aria-label={t('menu.moveUp', { title: e.title })} disabled={i === 0} onClick={() => edit((c) => move(c.menus[section], i, -1))}>
                ↑
              </button>
              <button aria-label={t('menu.moveDown', { title: e.title })} disabled={i === entries.length - 1} onClick={() => edit((c) => move(c.menus[section], i, 1))}>
                ↓
              </button>
              <button onClick={() => setOpenId(openId === e.id ? null : e.id)}>{openId === e.id ? t('menu.collapse') : t('menu.edit')}</button>
            </div>
            {openId === e.id ? (
              <div className="entry-body">
                <label>
                  {t('menu.name')}
                  <input value={e.title} onChange={(ev) => entryEdit(i, (x) => (x.title = ev.target.value))} aria-label={t('menu.nameLabel')} />
                </label>
                <fieldset>
                  <legend>{t('menu.shownOn')}</legend>
                  {config.kiosks.map((k) => (
                    <label key={k.id} className="check">
                      <input
                        type="checkbox"
                        checked={e.kiosks.includes(k.id)}
                        onChange={(ev) => entryEdit(i, (x) => (x.kiosks = ev.target.checked ? [...x.kiosks, k.id] : x.kiosks.filter((y) => y !== k.id)))}
                      />
                      {t('menu.kiosk', { name: k.name, id: k.id })}
                    </label>
                  ))}
                </fieldset>
                <ol className="item-list">
                  {e.items.map((code, j) => (
                    <li key={code}>
                      <span>{names.get(code) ?? code}</span> <code className="muted small">{code}</code>
                      <span className="spacer" />
                      <button aria-label={t('menu.itemUp')} disabled={j === 0} onClick={() => entryEdit(i, (x) => move(x.items, j, -1))}>
                        ↑
                      </button>
                      <button aria-label={t('menu.itemDown')} disabled={j === e.items.length - 1} onClick={() => entryEdit(i, (x) => move(x.items, j, 1))}>
                        ↓
                      </button>
                      {themes && (
                        <>
                          <small className="muted small reason" data-reason={e.reasons?.[code]?.by ?? 'none'} title={e.reasons?.[code]?.by === 'staff' ? e.reasons[code].value : undefined}>
                            {reasonText(e, code)}
                          </small>
                          <select aria-label={t('menu.moveToLabel', { name: names.get(code) ?? code })} value="" onChange={(ev) => ev.target.value && correct({ item: code, from: e.id, to: ev.target.value })}>
                            <option value="">{t('menu.moveTo')}</option>
                            {entries.filter((other) => other.id !== e.id).map((other) => (
                              <option key={other.id} value={other.id}>
                                {other.title}
                              </option>
                            ))}
                          </select>
                        </>
                      )}
                      <button
                        aria-label={t('menu.removeItem')}
                        onClick={() => (themes ? correct({ item: code, from: e.id }) : entryEdit(i, (x) => x.items.splice(j, 1)))}
                      >
                        {t('menu.remove')}
                      </button>
                    </li>
                  ))}
                </ol>
                <div className="form-row">
                  <input list="item-codes" placeholder={t('menu.code')} value={newCode} onChange={(ev) => setNewCode(ev.target.value)} aria-label={t('menu.codeLabel')} />
                  <datalist id="item-codes">
                    {config.catalogue.items.slice(0, 2000).map((it) => (
                      <option key={it.code} value={it.code}>
                        {it.name}
                      </option>
                    ))}
                  </datalist>
                  <button
                    disabled={!names.has(newCode) || e.items.includes(newCode)}
                    onClick={() => {
                      if (themes) correct({ item: newCode, to: e.id });
                      else entryEdit(i, (x) => x.items.push(newCode));
                      setNewCode('');
                    }}
                  >
                    {t('menu.addItem')}
                  </button>
                </div>
              </div>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
