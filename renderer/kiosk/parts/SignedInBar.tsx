/**
 * On the home screen, for a signed-in citizen only: 我的预约, and when one of their
 * appointments is today, the offer to check in for it right here.
 */
import { useTranslation } from 'react-i18next';
import { useKiosk } from '../state.tsx';
import { dueToday, hallDay } from '../appointments.ts';
import { useCheckIn } from './useCheckIn.ts';
import { useMyAppointments } from './useMyAppointments.ts';

export function SignedInBar() {
  const { t } = useTranslation();
  const k = useKiosk();
  const mine = useMyAppointments();
  const checkIn = useCheckIn();
  if (!k.person) return null;
  const due = mine.list ? dueToday(mine.list, hallDay(Date.now())) : [];
  const next = due[0];
  return (
    <section className="signed-in-bar" data-testid="signed-in-bar">
      {next && (
        <div className="check-in-offer" data-testid="check-in-offer">
          <p>{t('appts.dueToday', { item: next.itemName, start: next.slot.start, end: next.slot.end })}</p>
          <button className="primary big" data-testid="check-in" disabled={checkIn.busy} onClick={() => void checkIn.run(due)}>
            {checkIn.busy ? t('appts.checkingIn') : t('appts.checkIn')}
          </button>
          {checkIn.problem && <p className="warn" role="alert" data-testid="check-in-problem">{checkIn.problem}</p>}
        </div>
      )}
      <button className="big" data-testid="my-appointments" onClick={() => k.go({ name: 'appointments' })}>
        {t('appts.title')}
      </button>
      {k.devices.some((d) => d.kind === 'a4printer') && (
        <button className="big" data-testid="id-copy-open" onClick={() => k.go({ name: 'id-copy' })}>
          {t('idCopy.open')}
        </button>
      )}
    </section>
  );
}
