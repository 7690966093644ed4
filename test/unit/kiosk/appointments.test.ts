/** The kiosk's queue and appointment decisions: days and slots, today's check-in, refusals, paper. */
import { describe, expect, it } from 'vitest';
import type { AppointmentDayView, AppointmentView, SlotView } from '../../../protocol/ui/domains/queue.ts';
import type { DeviceHealth, DeviceState } from '../../../protocol/ui/domains/kiosk.ts';
import { hallInstant } from '../../../protocol/clock.ts';
import { CHECK_IN_EARLY_MS, CHECK_IN_LATE_MS } from '../../../server/queue/appointments.ts';
import {
  addMinutes,
  CHECK_IN_EARLY_MINUTES,
  CHECK_IN_LATE_MINUTES,
  checkInWindow,
  dateParts,
  dayChoices,
  dueToday,
  hallDay,
  paperState,
  printerTrouble,
  problemOf,
  sortForList,
} from '../../../renderer/kiosk/appointments.ts';

const slot = (start: string, end: string, capacity: number, booked: number, started = false): SlotView => ({
  start,
  end,
  capacity,
  booked,
  available: Math.max(0, capacity - booked),
  bookable: !started && booked < capacity,
});

const appt = (id: string, date: string, start: string, state: AppointmentView['state'] = 'booked'): AppointmentView => ({
  id,
  itemCode: 'GZ-MZ-001',
  itemName: '结婚登记',
  groupId: 'civil',
  date,
  slot: { start, end: addMinutes(start, 60) },
  state,
  maskedId: '4401**********0038',
  ticketId: null,
  bookingCode: null,
});

describe('hall day', () => {
  it('is the China Standard Time date, whatever the machine’s zone', () => {
    expect(hallDay(hallInstant('2026-12-01', '00:00'))).toBe('2026-12-01');
    expect(hallDay(hallInstant('2026-12-01', '23:59'))).toBe('2026-12-01');
    // 16:30 UTC is already half past midnight in Guangzhou.
    expect(hallDay(Date.parse('2026-11-30T16:30:00Z'))).toBe('2026-12-01');
  });
});

describe('check-in window', () => {
  it('matches the platform’s: an hour before the slot to half an hour after it', () => {
    expect(CHECK_IN_EARLY_MINUTES * 60_000).toBe(CHECK_IN_EARLY_MS);
    expect(CHECK_IN_LATE_MINUTES * 60_000).toBe(CHECK_IN_LATE_MS);
    expect(checkInWindow({ start: '09:00', end: '10:00' })).toEqual({ opens: '08:00', closes: '10:30' });
    expect(checkInWindow({ start: '14:30', end: '15:00' })).toEqual({ opens: '13:30', closes: '15:30' });
  });
  it('stays inside the day', () => {
    expect(addMinutes('00:20', -60)).toBe('00:00');
    expect(addMinutes('23:50', 30)).toBe('23:59');
  });
});

describe('day choices', () => {
  const days: AppointmentDayView[] = [
    { date: '2026-12-01', open: true, slots: [slot('09:00', '10:00', 4, 0, true), slot('10:00', '11:00', 4, 1), slot('11:00', '12:00', 4, 4)] },
    { date: '2026-12-02', open: true, slots: [slot('09:00', '10:00', 2, 2), slot('10:00', '11:00', 2, 0, true)] },
    { date: '2026-12-06', open: false, reason: '非办公日', slots: [] },
    { date: '2026-12-05', open: true, slots: [] },
  ];
  const out = dayChoices(days);

  it('counts only places in slots that can still be booked', () => {
    // The started 09:00 slot has four places nobody can take any more.
    expect(out[0]).toMatchObject({ date: '2026-12-01', status: 'open', available: 3 });
  });
  it('marks a day full when every slot is taken or has started', () => {
    expect(out[1]).toMatchObject({ status: 'full', available: 0 });
  });
  it('marks a shut day closed with the platform’s reason, and a day without slots closed too', () => {
    expect(out[2]).toMatchObject({ status: 'closed', reason: '非办公日' });
    expect(out[3]).toMatchObject({ status: 'closed', available: 0 });
  });
  it('keeps the order and the slots', () => {
    expect(out.map((d) => d.date)).toEqual(days.map((d) => d.date));
    expect(out[0].slots).toHaveLength(3);
  });
});

describe('date parts', () => {
  it('gives month, day, weekday and how far from today', () => {
    expect(dateParts('2026-12-01', '2026-12-01')).toEqual({ month: 12, day: 1, weekday: 2, offset: 0 });
    expect(dateParts('2027-01-01', '2026-12-31')).toMatchObject({ month: 1, day: 1, weekday: 5, offset: 1 });
    expect(dateParts('2026-12-06', '2026-12-01')).toMatchObject({ weekday: 0, offset: 5 });
  });
});

describe('appointments of the day', () => {
  const list = [
    appt('a', '2026-12-02', '09:00'),
    appt('b', '2026-12-01', '14:00'),
    appt('c', '2026-12-01', '09:00', 'cancelled'),
    appt('d', '2026-12-01', '10:00'),
    appt('e', '2026-12-01', '11:00', 'checked-in'),
  ];
  it('offers check-in only for today’s booked ones, earliest first', () => {
    expect(dueToday(list, '2026-12-01').map((a) => a.id)).toEqual(['d', 'b']);
    expect(dueToday(list, '2026-12-03')).toEqual([]);
  });
  it('lists what can still be acted on first, cancelled last', () => {
    expect(sortForList(list).map((a) => a.id)).toEqual(['d', 'b', 'a', 'e', 'c']);
  });
});

describe('refusals', () => {
  it('read the platform’s own reason behind the host’s code', () => {
    expect(problemOf({ code: 'conflict', detail: { reason: 'full' } })).toBe('full');
    expect(problemOf({ code: 'conflict', detail: { reason: 'closed' } })).toBe('closed');
    expect(problemOf({ code: 'conflict', detail: { reason: 'conflict' } })).toBe('taken');
    expect(problemOf({ code: 'not-found', detail: { reason: 'not-found' } })).toBe('not-found');
    expect(problemOf({ code: 'offline', message: '暂时连接不上服务平台' })).toBe('offline');
    expect(problemOf({ code: 'not-signed-in' })).toBe('not-signed-in');
  });
  it('call anything else a plain failure, never a trace', () => {
    expect(problemOf({ code: 'conflict', detail: { reason: 'internal' } })).toBe('failed');
    expect(problemOf({ code: 'internal' })).toBe('failed');
    expect(problemOf(new TypeError('x is undefined'))).toBe('failed');
    expect(problemOf(null)).toBe('failed');
    expect(problemOf('boom')).toBe('failed');
  });
});

describe('paper', () => {
  const printer = (state: DeviceState, paper?: DeviceHealth['paper']): Pick<DeviceHealth, 'kind' | 'state' | 'paper'>[] => [
    { kind: 'idcard', state: 'ok' },
    { kind: 'printer', state, paper },
  ];

  it('names an empty roll before the fault the host reports with it', () => {
    expect(printerTrouble(printer('faulty', 'out'))).toBe('paper-out');
    expect(printerTrouble(printer('ok', 'out'))).toBe('paper-out');
  });
  it('calls a missing or faulty printer unavailable, and a working one no trouble', () => {
    expect(printerTrouble(printer('faulty'))).toBe('unavailable');
    expect(printerTrouble(printer('absent'))).toBe('unavailable');
    expect(printerTrouble([{ kind: 'idcard', state: 'ok' }])).toBe('unavailable');
    expect(printerTrouble(printer('ok', 'near-end'))).toBeNull();
  });
  it('is printed when the job went through', () => {
    expect(paperState({ state: 'done' }, null)).toBe('printed');
    expect(paperState({ state: 'queued' }, null)).toBe('printed');
  });
  it('names paper when the job or the printer says so, even before the health report catches up', () => {
    expect(paperState({ state: 'held', reason: '打印机缺纸：加纸后将自动重新打印' }, null)).toBe('paper-out');
    expect(paperState(undefined, 'paper-out')).toBe('paper-out');
  });
  it('says the printer is unavailable otherwise, including when nothing was sent', () => {
    expect(paperState({ state: 'failed', reason: '本机打印机暂不可用' }, null)).toBe('unavailable');
    expect(paperState(undefined, 'unavailable')).toBe('unavailable');
    expect(paperState({ state: 'held', reason: '打印机盖未关' }, 'unavailable')).toBe('unavailable');
  });
});
