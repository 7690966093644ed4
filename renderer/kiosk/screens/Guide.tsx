/**
 * The service guide, the item's "product page": who may apply, what to bring (for the
 * chosen case), time limits, visits, windows here and the way to them, booking and
 * courier, the phone, a QR code to read it on a phone, and the printed checklist. Taking
 * a ticket and booking lead the page: they are what most visitors came to the kiosk for.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiCallError } from '../../shared/api.ts';
import { HallMap } from '../../shared/HallMap.tsx';
import type { HallMap as HallMapData, ItemGuide } from '../../../protocol/ui/domains/catalogue.ts';
import type { PrintJobStatus } from '../../../protocol/ui/domains/print.ts';
import type { Material, TimeLimit } from '../../../config/schema.ts';
import { hoursLines, type HoursWords } from '../../../config/hours.ts';
import { availability, useKiosk } from '../state.tsx';
import { BackBar } from '../parts/BackBar.tsx';
import { QrCode } from '../../shared/QrCode.tsx';
import { AddToPending } from '../parts/CombinedMaterials.tsx';
import { kindsForMaterial } from '../../../protocol/prereview.ts';

type PrintState = { s: 'idle' } | { s: 'printing' } | { s: 'done'; jobId: string } | { s: 'held'; reason: string; jobId?: string };

export function Guide({ code, caseCode }: { code: string; caseCode?: string }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const k = useKiosk();
  const [guide, setGuide] = useState<ItemGuide | null>(null);
  const [failed, setFailed] = useState(false);
  const [print, setPrint] = useState<PrintState>({ s: 'idle' });
  const [map, setMap] = useState<{ data: HallMapData; targets: string[] } | null>(null);

  useEffect(() => {
    api.call('catalogue.item', { code }).then(setGuide, () => setFailed(true));
  }, [code]);

  const item = guide?.item;
  const sub = item && caseCode ? item.cases.find((c) => c.code === caseCode) : undefined;
  const materials: Material[] = sub ? sub.materials : (item?.materials ?? []);

  useEffect(() => {
    if (item) k.speak(`${item.name}。${t('guide.materials')}：${materials.map((m) => m.name).join('，')}`);
  }, [item, sub, k.elderly]);

  if (failed) return <><BackBar title="" /><p className="notice" role="alert">{t('loadFailed')}</p></>;
  if (!guide || !item) return <p className="notice">{t('loading')}</p>;

  const hoursWords: HoursWords = { weekdays: t('booking.weekdays', { returnObjects: true }) as string[], through: t('guide.through'), separator: t('guide.daySeparator') };
  const hours = (h: Parameters<typeof hoursLines>[0]) => hoursLines(h, hoursWords).join(t('guide.hoursSeparator'));
  const name = en ? (item.nameEn ?? item.name) : item.name;
  const feeText = sub?.fee ?? item.fee;
  // Texts the hall writes only in Chinese say so in English, rather than pass for a translation.
  const zhOnly = en ? <small className="zh-only">{t('guide.chineseOnly')}</small> : null;
  const limit = (l: TimeLimit | null) => (!l ? t('guide.unknown') : l.unit === '即办' ? t('guide.immediate') : l.text);
  const visits = sub?.visits ?? item.visits;
  // The host gives the item's link; a sub-case opens the phone guide at that case.
  const qrValue = guide.guideUrl && guide.guideUrl + (sub ? `${guide.guideUrl.includes('?') ? '&' : '?'}case=${encodeURIComponent(sub.code)}` : '');
  const printer = availability(k.devices, 'printer');
  const printerWhy = !printer.ok ? (printer.why === 'paper-out' ? t('guide.printerNoPaper') : t('guide.printerUnavailable')) : '';

  const doPrint = async () => {
    setPrint({ s: 'printing' });
    try {
      const job: PrintJobStatus = await api.call('print.checklist', { code: item.code, caseCode: sub?.code });
      if (job.state === 'held' || job.state === 'failed') setPrint({ s: 'held', reason: job.cause ? t(`printCause.${job.cause}`) : (job.reason ?? t('guide.printerUnavailable')), jobId: job.jobId });
      else setPrint({ s: 'done', jobId: job.jobId });
    } catch (err) {
      const reason = err instanceof ApiCallError && (err.code === 'paper-out' || err.code === 'device-absent') ? err.message : t('guide.printerUnavailable');
      setPrint({ s: 'held', reason });
    }
  };

  const showWay = async (targets: string[]) => {
    const data = await api.call('catalogue.map', {}).catch(() => null);
    if (data) setMap({ data, targets });
  };

  return (
    <div className="guide" data-testid="guide" data-code={item.code}>
      <BackBar title={name} />
      {en && (
        <p className="notice zh-only-notice" data-testid="zh-only-notice">
          {item.nameEn ? '' : `${t('guide.nameChineseOnly')} `}
          {t('guide.detailsChineseOnly')}
        </p>
      )}
      {guide.windows.length > 0 && (
        <div className="queue-actions">
          <button
            className="primary big take-ticket"
            data-testid="take-ticket"
            onClick={() => k.go({ name: 'ticket', code: item.code, caseCode: sub?.code, title: sub ? `${name}（${sub.name}）` : name })}
          >
            {t('ticket.take')}
          </button>
          {item.onlineBooking && (
            <button className="big book" data-testid="book" onClick={() => k.go({ name: 'booking', code: item.code, title: name })}>
              {t('booking.button')}
            </button>
          )}
        </div>
      )}
      <div className="guide-body">
        <div className="guide-main">
          <p className="dept">{t('guide.department')}：{item.department}</p>
          {k.person && (
            <p className="applicant" data-testid="applicant">
              {t('guide.applicant')}：{k.person.maskedName}（{k.person.maskedId}）
            </p>
          )}
          <dl className="facts">
            <div><dt>{t('guide.legal')}</dt><dd>{limit(sub?.legalLimit ?? item.legalLimit)}</dd></div>
            <div><dt>{t('guide.promised')}</dt><dd>{limit(sub?.promisedLimit ?? item.promisedLimit)}</dd></div>
            <div>
              <dt>{t('guide.fee')}</dt>
              <dd data-testid="fee">{feeText ? <>{feeText}{zhOnly}</> : item.free ? t('guide.free') : t('guide.unknown')}</dd>
            </div>
            <div><dt>{t('guide.visits')}</dt><dd data-testid="visits">{visits === null ? t('guide.unknown') : t('guide.visitsValue', { count: visits })}</dd></div>
            <div><dt>{t('guide.bookingLabel')}</dt><dd data-testid="booking-fact">{item.onlineBooking ? t('guide.booking') : t('guide.noBooking')}</dd></div>
            <div><dt>{t('guide.resultLabel')}</dt><dd data-testid="result-fact">{item.courier ? t('guide.courier') : t('guide.noCourier')}</dd></div>
            <div><dt>{t('guide.hallHours')}</dt><dd data-testid="hall-hours">{hours(guide.hours)}</dd></div>
            {item.consultPhone && <div><dt>{t('guide.phone')}</dt><dd>{item.consultPhone}</dd></div>}
          </dl>

          {item.cases.length > 1 && (
            <section className="cases" data-testid="cases">
              {sub ? (
                <div className="your-case">
                  <span>{t('guide.yourCase')}：</span>
                  <strong data-testid="case-name">{sub.name}</strong>
                  <button onClick={() => k.go({ name: 'guide', code: item.code })}>{t('guide.changeCase')}</button>
                </div>
              ) : (
                <>
                  {guide.questionnaire && (
                    <button className="primary big" data-testid="start-questionnaire" onClick={() => k.go({ name: 'questionnaire', code: item.code })}>
                      {t('guide.questionnaire')}
                    </button>
                  )}
                  <p className="muted">{t('guide.chooseCase')}</p>
                  <ul className="chips">
                    {item.cases.map((c) => (
                      <li key={c.code}>
                        {/* With eligibility rules a picked case gets its verdict first, as the questions would have given it. */}
                        <button data-case={c.code} onClick={() => k.go(guide.questionnaire?.eligibility ? { name: 'questionnaire', code: item.code, caseCode: c.code } : { name: 'guide', code: item.code, caseCode: c.code })}>{c.name}</button>
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </section>
          )}

          {(sub?.conditions || item.conditions) && (
            <section>
              <h2>{t('guide.conditions')}</h2>
              <p className="prose">{sub?.conditions || item.conditions}</p>
            </section>
          )}

          <section>
            <h2>{sub ? t('guide.materialsOf', { case: sub.name }) : t('guide.materials')}</h2>
            {materials.some((m) => kindsForMaterial(m.name)) && (
              <button className="primary big" data-testid="start-prereview" onClick={() => k.go({ name: 'prereview', code: item.code, caseCode: sub?.code })}>
                {t('prereview.start')}
              </button>
            )}
            {materials.length === 0 ? (
              <p>{t('guide.noMaterials')}</p>
            ) : (
              <ol className="materials" data-testid="materials">
                {materials.map((m, i) => (
                  <li key={i}>
                    <strong>{m.name}</strong>
                    {[m.form, m.copies ? t('guide.copies', { count: m.copies }) : '', m.required ? '' : t('guide.optional')].filter(Boolean).map((x) => (
                      <span className="tag" key={x}>{x}</span>
                    ))}
                    {m.note && <small className="note">{m.note}</small>}
                  </li>
                ))}
              </ol>
            )}
          </section>

          <section>
            <h2>{t('guide.windows')}</h2>
            {guide.windows.length === 0 ? (
              <p>{t('guide.noWindows')}</p>
            ) : (
              <>
                <ul className="windows" data-testid="windows">
                  {guide.windows.map((w) => (
                    <li key={w.id} data-window={w.id}>
                      <strong>{w.id}</strong> {w.name}
                      <small className="window-hours">{w.ownHours ? t('guide.windowHours', { hours: hours(w.hours) }) : t('guide.sameAsHall')}</small>
                    </li>
                  ))}
                </ul>
                <button className="big" data-testid="show-way" onClick={() => void showWay(guide.windows.map((w) => w.id))}>
                  {t('guide.showWay')}
                </button>
              </>
            )}
          </section>
        </div>

        <aside className="guide-side">
          <div className="print-box">
            <button
              className="primary big"
              data-testid="print"
              disabled={!printer.ok || print.s === 'printing'}
              onClick={() => void doPrint()}
            >
              {print.s === 'printing' ? t('guide.printing') : t('guide.print')}
              {!printer.ok && <small className="unavailable-tag" data-testid="printer-unavailable">（{printerWhy}）</small>}
            </button>
            {print.s === 'done' && <p className="ok" data-testid="print-done">{t('guide.printed')}</p>}
            {(print.s === 'held' || !printer.ok) && (
              <p className="warn" role="status" data-testid="print-alternative">
                {print.s === 'held' ? t(qrValue ? 'guide.held' : 'guide.heldNoQr', { reason: print.reason }) : `${printerWhy}，${t(qrValue ? 'guide.scanInstead' : 'guide.askInstead')}`}
              </p>
            )}
          </div>
          <AddToPending entry={{ kind: 'item', code: item.code, ...(sub ? { caseCode: sub.code } : {}) }} />
          {qrValue && <QrCode value={qrValue} label={t('guide.qr')} size={k.elderly ? 280 : 220} />}
          <button className="big" data-testid="rate" onClick={() => k.go({ name: 'rating', itemCode: item.code, subject: print.s === 'done' ? print.jobId : undefined })}>
            {t('guide.rate')}
          </button>
        </aside>
      </div>
      {map && (
        <div className="modal" role="dialog" aria-label={t('map.title')} data-testid="map">
          <div className="modal-box">
            <HallMap map={map.data} targets={map.targets} labels={{ here: t('map.here'), lift: (floor) => t('map.lift', { floor }), sameFloor: t('map.sameFloor') }} />
            <button className="primary big" onClick={() => setMap(null)}>{t('map.close')}</button>
          </div>
        </div>
      )}
    </div>
  );
}
