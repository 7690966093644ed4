/**
 * When the hall is open: the national calendar (chinese-days) knows statutory holidays
 * and the weekend days worked in lieu (调休); the hall's configuration adds its opening
 * hours and its own closed days. The platform books appointments and issues tickets by
 * it, and a kiosk cut off from the platform issues its reserved numbers by the same rule.
 */
import chineseDays from 'chinese-days';
import type { HallConfig } from '../config/schema.ts';
import { hallDay, hallTime, isoWeekday } from '../protocol/clock.ts';

export interface DayPlan {
  date: string;
  open: boolean;
  /** Why a day is closed, in words for the kiosk (国庆节, 闭馆日, 非办公日). */
  reason?: string;
  hours?: { open: string; close: string };
}

/** The festival name chinese-days gives a statutory holiday ("National Day,国庆节,3"), else null. */
function festivalOf(date: string): string | null {
  const detail = chineseDays.getDayDetail(date);
  if (detail.work) return null;
  const parts = detail.name.split(',');
  return parts.length >= 2 ? parts[1] : null;
}

/**
 * Why the country does not work on a date, with no hall configuration: its festival
 * (国庆节), 周末 for an ordinary weekend day, null on a working day (a weekend day worked
 * in lieu included). For pictures of a period; a hall's own opening rules are dayPlan's.
 */
export function nationalRestDay(date: string): string | null {
  if (chineseDays.isWorkday(date)) return null;
  return festivalOf(date) ?? '周末';
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

/**
 * Why no ticket is issued at this instant: 'closed-day' (a holiday, a weekend, the hall's
 * own closed day), 'before-hours' or 'after-hours'. A screen turns the code into words.
 */
export type HallClosedReason = 'closed-day' | 'before-hours' | 'after-hours';

export interface HallClosed {
  reason: HallClosedReason;
  /** The day's plan: its name for a closed day, its hours for an open one. */
  day: DayPlan;
  /** The hours of an ordinary working day, for a closed screen to show. */
  usualHours: { days: number[]; open: string; close: string }[];
}

/** Null while tickets may be issued; otherwise why not. */
export function hallClosedAt(config: HallConfig, instant: number): HallClosed | null {
  const day = dayPlan(config, hallDay(instant));
  const usualHours = config.hall.openingHours.map((h) => ({ days: [...h.days], open: h.open, close: h.close }));
  if (!day.open || !day.hours) return { reason: 'closed-day', day, usualHours };
  const now = hallTime(instant);
  if (now < day.hours.open) return { reason: 'before-hours', day, usualHours };
  if (now >= day.hours.close) return { reason: 'after-hours', day, usualHours };
  return null;
}

/** The refusal in words, for logs and for a client that shows the message as it is. */
export function hallClosedMessage(closed: HallClosed): string {
  const hours = closed.usualHours.map((h) => `${h.open}-${h.close}`).join('、');
  if (closed.reason === 'closed-day') return `今日非办公时间（${closed.day.reason ?? '非办公日'}），办公时间 ${hours}`;
  return `今日非办公时间，今天的办公时间为 ${closed.day.hours!.open}-${closed.day.hours!.close}`;
}
