/**
 * 我的预约: the signed-in citizen's appointments from today on, what they can still do
 * first: check in for today's, cancel a booked one (after a second, explicit tap).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api.ts';
import type { AppointmentView } from '../../../protocol/ui/domains/queue.ts';
import { useKiosk } from '../state.tsx';
import { BackBar } from '../parts/BackBar.tsx';
import { CardPrompt } from '../parts/CardPrompt.tsx';
import { Paged } from '../parts/Paged.tsx';
import { spell, useDateLabel } from '../parts/useDateLabel.ts';
import { useCheckIn } from '../parts/useCheckIn.ts';
import { useMyAppointments } from '../parts/useMyAppointments.ts';
import { dueToday, hallDay, sortForList } from '../appointments.ts';

export function AppointmentsScreen() {
  const { t } = useTranslation();
  const k = useKiosk();
  const mine = useMyAppointments();
  const checkIn = useCheckIn();
  const label = useDateLabel();
  const [confirming, setConfirming] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [cancelFailed, setCancelFailed] = useState(false);

  useEffect(() => {
    if (!k.person) k.speak(t('booking.placeCard'));
    else if (mine.list) k.speak(`${t('appts.title')}：${mine.list.filter((a) => a.state === 'booked').map((a) => `${a.itemName} ${spell(label(a.date))} ${a.slot.start}`).join('，') || t('appts.none')}`);
  }, [mine.list, k.person, k.elderly]);

  if (!k.person) {
    return (
      <div className="appointments" data-testid="appointments">
        <BackBar title={t('appts.title')} />
        <CardPrompt message={t('booking.placeCard')} />
      </div>
    );
  }

  const cancel = async (a: AppointmentView) => {
    setCancelling(true);
    setCancelFailed(false);
    try {
      mine.update(await api.call('appointment.cancel', { appointmentId: a.id }));
      setConfirming(null);
    } catch {
      setCancelFailed(true);
    } finally {
      setCancelling(false);
    }
  };

  const today = hallDay(Date.now());
  const due = mine.list ? dueToday(mine.list, today) : [];

  return (
    <div className="appointments" data-testid="appointments">
      <BackBar title={t('appts.title')} />
      {mine.failed && <p className="notice" role="alert">{t('appts.loadFailed')}</p>}
      {!mine.list && !mine.failed && <p className="notice">{t('loading')}</p>}
      {mine.list && mine.list.length === 0 && <p className="notice" data-testid="no-appointments">{t('appts.none')}</p>}
      {checkIn.problem && <p className="warn" role="alert" data-testid="check-in-problem">{checkIn.problem}</p>}
      {cancelFailed && <p className="warn" role="alert">{t('appts.cancelFailed')}</p>}
      {mine.list && mine.list.length > 0 && (
        <Paged
          items={sortForList(mine.list)}
          perPage={6}
          elderlyPerPage={2}
          className="rows appt-rows"
          testId="appointment-list"
          render={(a) => (
            <div className={`appt ${a.state}`} data-appointment={a.id} data-state={a.state}>
              <div className="appt-what">
                <span className="row-name">{a.itemName}</span>
                <span>{spell(label(a.date))} {a.slot.start}–{a.slot.end}</span>
                <span className={`appt-state ${a.state}`} data-testid="appointment-state">{t(`appts.state.${a.state}`)}</span>
              </div>
              {a.state === 'booked' && confirming !== a.id && (
                <div className="appt-actions">
                  {due.some((d) => d.id === a.id) && (
                    <button className="primary" data-testid="check-in" disabled={checkIn.busy} onClick={() => void checkIn.run(due)}>
                      {checkIn.busy ? t('appts.checkingIn') : t('appts.checkIn')}
                    </button>
                  )}
                  <button data-testid="cancel" onClick={() => setConfirming(a.id)}>{t('appts.cancel')}</button>
                </div>
              )}
              {confirming === a.id && (
                <div className="appt-actions confirm-cancel" role="alertdialog" aria-label={t('appts.confirmCancel')}>
                  <span className="warn">{t('appts.confirmCancel')}</span>
                  <button className="primary" data-testid="confirm-cancel" disabled={cancelling} onClick={() => void cancel(a)}>{t('appts.yesCancel')}</button>
                  <button onClick={() => setConfirming(null)}>{t('appts.keep')}</button>
                </div>
              )}
            </div>
          )}
        />
      )}
    </div>
  );
}
