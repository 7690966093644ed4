/**
 * 预约签到 from the first screen: a citizen with an appointment today places the ID card
 * (which signs them in and offers today's appointment) or types the booking code they
 * were given, and gets their priority ticket either way.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useKiosk } from '../state.tsx';
import { BackBar } from '../parts/BackBar.tsx';
import { CardPrompt } from '../parts/CardPrompt.tsx';
import { Keypad } from '../parts/Keypad.tsx';
import { useCheckIn } from '../parts/useCheckIn.ts';
import { useMyAppointments } from '../parts/useMyAppointments.ts';
import { dueToday, hallDay } from '../appointments.ts';

const CODE_LENGTH = 6;

export function CheckInScreen() {
  const { t } = useTranslation();
  const k = useKiosk();
  const checkIn = useCheckIn();
  const mine = useMyAppointments();
  const [code, setCode] = useState('');

  useEffect(() => {
    k.speak(k.person ? t('checkIn.title') : t('checkIn.intro'));
  }, [k.person, k.elderly]);

  const due = mine.list ? dueToday(mine.list, hallDay(Date.now())) : [];
  return (
    <div className="check-in" data-testid="check-in-screen">
      <BackBar title={t('checkIn.title')} />
      {checkIn.problem && <p className="warn" role="alert" data-testid="check-in-problem">{checkIn.problem}</p>}
      {k.person ? (
        <section className="check-in-card" data-testid="check-in-card">
          {!mine.list && !mine.failed && <p className="notice">{t('loading')}</p>}
          {mine.failed && <p className="notice" role="alert">{t('appts.loadFailed')}</p>}
          {mine.list && due.length === 0 && <p className="notice" data-testid="check-in-none">{t('appts.problems.not-found')}</p>}
          {due[0] && (
            <>
              <p>{t('appts.dueToday', { item: due[0].itemName, start: due[0].slot.start, end: due[0].slot.end })}</p>
              <button className="primary big" data-testid="check-in" disabled={checkIn.busy} onClick={() => void checkIn.run(due)}>
                {checkIn.busy ? t('appts.checkingIn') : t('appts.checkIn')}
              </button>
            </>
          )}
        </section>
      ) : (
        <div className="check-in-ways">
          <section aria-labelledby="by-card">
            <h2 id="by-card">{t('checkIn.byCard')}</h2>
            <CardPrompt message={t('checkIn.placeCard')} />
          </section>
          <section aria-labelledby="by-code">
            <h2 id="by-code">{t('checkIn.byCode')}</h2>
            <Keypad value={code} length={CODE_LENGTH} onChange={setCode} busy={checkIn.busy} onConfirm={() => void checkIn.run([], code)} />
          </section>
        </div>
      )}
    </div>
  );
}
