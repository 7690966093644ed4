/**
 * On the home screen, for a signed-in citizen only: 我的预约, and when one of their
 * appointments is today, the offer to check in for it right here.
 */
import { useTranslation } from 'react-i18next';
import { useKiosk } from '../state.tsx';
import { CheckInOffer } from './CheckInOffer.tsx';
import { useMyAppointments } from './useMyAppointments.ts';

export function SignedInBar() {
  const { t } = useTranslation();
  const k = useKiosk();
  const mine = useMyAppointments();
  if (!k.person) return null;
  return (
    <section className="signed-in-bar" data-testid="signed-in-bar">
      <CheckInOffer mine={mine} />
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
