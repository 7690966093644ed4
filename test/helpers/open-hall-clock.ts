/**
 * Tickets are issued only while the hall is open (common/hall-calendar.ts), so a test that
 * takes tickets without being about hours runs on a weekday morning: real time, moved to
 * start at 10:00 on a Tuesday, whenever the suite runs.
 */
import { hallInstant, type Clock } from '../../protocol/clock.ts';

export function openHallClock(day = '2026-09-29', time = '10:00'): Clock {
  const offset = hallInstant(day, time) - Date.now();
  return { now: () => Date.now() + offset };
}
