/**
 * Overdue cases by the promised time limit: working days skip weekends, statutory
 * holidays (chinese-days) and the hall's own closed days, and count a 调休 Saturday.
 */
import { describe, expect, it } from 'vitest';
import { loadConfigDir } from '../../../config/load.ts';
import { hallInstant } from '../../../protocol/clock.ts';
import { dueOf, dueText, isPastDue } from '../../../server/cases/time-limit.ts';

const config = loadConfigDir();
const days = (value: number) => ({ value, unit: '工作日' as const, text: `${value}(工作日)` });

describe('promised time limits', () => {
  it('counts working days from the day after acceptance, over a weekend', () => {
    // Thursday 2026-11-05 + 3 working days: Fri 6, Mon 9, Tue 10.
    expect(dueOf(config, days(3), hallInstant('2026-11-05', '10:00'))).toEqual({ day: '2026-11-10' });
  });

  it('skips the National Day holiday and counts the 调休 Saturday after it', () => {
    // Accepted Tue 2026-09-29: Wed 30 works, 1–7 October are holidays, Sat 10 October is worked in lieu.
    const due = dueOf(config, days(2), hallInstant('2026-09-29', '15:00'));
    expect(due).toEqual({ day: '2026-10-08' });
    expect(dueOf(config, days(3), hallInstant('2026-09-29', '15:00'))).toEqual({ day: '2026-10-09' });
    expect(dueOf(config, days(4), hallInstant('2026-09-29', '15:00'))).toEqual({ day: '2026-10-10' });
  });

  it('skips the hall\'s own closed days', () => {
    const closed = structuredClone(config);
    closed.hall.holidays = ['2026-11-06'];
    expect(dueOf(closed, days(1), hallInstant('2026-11-05', '10:00'))).toEqual({ day: '2026-11-09' });
  });

  it('is late only from the day after the due day', () => {
    const due = dueOf(config, days(1), hallInstant('2026-11-05', '10:00'));
    expect(isPastDue(due, hallInstant('2026-11-06', '23:59'))).toBe(false);
    expect(isPastDue(due, hallInstant('2026-11-07', '00:01'))).toBe(true);
  });

  it('counts natural days and hours by the clock, and 即办 as the same day', () => {
    const at = hallInstant('2026-11-05', '10:00');
    expect(dueOf(config, { value: 3, unit: '自然日', text: '3天' }, at)).toEqual({ day: '2026-11-08' });
    const hours = dueOf(config, { value: 2, unit: '小时', text: '2小时' }, at);
    expect(isPastDue(hours, at + 2 * 3_600_000)).toBe(false);
    expect(isPastDue(hours, at + 2 * 3_600_000 + 1)).toBe(true);
    expect(dueOf(config, { value: 0, unit: '即办', text: '即办' }, at)).toEqual({ day: '2026-11-05' });
    expect(isPastDue(dueOf(config, { value: 0, unit: '即办', text: '即办' }, at), hallInstant('2026-11-06', '09:00'))).toBe(true);
  });

  it('has no due moment for an item that promises none', () => {
    expect(dueOf(config, null, Date.now())).toBeNull();
    expect(isPastDue(null, Date.now())).toBe(false);
    expect(dueText(null)).toBeNull();
  });
});
