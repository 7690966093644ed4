/**
 * Opening hours as people read them: consecutive days joined into a range (周一至周五,
 * Mon–Fri), one line per set of hours. The words come from the caller, so the kiosk's
 * screen speaks either language and the printed ticket Chinese, from one rule.
 */
import type { HallConfig, OpeningHours, ServiceWindow } from './schema.ts';

export interface HoursWords {
  /** Day names indexed by JS weekday: 0 Sunday … 6 Saturday. */
  weekdays: readonly string[];
  /** Between the first and last day of a run: 至, –. */
  through: string;
  /** Between runs of days: 、, comma. */
  separator: string;
}

export const ZH_HOURS: HoursWords = { weekdays: ['周日', '周一', '周二', '周三', '周四', '周五', '周六'], through: '至', separator: '、' };

/** Runs of consecutive ISO weekdays (1 Monday … 7 Sunday), in week order. */
export function dayRuns(days: readonly number[]): [number, number][] {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  const runs: [number, number][] = [];
  for (const d of sorted) {
    const last = runs[runs.length - 1];
    if (last && d === last[1] + 1) last[1] = d;
    else runs.push([d, d]);
  }
  return runs;
}

export function daysText(days: readonly number[], w: HoursWords): string {
  const name = (d: number) => w.weekdays[d % 7];
  // Two days in a row read better as a list (周六、周日) than as a range.
  return dayRuns(days)
    .flatMap(([a, b]) => (b - a >= 2 ? [`${name(a)}${w.through}${name(b)}`] : a === b ? [name(a)] : [name(a), name(b)]))
    .join(w.separator);
}

/** One line per entry: "周一至周五 09:00–17:00". */
export function hoursLines(hours: readonly OpeningHours[], w: HoursWords): string[] {
  return hours.map((h) => `${daysText(h.days, w)} ${h.open}–${h.close}`);
}

/** A window's hours: its own when the hall set them, else the hall's. */
export function windowHours(config: Pick<HallConfig, 'hall'>, window: Pick<ServiceWindow, 'openingHours'>): OpeningHours[] {
  return window.openingHours ?? config.hall.openingHours;
}
