/**
 * Taking a queue ticket: first the plain choice between an ordinary and a priority
 * ticket, then the ticket itself, its number large, where to go and how long, whether it
 * is on paper (and a QR to follow it on a phone when it is not), and a way to rate the
 * visit or finish.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api.ts';
import { useKiosk, type TakenTicket } from '../state.tsx';
import { BackBar } from '../parts/BackBar.tsx';
import { QrCode } from '../../shared/QrCode.tsx';
import { paperState, printerTrouble, problemOf } from '../appointments.ts';
import { useRequestId } from '../../shared/request-id.ts';
import type { HallClosedView } from '../../../protocol/ui/domains/queue.ts';
import type { PriorityKind, PriorityRules } from '../../../protocol/priority.ts';


interface Props {
  code: string;
  caseCode?: string;
  /** A one-tap ticket from the first screen: the group's line, taken as soon as the screen opens. */
  groupId?: string;
  title: string;
  taken?: TakenTicket;
}

export function TicketScreen({ code, caseCode, groupId, title, taken }: Props) {
  return taken ? <TicketShown code={code} title={title} taken={taken} /> : <TakeTicket code={code} caseCode={caseCode} groupId={groupId} title={title} />;
}

function TakeTicket({ code, caseCode, groupId, title }: Omit<Props, 'taken'>) {
  const { t } = useTranslation();
  const k = useKiosk();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  // Elderly mode keeps one decision per screen: the priority kinds wait behind one button.
  const [showPriority, setShowPriority] = useState(!k.elderly && !groupId);
  const trouble = printerTrouble(k.devices);
  // Taps that land before the button is disabled are one request: one ticket.
  const request = useRequestId();
  const [closed, setClosed] = useState<HallClosedView | null>(null);
  // The hall's own rule set, the one the robot states too; none shown until it is known.
  const [rules, setRules] = useState<PriorityRules | null>(null);

  // The group button was the citizen's choice: the ticket is taken at once (one request id, however often this runs).
  useEffect(() => {
    if (groupId) void take();
  }, [groupId]);

  useEffect(() => {
    let live = true;
    api.call('queue.hours', {}).then(
      (c) => live && setClosed(c),
      // Unknown hours leave the button: the platform refuses a closed hall itself.
      () => undefined,
    );
    api.call('queue.priority', {}).then(
      (r) => live && setRules(r),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    k.speak(closed ? t('ticket.closed.title') : `${title}。${t('ticket.now')}`);
  }, [k.elderly, closed]);

  if (closed) return <HallClosed closed={closed} code={code} title={title} />;

  const take = async (priority?: PriorityKind) => {
    setBusy(true);
    setProblem(null);
    const bound = k.person !== null;
    try {
      // A printer known to be out of paper would hold the slip and print it for whoever stands here next.
      const what = groupId ? { groupId } : { itemCode: caseCode ?? code };
      const res = await api.call('queue.take', { ...what, priority, print: trouble === null, requestId: request.current() });
      k.replace({ name: 'ticket', code, caseCode, groupId, title, taken: { ticket: res.ticket, paper: paperState(res.printJob, trouble), bound, checkIn: false } });
    } catch (err) {
      const shut = closedOf(err);
      if (shut) {
        setClosed(shut);
        return;
      }
      const p = problemOf(err);
      setProblem(p === 'offline' ? t('ticket.unavailable') : p === 'not-found' ? t('ticket.noWindow') : t('ticket.failed'));
      setBusy(false);
    }
  };

  return (
    <div className="ticket-take" data-testid="ticket-take">
      <BackBar title={t('ticket.title')} />
      <p className="ticket-for">
        <span className="muted">{t('ticket.service')}：</span>
        <strong data-testid="ticket-service">{title}</strong>
      </p>
      {trouble && (
        <p className="warn" role="status" data-testid="ticket-no-print">
          {t('ticket.willNotPrint', { why: trouble === 'paper-out' ? t('guide.printerNoPaper') : t('guide.printerUnavailable') })}
        </p>
      )}
      <button className="primary big take-now" data-testid="take-now" disabled={busy} onClick={() => void take()}>
        {busy ? t('ticket.taking') : t('ticket.now')}
      </button>
      {!rules ? null : showPriority ? (
        <section className="priority" aria-labelledby="priority-intro">
          <p id="priority-intro">{t('ticket.priorityIntro')}</p>
          <ul className="options">
            {rules.kinds.map((p) => (
              <li key={p}>
                <button className="option" data-priority={p} disabled={busy} onClick={() => void take(p)}>
                  {t(`ticket.priority.${p}`, { age: rules.elderlyAge })}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : (
        <button className="big" data-testid="priority-more" onClick={() => setShowPriority(true)}>
          {t('ticket.priorityMore')}
        </button>
      )}
      {problem && (
        <p className="warn" role="alert" data-testid="ticket-problem">
          {problem}
        </p>
      )}
    </div>
  );
}

/** The refusal's account of a closed hall, when the host gave one. */
function closedOf(err: unknown): HallClosedView | null {
  const detail = (err as { detail?: { reason?: string; closed?: HallClosedView | null } } | null)?.detail;
  return detail?.reason === 'hall-closed' ? (detail.closed ?? null) : null;
}

/** No ticket outside opening hours: why, the hall's hours, and booking another day instead. */
function HallClosed({ closed, code, title }: { closed: HallClosedView; code: string; title: string }) {
  const { t } = useTranslation();
  const k = useKiosk();
  const weekdays = t('booking.weekdays', { returnObjects: true }) as string[];
  const days = (list: number[]) => list.map((d) => weekdays[d % 7]).join('、');
  const why =
    closed.reason === 'closed-day'
      ? t('ticket.closed.day', { reason: closed.day.reason ?? '' })
      : closed.reason === 'before-hours'
        ? t('ticket.closed.before', { open: closed.day.hours?.open ?? '' })
        : t('ticket.closed.after', { close: closed.day.hours?.close ?? '' });
  return (
    <div className="ticket-take ticket-closed" data-testid="ticket-closed" data-reason={closed.reason}>
      <BackBar title={t('ticket.title')} />
      <h1>{t('ticket.closed.title')}</h1>
      <p role="status">{why}</p>
      <section aria-labelledby="closed-hours">
        <h2 id="closed-hours">{t('ticket.closed.hours')}</h2>
        <ul className="closed-hours" data-testid="closed-hours">
          {closed.usualHours.map((h) => (
            <li key={h.days.join()}>{t('ticket.closed.hoursLine', { days: days(h.days), open: h.open, close: h.close })}</li>
          ))}
        </ul>
      </section>
      {code && (
        <button className="primary big" data-testid="closed-book" onClick={() => k.replace({ name: 'booking', code, title })}>
          {t('ticket.closed.book')}
        </button>
      )}
      <button className="big" data-testid="closed-home" onClick={k.goHome}>
        {t('ticket.closed.home')}
      </button>
    </div>
  );
}

function TicketShown({ code, title, taken }: { code: string; title: string; taken: TakenTicket }) {
  const { t } = useTranslation();
  const k = useKiosk();
  const { ticket, paper } = taken;

  useEffect(() => {
    k.speak(t('ticket.spoken', { number: ticket.number, ahead: ticket.ahead }));
  }, [k.elderly]);

  const service = ticket.itemName && ticket.itemName !== ticket.groupName ? `${ticket.groupName}（${ticket.itemName}）` : ticket.groupName || title;
  return (
    <div className="ticket-shown" data-testid="ticket" data-number={ticket.number} data-paper={paper}>
      <BackBar title={t('ticket.yourNumber')} />
      <div className="ticket-body">
        <div className="ticket-card">
          <p className="muted">{t('ticket.yourNumber')}</p>
          <p className="ticket-number" data-testid="ticket-number">{ticket.number}</p>
          {(ticket.priority || taken.checkIn) && (
            <p className="ticket-tag" data-testid="ticket-priority">{taken.checkIn ? t('ticket.checkInTag') : t('ticket.priorityTag')}</p>
          )}
          <dl className="facts ticket-facts">
            <div><dt>{t('ticket.service')}</dt><dd data-testid="ticket-group">{service}</dd></div>
            <div><dt>{t('ticket.windows')}</dt><dd data-testid="ticket-windows">{ticket.windows.join('、') || t('guide.noWindows')}</dd></div>
            <div><dt>{t('ticket.ahead')}</dt><dd data-testid="ticket-ahead">{t('ticket.aheadValue', { count: ticket.ahead })}</dd></div>
            <div>
              <dt>{t('ticket.wait')}</dt>
              <dd data-testid="ticket-wait">{ticket.ahead === 0 ? t('ticket.next') : t('ticket.waitValue', { count: ticket.estimatedWaitMinutes })}</dd>
            </div>
          </dl>
          <p>{t('ticket.callHint')}</p>
          {taken.bound && <p className="ok" data-testid="ticket-bound">{t('ticket.bound')}</p>}
          {ticket.offline && <p className="warn" data-testid="ticket-offline">{t('ticket.offline')}</p>}
        </div>
        <aside className="ticket-side">
          {paper === 'printed' ? (
            <p className="ok" data-testid="ticket-printed">{t('ticket.printed')}</p>
          ) : (
            <p className="warn" role="status" data-testid="ticket-not-printed">
              {paper === 'paper-out' ? t(ticket.followUrl ? 'ticket.paperOut' : 'ticket.paperOutNoQr') : t(ticket.followUrl ? 'ticket.noPrinter' : 'ticket.noPrinterNoQr')}
            </p>
          )}
          {ticket.followUrl && (paper !== 'printed' || !k.elderly) && <QrCode value={ticket.followUrl} label={t('ticket.follow')} size={k.elderly ? 280 : 220} />}
          <button className="big" data-testid="rate" onClick={() => k.go({ name: 'rating', itemCode: code || undefined, subject: ticket.id })}>
            {t('guide.rate')}
          </button>
          <button className="primary big" data-testid="ticket-done" onClick={k.goHome}>
            {t('ticket.done')}
          </button>
        </aside>
      </div>
    </div>
  );
}
