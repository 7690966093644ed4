/**
 * The offer to check in for the signed-in citizen's appointment due today, with the
 * check-in itself. Home shows it under the search box; at sign-in on any other screen
 * it is one of the citizen's reminders.
 */
import { useTranslation } from 'react-i18next';
import { dueToday, hallDay } from '../appointments.ts';
import { useCheckIn } from './useCheckIn.ts';
import type { MyAppointments } from './useMyAppointments.ts';

export function CheckInOffer({ mine }: { mine: MyAppointments }) {
  const { t } = useTranslation();
  const checkIn = useCheckIn();
  const due = mine.list ? dueToday(mine.list, hallDay(Date.now())) : [];
  const next = due[0];
  if (!next) return null;
  return (
    <div className="check-in-offer" data-testid="check-in-offer">
      <p>{t('appts.dueToday', { item: next.itemName, start: next.slot.start, end: next.slot.end })}</p>
      <button className="primary big" data-testid="check-in" disabled={checkIn.busy} onClick={() => void checkIn.run(due)}>
        {checkIn.busy ? t('appts.checkingIn') : t('appts.checkIn')}
      </button>
      {checkIn.problem && <p className="warn" role="alert" data-testid="check-in-problem">{checkIn.problem}</p>}
    </div>
  );
}
