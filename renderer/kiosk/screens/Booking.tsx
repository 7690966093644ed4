/**
 * Booking a visit (预约): the ID card first, since the booking is filed under it; then
 * a day, a time, a last look, and the booking with when to come back and check in. One
 * decision per screen, so elderly mode only has to show fewer days and times at once.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api.ts';
import { useRequestId } from '../../shared/request-id.ts';
import type { AppointmentView, SlotView } from '../../../protocol/ui/domains/queue.ts';
import { useKiosk } from '../state.tsx';
import { BackBar } from '../parts/BackBar.tsx';
import { CardPrompt } from '../parts/CardPrompt.tsx';
import { Paged } from '../parts/Paged.tsx';
import { spell, useDateLabel } from '../parts/useDateLabel.ts';
import { checkInWindow, dayChoices, problemOf, type DayChoice, type Problem } from '../appointments.ts';

type Step = { s: 'day' } | { s: 'slot'; day: DayChoice } | { s: 'confirm'; day: DayChoice; slot: SlotView } | { s: 'done'; appointment: AppointmentView };

export function BookingScreen({ code, title }: { code: string; title: string }) {
  const { t } = useTranslation();
  const k = useKiosk();
  // One rating, one appointment per action: a double tap repeats the same request.
  const request = useRequestId();
  const label = useDateLabel();
  const [days, setDays] = useState<DayChoice[] | null>(null);
  const [loadFailed, setLoadFailed] = useState(false);
  const [step, setStep] = useState<Step>({ s: 'day' });
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let live = true;
    api.call('appointment.slots', { itemCode: code }).then(
      (d) => {
        if (!live) return;
        const choices = dayChoices(d);
        setDays(choices);
        // A refusal sends the citizen back to the day they were on, with its counts fresh.
        setStep((st) => {
          if (st.s !== 'slot') return st;
          const fresh = choices.find((c) => c.date === st.day.date);
          return fresh && fresh.status === 'open' ? { s: 'slot', day: fresh } : { s: 'day' };
        });
      },
      () => live && setLoadFailed(true),
    );
    return () => {
      live = false;
    };
  }, [code, version]);

  useEffect(() => {
    if (!k.person) k.speak(t('booking.placeCard'));
    else if (step.s === 'day') k.speak(`${title}。${t('booking.chooseDay')}`);
    else if (step.s === 'slot') k.speak(t('booking.chooseSlot'));
  }, [step.s, k.person, k.elderly]);

  const book = async (day: DayChoice, slot: SlotView) => {
    setBusy(true);
    setProblem(null);
    try {
      const appointment = await api.call('appointment.book', { itemCode: code, date: day.date, start: slot.start, requestId: request.current() });
      request.next();
      setStep({ s: 'done', appointment });
    } catch (err) {
      const p = problemOf(err);
      setProblem(p);
      if (p === 'full' || p === 'closed') {
        setStep({ s: 'slot', day });
        setVersion((v) => v + 1);
      }
    } finally {
      setBusy(false);
    }
  };

  const back = () => {
    setProblem(null);
    if (step.s === 'confirm') setStep({ s: 'slot', day: step.day });
    else if (step.s === 'slot') setStep({ s: 'day' });
    else k.back();
  };

  const header = (
    <>
      <div className="backbar">
        <button onClick={back} data-testid="back">‹ {t('back')}</button>
        <h1>{t('booking.title')}</h1>
        <button onClick={k.goHome} data-testid="go-home">{t('home')}</button>
      </div>
      <p className="ticket-for">
        <span className="muted">{t('booking.service')}：</span>
        <strong>{title}</strong>
      </p>
    </>
  );

  if (step.s === 'done') {
    const a = step.appointment;
    const w = checkInWindow(a.slot);
    return (
      <div className="booking done" data-testid="booking-done" data-appointment={a.id}>
        <BackBar title={t('booking.done')} />
        <div className="booked-card">
          <h2 className="ok">✓ {t('booking.done')}</h2>
          <dl className="facts">
            <div><dt>{t('booking.service')}</dt><dd>{a.itemName}</dd></div>
            <div><dt>{t('booking.when')}</dt><dd data-testid="booked-when">{spell(label(a.date))} {a.slot.start}–{a.slot.end}</dd></div>
            {k.person && <div><dt>{t('booking.who')}</dt><dd>{k.person.maskedName}</dd></div>}
            {a.bookingCode && <div><dt>{t('booking.code')}</dt><dd className="booking-code" data-testid="booking-code">{a.bookingCode}</dd></div>}
          </dl>
          <p>{t('booking.checkInHint', { opens: w.opens, closes: w.closes })}</p>
        </div>
        <div className="actions">
          <button className="big" data-testid="see-mine" onClick={() => k.replace({ name: 'appointments' })}>{t('booking.mine')}</button>
          <button className="primary big" onClick={k.goHome}>{t('ticket.done')}</button>
        </div>
      </div>
    );
  }

  if (!k.person) {
    return (
      <div className="booking" data-testid="booking" data-step="card">
        {header}
        <CardPrompt message={t('booking.placeCard')} />
      </div>
    );
  }

  if (loadFailed) {
    return (
      <div className="booking" data-testid="booking">
        {header}
        <p className="notice" role="alert">{t('booking.loadFailed')}</p>
      </div>
    );
  }
  if (!days) return <div className="booking">{header}<p className="notice">{t('loading')}</p></div>;

  return (
    <div className="booking" data-testid="booking" data-step={step.s}>
      {header}
      {problem && (
        <div className="problem" role="alert" data-testid="booking-problem" data-problem={problem}>
          <p className="warn">{t(`booking.problems.${problem}`)}</p>
          {problem === 'taken' && <button className="big" onClick={() => k.replace({ name: 'appointments' })}>{t('booking.mine')}</button>}
        </div>
      )}
      {step.s === 'day' && (
        <>
          <h2>{t('booking.chooseDay')}</h2>
          {days.every((d) => d.status !== 'open') && <p className="notice" data-testid="no-days">{t('booking.noDays')}</p>}
          <Paged
            items={days}
            perPage={8}
            elderlyPerPage={4}
            className="tiles days"
            testId="days"
            render={(d) => {
              const l = label(d.date);
              return (
                <button className={`tile day ${d.status}`} data-date={d.date} data-status={d.status} disabled={d.status !== 'open'} onClick={() => setStep({ s: 'slot', day: d })}>
                  <span className="day-name">{l.relative || l.weekday}</span>
                  <span>{l.date}{l.relative ? ` ${l.weekday}` : ''}</span>
                  <small>{d.status === 'open' ? t('booking.left', { count: d.available }) : d.status === 'full' ? t('booking.full') : d.reason ? t('booking.closedFor', { reason: d.reason }) : t('booking.closed')}</small>
                </button>
              );
            }}
          />
        </>
      )}
      {step.s === 'slot' && (
        <>
          <h2>{t('booking.chooseSlot')} · {spell(label(step.day.date))}</h2>
          <Paged
            key={step.day.date}
            items={step.day.slots}
            perPage={8}
            elderlyPerPage={3}
            className="tiles slots"
            testId="slots"
            render={(s) => (
              <button className="tile slot" data-slot={s.start} disabled={!s.bookable} onClick={() => setStep({ s: 'confirm', day: step.day, slot: s })}>
                <span className="day-name">{s.start}–{s.end}</span>
                <small>{s.bookable ? t('booking.left', { count: s.available }) : s.available === 0 ? t('booking.full') : t('booking.started')}</small>
              </button>
            )}
          />
        </>
      )}
      {step.s === 'confirm' && (
        <section className="confirm" data-testid="booking-confirm">
          <h2>{t('booking.confirmTitle')}</h2>
          <dl className="facts">
            <div><dt>{t('booking.service')}</dt><dd>{title}</dd></div>
            <div><dt>{t('booking.when')}</dt><dd>{spell(label(step.day.date))} {step.slot.start}–{step.slot.end}</dd></div>
            <div><dt>{t('booking.who')}</dt><dd>{k.person.maskedName}</dd></div>
          </dl>
          <div className="actions">
            <button className="big" onClick={back}>{t('booking.change')}</button>
            <button className="primary big" data-testid="confirm-booking" disabled={busy} onClick={() => void book(step.day, step.slot)}>
              {busy ? t('booking.booking') : t('booking.confirm')}
            </button>
          </div>
        </section>
      )}
    </div>
  );
}
