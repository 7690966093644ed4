import { afterEach, describe, expect, it } from 'vitest';
import { makeQueue, baseConfig } from './helpers.ts';
import { dayPlan, slotsOn } from '../../../server/queue/calendar.ts';
import { idKeyOf } from '../../../server/queue/appointments.ts';
import { hallInstant } from '../../../protocol/clock.ts';

let env: Awaited<ReturnType<typeof makeQueue>>;
afterEach(async () => env?.close());

const KEY = 'unit-test-hall-secret-of-32-chars-or-more';
const alice = idKeyOf('440106199001011234', KEY);
const bob = idKeyOf('440106198505052345', KEY);

describe('the hall calendar', () => {
  it('closes on statutory holidays and opens on weekend days worked in lieu', () => {
    expect(dayPlan(baseConfig, '2026-10-01')).toMatchObject({ open: false, reason: '国庆节' });
    expect(slotsOn(baseConfig, '2026-10-01')).toEqual([]);
    // Saturday 10 October 2026 is worked in lieu of the National Day week: full weekday hours.
    expect(dayPlan(baseConfig, '2026-10-10')).toMatchObject({ open: true, hours: { open: '09:00', close: '17:00' } });
    expect(slotsOn(baseConfig, '2026-10-10')).toHaveLength(6);
  });

  it('follows the hall opening hours on ordinary weekends and its own closed days', () => {
    expect(slotsOn(baseConfig, '2026-09-19').map((s) => s.start)).toEqual(['09:00', '10:00', '11:00']);
    expect(dayPlan(baseConfig, '2026-09-13')).toMatchObject({ open: false, reason: '非办公日' });
    // Sunday 20 September 2026 is worked in lieu too.
    expect(dayPlan(baseConfig, '2026-09-20').open).toBe(true);
    const closed = { ...baseConfig, hall: { ...baseConfig.hall, holidays: ['2026-09-29'] } };
    expect(dayPlan(closed, '2026-09-29')).toMatchObject({ open: false, reason: '闭馆日' });
    expect(dayPlan(baseConfig, '2026-09-29').open).toBe(true);
  });
});

describe('booking', () => {
  it('offers days ahead with their slots, closed days marked', async () => {
    env = await makeQueue({ day: '2026-09-29', time: '10:30' });
    const days = await env.queue.appointments.availability('GZ-SB-001');
    expect(days[0].date).toBe('2026-09-29');
    // Today: slots already started are not bookable.
    expect(days[0].slots.filter((s) => s.bookable).map((s) => s.start)).toEqual(['11:00', '14:00', '15:00', '16:00']);
    expect(days.find((d) => d.date === '2026-10-01')).toMatchObject({ open: false, reason: '国庆节', slots: [] });
    expect(days).toHaveLength(env.config.appointments.daysAhead + 1);
  });

  it('holds slot capacity per item and frees a place on cancel', async () => {
    env = await makeQueue({ day: '2026-09-29', time: '08:00' });
    const book = env.queue.appointments;
    const cap = env.config.appointments.perItem['GZ-BDC-001'];
    expect(cap).toBe(6);
    const keys = Array.from({ length: cap + 1 }, (_, i) => idKeyOf(`44010619900101${String(1000 + i)}`, KEY));
    const results = await Promise.allSettled(keys.map((k) => book.book({ itemCode: 'GZ-BDC-001', date: '2026-09-30', start: '09:00', idKey: k })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(cap);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(['full']);
    const mine = await book.list(keys[0]);
    await book.cancel(mine[0].id, keys[0]);
    await expect(book.cancel(mine[0].id, keys[0])).rejects.toMatchObject({ code: 'conflict' });
    await expect(book.book({ itemCode: 'GZ-BDC-001', date: '2026-09-30', start: '09:00', idKey: keys[cap] })).resolves.toMatchObject({ state: 'booked' });
    const slot = (await book.availability('GZ-BDC-001')).find((d) => d.date === '2026-09-30')!.slots[0];
    expect(slot).toMatchObject({ capacity: 6, booked: 6, available: 0, bookable: false });
  });

  it('refuses holidays, unknown slots, started slots, far days and double bookings', async () => {
    env = await makeQueue({ day: '2026-09-29', time: '10:30' });
    const book = env.queue.appointments;
    const base = { itemCode: 'GZ-SB-001', idKey: alice };
    await expect(book.book({ ...base, date: '2026-10-01', start: '09:00' })).rejects.toMatchObject({ code: 'closed' });
    await expect(book.book({ ...base, date: '2026-09-30', start: '12:00' })).rejects.toMatchObject({ code: 'bad-request' });
    await expect(book.book({ ...base, date: '2026-09-29', start: '10:00' })).rejects.toMatchObject({ code: 'closed' });
    await expect(book.book({ ...base, date: '2026-10-20', start: '09:00' })).rejects.toMatchObject({ code: 'bad-request' });
    await book.book({ ...base, date: '2026-09-30', start: '09:00' });
    await expect(book.book({ ...base, date: '2026-09-30', start: '10:00' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(book.cancel((await book.list(alice))[0].id, bob)).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('check-in', () => {
  it('turns the appointment into a priority ticket inside its check-in window only', async () => {
    env = await makeQueue({ day: '2026-09-29', time: '08:00' });
    const { queue, clock, store } = env;
    await queue.appointments.book({ itemCode: 'GZ-SB-001', date: '2026-09-30', start: '14:00', idKey: alice });
    clock.set(hallInstant('2026-09-30', '09:00'));
    await expect(queue.appointments.checkIn(bob)).rejects.toMatchObject({ code: 'not-found' });
    await expect(queue.appointments.checkIn(alice)).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('13:00') });
    await store.issue({ groupId: 'social' });
    clock.set(hallInstant('2026-09-30', '13:30'));
    const { appointment, ticket } = await queue.appointments.checkIn(alice);
    expect(appointment.state).toBe('checked-in');
    expect(ticket.ticket).toMatchObject({ number: 'A002', priority: 'appointment', cls: 1, maskedId: null });
    expect(ticket.ahead).toBe(0);
    await expect(queue.appointments.checkIn(alice)).rejects.toMatchObject({ code: 'not-found' });
  });

  it('says when the appointment time has passed', async () => {
    env = await makeQueue({ day: '2026-09-29', time: '08:00' });
    await env.queue.appointments.book({ itemCode: 'GZ-SB-001', date: '2026-09-29', start: '09:00', idKey: alice });
    env.clock.set(hallInstant('2026-09-29', '11:00'));
    await expect(env.queue.appointments.checkIn(alice)).rejects.toMatchObject({ code: 'closed' });
  });

  it('checks in by the booking code on the day, once, and says which code is wrong', async () => {
    env = await makeQueue({ day: '2026-09-29', time: '08:00' });
    const { queue, clock } = env;
    const mine = await queue.appointments.book({ itemCode: 'GZ-SB-001', date: '2026-09-30', start: '14:00', idKey: alice });
    const other = await queue.appointments.book({ itemCode: 'GZ-SB-001', date: '2026-09-30', start: '14:00', idKey: bob });
    expect(mine.bookingCode).toMatch(/^\d{6}$/);
    expect(other.bookingCode).not.toBe(mine.bookingCode);
    // The code is the appointment's own: listing it under the card shows it again.
    expect((await queue.appointments.list(alice))[0].bookingCode).toBe(mine.bookingCode);
    clock.set(hallInstant('2026-09-30', '13:30'));
    const wrong = mine.bookingCode === '000000' ? '000001' : '000000';
    await expect(queue.appointments.checkInByCode(wrong)).rejects.toMatchObject({ code: 'not-found' });
    await expect(queue.appointments.checkInByCode('12ab56')).rejects.toMatchObject({ code: 'bad-request' });
    const { appointment, ticket } = await queue.appointments.checkInByCode(mine.bookingCode!);
    expect(appointment).toMatchObject({ id: mine.id, state: 'checked-in', ticketId: ticket.ticket.id });
    expect(ticket.ticket).toMatchObject({ priority: 'appointment', groupId: 'social' });
    await expect(queue.appointments.checkInByCode(mine.bookingCode!)).rejects.toMatchObject({ code: 'not-found' });
    // Bob's appointment is untouched by Alice's code.
    expect((await queue.appointments.list(bob))[0].state).toBe('booked');
  });

  it('does not check in a code booked for another day', async () => {
    env = await makeQueue({ day: '2026-09-29', time: '08:00' });
    const tomorrow = await env.queue.appointments.book({ itemCode: 'GZ-SB-001', date: '2026-09-30', start: '09:00', idKey: alice });
    await expect(env.queue.appointments.checkInByCode(tomorrow.bookingCode!)).rejects.toMatchObject({ code: 'not-found' });
  });
});
