/**
 * 办件进度: a citizen sees how their cases stand, like a parcel's progress. Signed in with
 * the ID card, every case filed under them; or, with the 受理回执 in hand, the one case whose
 * QR they hold to the scanner. States are said in plain words with their times, and a case
 * returned for 补正 lists what to bring.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api.ts';
import type { CaseView } from '../../../protocol/cases.ts';
import { useKiosk } from '../state.tsx';
import { BackBar } from '../parts/BackBar.tsx';
import { CardPrompt } from '../parts/CardPrompt.tsx';
import { problemOf } from '../appointments.ts';

type Found = { state: 'idle' } | { state: 'asking' } | { state: 'shown'; cases: CaseView[] } | { state: 'failed'; why: 'not-found' | 'not-a-case' | 'offline' | 'failed' };

const stamp = (iso: string, en: boolean) => new Date(iso).toLocaleString(en ? 'en-GB' : 'zh-CN', { timeZone: 'Asia/Shanghai', hour12: false, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });

function whyOf(err: unknown): 'not-found' | 'not-a-case' | 'offline' | 'failed' {
  const reason = (err as { detail?: { reason?: string } } | null)?.detail?.reason;
  if (reason === 'not-a-case-code') return 'not-a-case';
  const p = problemOf(err);
  return p === 'not-found' || p === 'offline' ? p : 'failed';
}

function CaseCard({ c }: { c: CaseView }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const last = c.timeline[c.timeline.length - 1];
  const bring = c.state === 'returned' ? (last?.missing ?? []) : [];
  return (
    <article className="case-progress card" data-testid="case-progress" data-case={c.number} data-state={c.state}>
      <h3>{(en && c.itemNameEn) || c.itemName}</h3>
      <p className="muted">{t('cases.number', { number: c.number })}</p>
      <p className="case-now" data-testid="case-now">{t(`cases.now.${c.state}`, { window: c.windowId })}</p>
      {bring.length > 0 && (
        <div className="case-bring" data-testid="case-bring">
          <p>{t('cases.bring')}</p>
          <ul>{bring.map((m) => <li key={m}>{m}</li>)}</ul>
        </div>
      )}
      {c.dueBy && !['done', 'ready', 'collected'].includes(c.state) && <p className="muted">{t('cases.due', { due: c.dueBy.length === 10 ? c.dueBy : stamp(c.dueBy, en) })}</p>}
      <ol className="case-timeline" data-testid="case-timeline">
        {c.timeline.map((e, i) => (
          <li key={i} data-state={e.state}>
            <time>{stamp(e.at, en)}</time> <span>{t(`cases.state.${e.state}`)}</span>
          </li>
        ))}
      </ol>
    </article>
  );
}

export function CaseProgressScreen() {
  const { t } = useTranslation();
  const k = useKiosk();
  const [found, setFound] = useState<Found>({ state: 'idle' });
  const [scan, setScan] = useState<{ data: string; n: number } | null>(null);

  // The receipt's QR held to the scanner: only this screen listens, so a scan elsewhere does nothing.
  useEffect(() => api.on('kiosk.scan', ({ data }) => setScan((prev) => ({ data, n: (prev?.n ?? 0) + 1 }))), []);

  useEffect(() => {
    let live = true;
    const ask = scan ? api.call('case.lookup', { scanned: scan.data }).then((c) => [c]) : k.person ? api.call('case.mine', {}) : null;
    if (!ask) {
      setFound({ state: 'idle' });
      return;
    }
    setFound({ state: 'asking' });
    ask.then(
      (cases) => live && setFound({ state: 'shown', cases }),
      (err) => live && setFound({ state: 'failed', why: whyOf(err) }),
    );
    return () => {
      live = false;
    };
  }, [scan, k.person?.since]);

  useEffect(() => {
    if (found.state === 'shown') k.speak(found.cases.length ? found.cases.map((c) => `${c.itemName}，${t(`cases.now.${c.state}`, { window: c.windowId })}`).join('。') : t('cases.none'));
    else if (found.state === 'idle') k.speak(t('cases.how'));
  }, [found, k.elderly]);

  return (
    <div className="cases-screen" data-testid="cases-screen">
      <BackBar title={t('cases.title')} />
      {found.state === 'idle' && (
        <>
          <CardPrompt message={t('cases.how')} />
          <p className="notice scan-hint" data-testid="scan-hint">{t('cases.scanHint')}</p>
        </>
      )}
      {found.state === 'asking' && <p className="notice">{t('cases.asking')}</p>}
      {found.state === 'failed' && <p className="notice warn" role="alert" data-testid="cases-failed">{t(`cases.failure.${found.why}`)}</p>}
      {found.state === 'shown' && (found.cases.length ? found.cases.map((c) => <CaseCard key={c.id} c={c} />) : <p className="notice" data-testid="cases-none">{t('cases.none')}</p>)}
      {scan && k.person && (
        <button className="secondary" data-testid="cases-mine" onClick={() => setScan(null)}>{t('cases.showMine')}</button>
      )}
    </div>
  );
}
