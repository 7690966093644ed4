/**
 * 一件事: the hall's life-event bundles, and one bundle's page: its services, one combined
 * questionnaire (each service's own questions in turn, until every case is known), the
 * material list with each material once, where to go, one ticket, and the printed list.
 */
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api.ts';
import type { BundleView } from '../../../protocol/ui/domains/bundles.ts';
import { combinedMaterials, type ServicePick } from '../../../config/bundles.ts';
import { useKiosk } from '../state.tsx';
import { BackBar } from '../parts/BackBar.tsx';
import { AddToPending, CombinedMaterials, PrintCombined } from '../parts/CombinedMaterials.tsx';
import { answer, first, recommended, type Step } from '../questionnaire.ts';

export function BundleList() {
  const { t, i18n } = useTranslation();
  const k = useKiosk();
  const en = i18n.language === 'en';
  return (
    <div className="bundles" data-testid="bundles">
      <BackBar title={t('bundle.title')} />
      <p className="muted">{t('bundle.intro')}</p>
      <div className="tiles">
        {(k.home?.bundles ?? []).map((b) => (
          <button key={b.id} className="tile" data-bundle={b.id} onClick={() => k.go({ name: 'bundle', id: b.id })}>
            {(en && b.nameEn) || b.name}
          </button>
        ))}
      </div>
    </div>
  );
}

export function BundleScreen({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const k = useKiosk();
  const [view, setView] = useState<BundleView | null>(null);
  const [failed, setFailed] = useState(false);
  /** Cases found by the questionnaire, by item code. */
  const [found, setFound] = useState<Record<string, string>>({});
  /** The steps through the questionnaire of the service being asked about. */
  const [trail, setTrail] = useState<Step[]>([]);

  useEffect(() => {
    api.call('bundle.get', { id }).then(setView, () => setFailed(true));
  }, [id]);

  const asking = view?.items.find((x) => x.questionnaire && !found[x.item.code]);
  useEffect(() => {
    setTrail(asking?.questionnaire ? [first(asking.questionnaire)] : []);
  }, [asking?.item.code]);
  const step = trail[trail.length - 1];
  useEffect(() => {
    if (step?.kind === 'case' && asking) setFound((f) => ({ ...f, [asking.item.code]: step.caseCode }));
  }, [step]);

  const picks: ServicePick[] = useMemo(
    () => (view ? view.bundle.items.map((p) => ({ item: p.item, ...((p.case ?? found[p.item]) ? { case: p.case ?? found[p.item] } : {}) })) : []),
    [view, found],
  );
  const name = view ? (en && view.bundle.nameEn) || view.bundle.name : '';
  useEffect(() => {
    if (view) k.speak(`${name}。${view.items.map((x) => x.item.name).join('，')}`);
  }, [view, k.elderly]);

  if (failed) return <><BackBar title="" /><p className="notice" role="alert">{t('loadFailed')}</p></>;
  if (!view) return <p className="notice">{t('loading')}</p>;

  const items = view.items.map((x) => x.item);
  const names = new Map(items.map((i) => [i.code, (en && i.nameEn) || i.name]));
  const materials = combinedMaterials(items, picks);
  const caseName = (code: string, caseCode?: string) => items.find((i) => i.code === code)?.cases.find((c) => c.code === caseCode)?.name;
  const question = step?.kind === 'question' ? step.question : null;
  const rec = question ? recommended(question, k.person) : -1;

  return (
    <div className="bundle" data-testid="bundle" data-bundle={id}>
      <BackBar title={name} />
      <div className="queue-actions">
        <button className="primary big take-ticket" data-testid="bundle-ticket" onClick={() => k.go({ name: 'ticket', code: '', groupId: view.group.id, title: name })}>
          {t('bundle.ticket', { group: (en && view.group.nameEn) || view.group.name })}
        </button>
        <AddToPending entry={{ kind: 'bundle', id }} />
      </div>
      <section>
        <h2>{t('bundle.items', { count: items.length })}</h2>
        <ol className="bundle-items" data-testid="bundle-items">
          {picks.map((p) => (
            <li key={p.item} data-code={p.item}>
              {names.get(p.item)}
              {p.case && <small className="tag">{caseName(p.item, p.case)}</small>}
            </li>
          ))}
        </ol>
      </section>
      {asking && question && (
        <section className="questionnaire" data-testid="bundle-question">
          <h2 className="question">{t('bundle.question', { item: names.get(asking.item.code) })}</h2>
          <p data-testid="question">{(en && question.textEn) || question.text}</p>
          <ul className="options">
            {question.options.map((o, i) => (
              <li key={i}>
                <button className={`option ${i === rec ? 'recommended' : ''}`} data-option={o.label} onClick={() => setTrail((tr) => [...tr, answer(asking.questionnaire!, question.id, i)])}>
                  {(en && o.labelEn) || o.label}
                </button>
              </li>
            ))}
          </ul>
          <p className="muted">{t('bundle.answerFirst')}</p>
        </section>
      )}
      {Object.keys(found).length > 0 && !asking && (
        <button data-testid="bundle-restart" onClick={() => setFound({})}>{t('bundle.restart')}</button>
      )}
      <section>
        <h2>{t('bundle.materials')}</h2>
        <p className="muted">{t('bundle.materialsNote')}</p>
        <CombinedMaterials materials={materials} names={names} />
      </section>
      <section>
        <h2>{view.bundle.acceptance === 'one-window' ? t('bundle.oneWindow') : t('bundle.inOrder')}</h2>
        <ol className="windows" data-testid="bundle-windows">
          {view.stops.map((s, i) => (
            <li key={i} data-window={s.windows.map((w) => w.id).join(' ')}>
              <strong>{s.windows.map((w) => w.id).join(t('bundle.separator')) || t('guide.noWindows')}</strong>
              {view.bundle.acceptance === 'in-order' && <> {names.get(s.items[0])}</>}
            </li>
          ))}
        </ol>
      </section>
      <PrintCombined title={name} picks={picks} />
    </div>
  );
}
