/** Dates as a citizen says them: 今天 / 明天 before the date, the weekday beside it. */
import { useTranslation } from 'react-i18next';
import { dateParts, hallDay } from '../appointments.ts';

export interface DateLabel {
  /** 今天, 明天, 后天, or '' further out. */
  relative: string;
  /** 12月1日 / Dec 1 */
  date: string;
  weekday: string;
}

export function useDateLabel(): (date: string) => DateLabel {
  const { t } = useTranslation();
  const today = hallDay(Date.now());
  const weekdays = t('booking.weekdays', { returnObjects: true }) as string[];
  const months = t('booking.months', { returnObjects: true }) as string[];
  return (date) => {
    const p = dateParts(date, today);
    const relative = p.offset === 0 ? t('booking.today') : p.offset === 1 ? t('booking.tomorrow') : p.offset === 2 ? t('booking.dayAfter') : '';
    return { relative, date: t('booking.date', { month: p.month, day: p.day, monthName: months[p.month - 1] }), weekday: weekdays[p.weekday] };
  };
}

/** One line: 今天 12月1日 周二. */
export function spell(l: DateLabel): string {
  return [l.relative, l.date, l.weekday].filter(Boolean).join(' ');
}
