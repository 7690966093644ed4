/**
 * 主动提醒: what matters to the citizen who just signed in, shown to them only, above
 * every screen: their card expired or ending soon (CardExpiryNotice), an appointment due
 * today (the check-in offer, which home already carries under its search box), and an
 * age-based service (老年人优待证). Keyed on the session by the frame, so a sign-out, the
 * idle wipe or the next card takes every card away with the citizen.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useKiosk } from '../state.tsx';
import { CardExpiryNotice } from './CardExpiryNotice.tsx';
import { CheckInOffer } from './CheckInOffer.tsx';
import { useMyAppointments } from './useMyAppointments.ts';

/** Screens that show today's appointment themselves. */
const OWN_APPOINTMENT_SCREENS = new Set(['home', 'check-in', 'appointments', 'ticket', 'booking']);

export function Reminders() {
  const k = useKiosk();
  const mine = useMyAppointments();
  if (!k.person) return null;
  return (
    <div className="reminders" data-testid="reminders">
      <CardExpiryNotice />
      {!OWN_APPOINTMENT_SCREENS.has(k.screen.name) && <CheckInOffer mine={mine} />}
      <SeniorNotice />
    </div>
  );
}

function SeniorNotice() {
  const { t } = useTranslation();
  const k = useKiosk();
  const [dismissed, setDismissed] = useState(false);
  const senior = k.senior;
  const text = senior ? t(`reminders.senior.${senior.stage}`, { birthday: senior.birthday, from: senior.from }) : '';

  useEffect(() => {
    if (text) k.speak(text);
    // Spoken once when it first appears.
  }, [text]);

  if (!senior || dismissed || (k.screen.name === 'guide' && k.screen.code === senior.code)) return null;
  return (
    <section className="card-expiry senior" role="status" data-testid="senior-reminder">
      <p>{text}</p>
      <div className="card-expiry-actions">
        <button
          className="primary big"
          data-testid="senior-open"
          onClick={() => {
            setDismissed(true);
            k.go({ name: 'guide', code: senior.code });
          }}
        >
          {t('reminders.seniorOpen')}
        </button>
        <button className="big" data-testid="senior-dismiss" onClick={() => setDismissed(true)}>
          {t('cardExpiry.dismiss')}
        </button>
      </div>
    </section>
  );
}
