/**
 * Which days a hall takes appointments and which slots each day offers. The national
 * calendar (chinese-days) knows statutory holidays and the weekend days worked in lieu
 * (调休); the hall's own config adds its opening hours and extra closed days.
 */
import chineseDays from 'chinese-days';
import type { HallConfig } from '../../config/schema.ts';
import { addDays, isoWeekday } from '../../protocol/clock.ts';

export interface DayPlan {
  date: string;
  open: boolean;
  /** Why a day is closed, in words for the kiosk (国庆节, 闭馆日, 非办公日). */
  reason?: string;
  hours?: { open: string; close: string };
}

export interface Slot {
  start: string;
  end: string;
}

/** The festival name chinese-days gives a statutory holiday ("National Day,国庆节,3"), else null. */
function festivalOf(date: string): string | null {
  const detail = chineseDays.getDayDetail(date);
  if (detail.work) return null;
  const parts = detail.name.split(',');
  return parts.length >= 2 ? parts[1] : null;
}

export function dayPlan(config: HallConfig, date: string): DayPlan {
  if (config.hall.holidays.includes(date)) return { date, open: false, reason: '闭馆日' };
  const festival = festivalOf(date);
  if (festival) return { date, open: false, reason: festival };
  const weekday = isoWeekday(date);
  const ownHours = config.hall.openingHours.find((h) => h.days.includes(weekday));
  // A weekend day the country works in lieu runs on the hall's ordinary weekday hours.
  const inLieu = weekday >= 6 && chineseDays.isWorkday(date);
  const hours = inLieu ? (config.hall.openingHours.find((h) => h.days.includes(1)) ?? ownHours) : ownHours;
  if (!hours) return { date, open: false, reason: '非办公日' };
  return { date, open: true, hours: { open: hours.open, close: hours.close } };
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
