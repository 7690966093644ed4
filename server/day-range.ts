/**
 * The hall days a console figure covers, from its query's `from` and `to` (hall days,
 * both included), with the defaults and the limit every such figure keeps.
 */
import { z } from 'zod';
import { HttpError, parse } from './http.ts';
import { addDays, hallDay, hallInstant } from '../protocol/clock.ts';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a hall day YYYY-MM-DD');
const DayQuery = z.object({ from: Day.optional(), to: Day.optional() }).strict();

export interface DayRange {
  from: string;
  to: string;
  /** The first instant of `from` and of the day after `to`, as ISO times (for `at >= ? AND at < ?`). */
  startIso: string;
  endIso: string;
}

/** `days` is how many days end at `to` when `from` is not given; at most a year at once. */
export function parseDayRange(query: unknown, days: number, now = Date.now()): DayRange {
  const q = parse(DayQuery, query, 'query');
  const to = q.to ?? hallDay(now);
  const from = q.from ?? addDays(to, -(days - 1));
  if (from > to) throw new HttpError('bad-request', `from (${from}) is after to (${to})`);
  if (addDays(from, 366) <= to) throw new HttpError('bad-request', 'at most a year of days at once');
  return { from, to, startIso: new Date(hallInstant(from)).toISOString(), endIso: new Date(hallInstant(addDays(to, 1))).toISOString() };
}
