/**
 * 办件 at the window: accept a case for the called citizen (filed under their pseudonym
 * when their ticket carried one), move it through its states, pick the missing materials
 * for 退回补正, and print the 受理回执 on the window PC's receipt printer with the case's
 * QR, which a kiosk's scanner reads to show the progress.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { platform } from '../shared/platform.ts';
import { newRequestId } from '../shared/request-id.ts';
import { QrCode } from '../shared/QrCode.tsx';
import { CASE_QR_PREFIX, CASE_TRANSITIONS, type CaseAnswer, type CaseItemsAnswer, type CasesAnswer, type CaseState, type CaseView } from '../../protocol/cases.ts';
import type { WindowStatus } from '../../protocol/queue-views.ts';

const stamp = (iso: string) => new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });

function Receipt({ c, windowName }: { c: CaseView; windowName: string }) {
  const { t } = useTranslation();
  return (
    <div className="case-receipt" data-testid="case-receipt">
      <h3>{t('cases.receipt.title')}</h3>
      <p>{t('cases.receipt.number', { number: c.number })}</p>
      <p>{t('cases.receipt.item', { name: c.itemName })}</p>
      <p>{t('cases.receipt.window', { name: windowName })}</p>
      <p>{t('cases.receipt.at', { at: stamp(c.acceptedAt) })}</p>
      {c.dueBy && <p>{t('cases.receipt.due', { due: c.dueBy.length === 10 ? c.dueBy : stamp(c.dueBy) })}</p>}
      <QrCode value={`${CASE_QR_PREFIX}${c.lookupCode}`} size={180} label={t('cases.receipt.code', { code: c.lookupCode })} />
      <p>{t('cases.receipt.how')}</p>
    </div>
  );
}

export function CasePanel({ windowId, windowName, current }: { windowId: string; windowName: string; current: WindowStatus['current'] }) {
  const { t, i18n } = useTranslation();
  const [cases, setCases] = useState<CaseView[]>([]);
  const [items, setItems] = useState<CaseItemsAnswer['items']>([]);
  const [itemCode, setItemCode] = useState('');
  const [selected, setSelected] = useState<CaseAnswer | null>(null);
  const [missing, setMissing] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [printNow, setPrintNow] = useState(false);
  const en = i18n.language === 'en';

  const refresh = useCallback(() => {
    platform<CasesAnswer>('GET', `/api/cases?windowId=${windowId}`).then((r) => setCases(r.cases), (e: Error) => setMessage(e.message));
  }, [windowId]);
  useEffect(refresh, [refresh]);
  useEffect(() => {
    platform<CaseItemsAnswer>('GET', `/api/cases/items?windowId=${windowId}`).then((r) => setItems(r.items), (e: Error) => setMessage(e.message));
  }, [windowId]);
  // The called citizen's service is what the clerk most likely accepts.
  const ticketItem = current?.service?.code ?? '';
  useEffect(() => setItemCode(ticketItem), [ticketItem]);

  // Printed once the receipt is drawn: the 受理回执 leaves the window with the citizen.
  useEffect(() => {
    if (!printNow) return;
    setPrintNow(false);
    window.print();
  }, [printNow]);

  const run = async (call: () => Promise<CaseAnswer>): Promise<boolean> => {
    setBusy(true);
    setMessage(null);
    try {
      const r = await call();
      setSelected(r);
      setMissing([]);
      refresh();
      return true;
    } catch (e) {
      setMessage((e as Error).message);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const accept = async () => {
    const opened = await run(() => platform<CaseAnswer>('POST', '/api/cases', { requestId: newRequestId(), windowId, itemCode: itemCode || undefined, ticketId: current?.id }));
    if (opened) setPrintNow(true);
  };
  const move = (c: CaseView, to: CaseState) =>
    run(() => platform<CaseAnswer>('POST', `/api/cases/${c.id}/move`, { requestId: newRequestId(), to, ...(to === 'returned' ? { missing } : {}) }));
  const pick = (id: string) => run(() => platform<CaseAnswer>('GET', `/api/cases/${id}`));

  const c = selected?.case;
  return (
    <section className="cases card" data-testid="cases">
      <h2>{t('cases.title')}</h2>
      <div className="accept">
        <select aria-label={t('cases.item')} data-testid="case-item" value={itemCode} onChange={(e) => setItemCode(e.target.value)}>
          <option value="">{t('cases.pickItem')}</option>
          {items.map((i) => (
            <option key={i.code} value={i.code}>{en && i.nameEn ? i.nameEn : i.name}</option>
          ))}
        </select>
        <button className="primary" data-action="accept-case" disabled={busy || !itemCode} onClick={() => void accept()}>{t('cases.accept')}</button>
        <small>{current ? t('cases.forTicket', { number: current.number }) : t('cases.noTicket')}</small>
      </div>
      {message && <p role="alert" className="error" data-testid="case-error">{message}</p>}
      {c && selected && (
        <div className="case" data-testid="case" data-state={c.state}>
          <p>
            <strong data-testid="case-number">{c.number}</strong> · {en && c.itemNameEn ? c.itemNameEn : c.itemName} ·{' '}
            <span className={`badge case-${c.state}`} data-testid="case-state">{t(`cases.state.${c.state}`)}</span>
            {c.bound ? '' : ` · ${t('cases.unbound')}`}
          </p>
          <ol className="timeline">
            {c.timeline.map((e, i) => (
              <li key={i}>{stamp(e.at)} {t(`cases.state.${e.state}`)}{e.missing ? `：${e.missing.join(t('listSeparator'))}` : ''}</li>
            ))}
          </ol>
          {CASE_TRANSITIONS[c.state].includes('returned') && selected.materials.length > 0 && (
            <fieldset className="missing">
              <legend>{t('cases.missing')}</legend>
              {selected.materials.map((m) => (
                <label key={m}>
                  <input type="checkbox" data-material={m} checked={missing.includes(m)} onChange={(e) => setMissing(e.target.checked ? [...missing, m] : missing.filter((x) => x !== m))} />
                  {m}
                </label>
              ))}
            </fieldset>
          )}
          <div className="moves">
            {CASE_TRANSITIONS[c.state].map((to) => (
              <button key={to} data-move={to} disabled={busy || (to === 'returned' && missing.length === 0)} onClick={() => void move(c, to)}>{t(`cases.to.${to}`)}</button>
            ))}
            <button data-action="print-receipt" onClick={() => window.print()}>{t('cases.print')}</button>
          </div>
          <Receipt c={c} windowName={windowName} />
        </div>
      )}
      {cases.length > 0 && (
        <ul className="recent-cases">
          {cases.map((x) => (
            <li key={x.id}>
              <button data-case={x.number} disabled={busy} onClick={() => void pick(x.id)}>
                {x.number} {en && x.itemNameEn ? x.itemNameEn : x.itemName} · {t(`cases.state.${x.state}`)}{x.overdue ? ` · ${t('cases.overdue')}` : ''}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
