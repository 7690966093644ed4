/**
 * The one material list of several services (a 一件事 bundle, the 待办清单): each material
 * once, the most copies any service asks for, and which services need it; with the button
 * that prints it as one receipt.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiCallError } from '../../shared/api.ts';
import type { CombinedMaterial, ServicePick } from '../../../config/bundles.ts';
import { availability, useKiosk } from '../state.tsx';

export function CombinedMaterials({ materials, names }: { materials: CombinedMaterial[]; names: Map<string, string> }) {
  const { t } = useTranslation();
  if (materials.length === 0) return <p>{t('guide.noMaterials')}</p>;
  return (
    <ol className="materials combined" data-testid="combined-materials">
      {materials.map((m) => (
        <li key={m.name} data-material={m.name}>
          <strong>{m.name}</strong>
          {[...m.forms, t('guide.copies', { count: m.copies }), m.required ? '' : t('guide.optional')].filter(Boolean).map((x) => (
            <span className="tag" key={x}>{x}</span>
          ))}
          <small className="note" data-testid="used-by">{t('bundle.usedBy', { items: m.items.map((c) => names.get(c) ?? c).join(t('bundle.separator')) })}</small>
        </li>
      ))}
    </ol>
  );
}

type PrintState = { s: 'idle' } | { s: 'printing' } | { s: 'done' } | { s: 'held'; reason: string };

/** Prints the combined list of `picks` on the receipt printer, saying plainly when it cannot. */
export function PrintCombined({ title, picks }: { title: string; picks: ServicePick[] }) {
  const { t } = useTranslation();
  const k = useKiosk();
  const [state, setState] = useState<PrintState>({ s: 'idle' });
  const printer = availability(k.devices, 'printer');
  const print = async () => {
    setState({ s: 'printing' });
    try {
      const job = await api.call('print.materials', { title, picks });
      if (job.state === 'held' || job.state === 'failed') setState({ s: 'held', reason: job.cause ? t(`printCause.${job.cause}`) : (job.reason ?? t('guide.printerUnavailable')) });
      else setState({ s: 'done' });
    } catch (err) {
      setState({ s: 'held', reason: err instanceof ApiCallError ? err.message : t('guide.printerUnavailable') });
    }
  };
  return (
    <div className="print-box">
      <button className="primary big" data-testid="print-materials" disabled={!printer.ok || state.s === 'printing' || picks.length === 0} onClick={() => void print()}>
        {state.s === 'printing' ? t('guide.printing') : t('bundle.print')}
      </button>
      {state.s === 'done' && <p className="ok" data-testid="print-done">{t('guide.printed')}</p>}
      {state.s === 'held' && <p className="warn" role="status" data-testid="print-held">{state.reason}</p>}
      {!printer.ok && <p className="warn" data-testid="printer-unavailable">{printer.why === 'paper-out' ? t('guide.printerNoPaper') : t('guide.printerUnavailable')}</p>}
    </div>
  );
}

/** The 加入待办 button: adds once, then says it is on the list and leads to it. */
export function AddToPending({ entry }: { entry: Parameters<ReturnType<typeof useKiosk>['pending']['add']>[0] }) {
  const { t } = useTranslation();
  const k = useKiosk();
  const added = k.pending.has(entry);
  return added ? (
    <button className="big" data-testid="view-pending" onClick={() => k.go({ name: 'pending' })}>
      ✓ {t('pending.view', { count: k.pending.entries.length })}
    </button>
  ) : (
    <button className="big" data-testid="add-pending" onClick={() => k.pending.add(entry)}>
      ＋ {t('pending.add')}
    </button>
  );
}
