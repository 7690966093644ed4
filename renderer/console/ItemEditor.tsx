/** A service item: its name and aliases, the queue groups (and so windows) that serve it, its questionnaire and its eligibility trial (试算); and the robot's FAQ. */
import { useMemo, useState } from 'react';
import type { FaqEntry } from '../../config/schema.ts';
import { useDraft } from './config-draft.tsx';
import { useTranslation } from 'react-i18next';
import { EligibilityTrial } from './EligibilityTrial.tsx';

export function ItemEditor() {
  const { config, edit } = useDraft();
  const [query, setQuery] = useState('');
  const [code, setCode] = useState<string | null>(null);
  const [qText, setQText] = useState<string | null>(null);
  const [qError, setQError] = useState('');
  const { t } = useTranslation();
  const matches = useMemo(() => {
    if (!config) return [];
    const q = query.trim();
    return config.catalogue.items.filter((i) => !q || i.name.includes(q) || i.code.includes(q) || i.aliases.some((a) => a.includes(q))).slice(0, 40);
  }, [config, query]);
  if (!config) return <p>{t('loading')}</p>;
  const index = config.catalogue.items.findIndex((i) => i.code === code);
  const item = index >= 0 ? config.catalogue.items[index] : null;
  const qIndex = config.questionnaires.findIndex((q) => q.item === code);
  const groups = config.hall.groups;
  const windowsOf = (gid: string) => config.hall.windows.filter((w) => w.groups.includes(gid)).map((w) => w.id);

  return (
    <section className="two-col">
      <div className="col-list">
        <h2>{t('items.title')}</h2>
        <input placeholder={t('items.search')} value={query} onChange={(e) => setQuery(e.target.value)} aria-label={t('items.searchLabel')} />
        <ul className="pick-list">
          {matches.map((i) => (
            <li key={i.code}>
              <button
                className={i.code === code ? 'active' : ''}
                onClick={() => {
                  setCode(i.code);
                  setQText(null);
                  setQError('');
                }}
              >
                {i.name}
                <span className="muted small"> {i.department}</span>
              </button>
            </li>
          ))}
        </ul>
      </div>
      <div className="col-main">
        {item ? (
          <div className="item-form" data-item={item.code}>
            <h3>{item.name}</h3>
            <p className="muted small">
              {item.code} · {item.department}
            </p>
            <label>
              {t('items.name')}
              <input value={item.name} onChange={(e) => edit((c) => (c.catalogue.items[index].name = e.target.value))} aria-label={t('items.nameLabel')} />
            </label>
            <label>
              {t('items.nameEn')}
              <input
                value={item.nameEn ?? ''}
                placeholder={t('items.nameEnNone')}
                // An empty box means no English name: the kiosk then shows the Chinese one and says so.
                onChange={(e) => edit((c) => (c.catalogue.items[index].nameEn = e.target.value.trim() ? e.target.value : undefined))}
                aria-label={t('items.nameEnLabel')}
              />
            </label>
            <div className="form-row">
              <label>
                {t('items.fee')}
                <input value={item.fee ?? ''} placeholder={t('items.feeNone')} onChange={(e) => edit((c) => (c.catalogue.items[index].fee = e.target.value.trim() ? e.target.value : undefined))} aria-label={t('items.feeLabel')} />
              </label>
              <label className="check">
                <input type="checkbox" checked={!!item.free} onChange={(e) => edit((c) => (c.catalogue.items[index].free = e.target.checked || undefined))} />
                {t('items.free')}
              </label>
            </div>
            <label>
              {t('items.aliases')}
              <input
                value={item.aliases.join('，')}
                onChange={(e) =>
                  edit(
                    (c) =>
                      (c.catalogue.items[index].aliases = e.target.value
                        .split(/[,，]/)
                        .map((s) => s.trim())
                        .filter(Boolean)),
                  )
                }
                aria-label={t('items.aliasesLabel')}
              />
            </label>
            <fieldset>
              <legend>{t('items.groups')}</legend>
              {groups.map((g, gi) => (
                <label key={g.id} className="check">
                  <input
                    type="checkbox"
                    checked={g.items.includes(item.code)}
                    onChange={(e) =>
                      edit((c) => {
                        const list = c.hall.groups[gi].items;
                        c.hall.groups[gi].items = e.target.checked ? [...list, item.code] : list.filter((x) => x !== item.code);
                      })
                    }
                  />
                  {g.prefix} {g.name} <span className="muted small">{t('items.windows', { windows: windowsOf(g.id).join(t('listSeparator')) || t('none') })}</span>
                </label>
              ))}
            </fieldset>
            <label>
              {t('items.questionnaire')}
              <textarea
                rows={10}
                value={qText ?? (qIndex >= 0 ? JSON.stringify(config.questionnaires[qIndex], null, 2) : '')}
                placeholder={t('items.noQuestionnaire')}
                onChange={(e) => setQText(e.target.value)}
                aria-label={t('items.questionnaireLabel')}
              />
            </label>
            {qError ? <p className="bad">{qError}</p> : null}
            <button
              disabled={qText === null}
              onClick={() => {
                try {
                  const parsed = qText!.trim() ? JSON.parse(qText!) : null;
                  edit((c) => {
                    const at = c.questionnaires.findIndex((q) => q.item === item.code);
                    if (parsed === null) {
                      if (at >= 0) c.questionnaires.splice(at, 1);
                    } else if (at >= 0) c.questionnaires[at] = { ...parsed, item: item.code };
                    else c.questionnaires.push({ ...parsed, item: item.code });
                  });
                  setQText(null);
                  setQError('');
                } catch (err) {
                  setQError(t('items.badJson', { reason: (err as Error).message }));
                }
              }}
            >
              {t('items.applyQuestionnaire')}
            </button>
            <EligibilityTrial text={qText ?? (qIndex >= 0 ? JSON.stringify(config.questionnaires[qIndex]) : '')} item={item.code} cases={item.cases} />
          </div>
        ) : (
          <p className="muted">{t('items.pickItem')}</p>
        )}
        <FaqEditor />
      </div>
    </section>
  );
}

function FaqEditor() {
  const { config, edit } = useDraft();
  const { t } = useTranslation();
  if (!config) return null;
  const change = (i: number, fn: (f: FaqEntry) => void) => edit((c) => fn(c.faq[i]));
  return (
    <div className="faq">
      <h3>{t('items.faq')}</h3>
      {config.faq.map((f, i) => (
        <div key={f.id} className="faq-entry">
          <input value={f.question} onChange={(e) => change(i, (x) => (x.question = e.target.value))} aria-label={t('items.question')} />
          <textarea rows={2} value={f.answer} onChange={(e) => change(i, (x) => (x.answer = e.target.value))} aria-label={t('items.answer')} />
          <input
            value={f.keywords.join('，')}
            placeholder={t('items.keywords')}
            onChange={(e) =>
              change(i, (x) => (x.keywords = e.target.value.split(/[,，]/).map((s) => s.trim()).filter(Boolean)))
            }
            aria-label={t('items.keywordsLabel')}
          />
          <button onClick={() => edit((c) => c.faq.splice(i, 1))}>{t('remove')}</button>
        </div>
      ))}
      <button onClick={() => edit((c) => c.faq.push({ id: `faq-${Date.now().toString(36)}`, question: t('items.newQuestion'), answer: t('items.newAnswer'), keywords: [] }))}>{t('items.addFaq')}</button>
    </div>
  );
}
