/**
 * A terminal outside its own hours (a teller machine whose bank lobby closes at night):
 * the screen says so and when it serves, instead of offering what it will not do.
 */
import { useTranslation } from 'react-i18next';
import { hoursLines, type HoursWords } from '../../../config/hours.ts';
import type { TerminalServiceView } from '../../../protocol/ui/domains/kiosk.ts';

function useHoursText(service: TerminalServiceView): string {
  const { t } = useTranslation();
  if (!service.hours) return t('outOfService.allDay');
  const words: HoursWords = { weekdays: t('booking.weekdays', { returnObjects: true }) as string[], through: t('guide.through'), separator: t('guide.daySeparator') };
  return hoursLines(service.hours, words).join(t('guide.hoursSeparator'));
}

/** On an unattended machine, its hours under the hall's name: citizens plan by them. */
export function SelfServiceHours({ service }: { service: TerminalServiceView }) {
  const { t } = useTranslation();
  const hours = useHoursText(service);
  return (
    <span className="self-service-hours" data-testid="self-service-hours">
      {t('outOfService.selfService', { hours })}
    </span>
  );
}

export function OutOfService({ service }: { service: TerminalServiceView }) {
  const { t } = useTranslation();
  const hours = useHoursText(service);
  return (
    <div className="notice out-of-service" role="status" data-testid="out-of-service">
      <h2>{t('outOfService.title')}</h2>
      <p>{t('outOfService.body', { hours })}</p>
    </div>
  );
}
