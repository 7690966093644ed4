/**
 * When a case is due by the item's promised time limit (承诺时限): working days are the
 * country's (chinese-days: weekdays without the statutory holidays, plus the weekend days
 * worked in lieu, 调休) less the hall's own closed days, not the days the hall opens its
 * doors (a hall open on Saturday does not review on it); they count from the day after
 * acceptance, as a 承诺件 is reckoned. Natural days and hours count the clock; 即办 is due
 * the same day.
 */
import chineseDays from 'chinese-days';
import type { HallConfig, TimeLimit } from '../../config/schema.ts';
import { addDays, hallDay } from '../../protocol/clock.ts';

/** A due moment: a whole hall day (the case is late from the next day) or an exact instant. */
export type Due = { day: string } | { at: number };

/** Far enough to cover any limit a catalogue states, and a guard against a calendar with no open day. */
const MAX_DAYS_SCANNED = 3660;

export function dueOf(config: HallConfig, limit: TimeLimit | null, acceptedAt: number): Due | null {
  if (!limit) return null;
  const accepted = hallDay(acceptedAt);
  switch (limit.unit) {
    case '即办':
      return { day: accepted };
    case '小时':
      return { at: acceptedAt + limit.value * 3_600_000 };
    case '自然日':
      return { day: addDays(accepted, Math.ceil(limit.value)) };
    case '工作日': {
      let left = Math.ceil(limit.value);
      let day = accepted;
      for (let i = 0; left > 0 && i < MAX_DAYS_SCANNED; i++) {
        day = addDays(day, 1);
        if (isWorkingDay(config, day)) left--;
      }
      return { day };
    }
  }
}

export function isWorkingDay(config: HallConfig, day: string): boolean {
  return chineseDays.isWorkday(day) && !config.hall.holidays.includes(day);
}

/** Whether a still-running case is past its due moment at `now`. */
export function isPastDue(due: Due | null, now: number): boolean {
  if (!due) return false;
  return 'at' in due ? now > due.at : hallDay(now) > due.day;
}

/** The due moment as the views carry it: a hall day, or an ISO instant. */
export function dueText(due: Due | null): string | null {
  if (!due) return null;
  return 'at' in due ? new Date(due.at).toISOString() : due.day;
}
