/**
 * Which days a hall takes appointments and which slots each day offers, by the hall's
 * calendar (common/hall-calendar.ts, which ticket issuing follows too).
 */
import type { HallConfig } from '../../config/schema.ts';
import { addDays } from '../../protocol/clock.ts';
import { dayPlan, type DayPlan } from '../../common/hall-calendar.ts';

export { dayPlan, type DayPlan };

export interface Slot {
  start: string;
  end: string;
}

/** The configured slots that fit inside the day's opening hours. */
export function slotsOn(config: HallConfig, date: string): Slot[] {
  const plan = dayPlan(config, date);
  if (!plan.open || !plan.hours) return [];
  return config.appointments.slots.filter((s) => s.start >= plan.hours!.open && s.end <= plan.hours!.close).map((s) => ({ start: s.start, end: s.end }));
}

/** Bookings one slot takes for an item. */
export function capacityOf(config: HallConfig, itemCode: string): number {
  return config.appointments.perItem[itemCode] ?? config.appointments.capacity;
}

/** Days a citizen may book: today (its slots still ahead) through daysAhead days on. */
export function bookableDays(config: HallConfig, today: string): DayPlan[] {
  const out: DayPlan[] = [];
  for (let i = 0; i <= config.appointments.daysAhead; i++) out.push(dayPlan(config, addDays(today, i)));
  return out;
}
