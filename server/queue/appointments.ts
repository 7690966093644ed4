/**
 * Appointments (预约): a citizen books a slot for an item at the kiosk, and on the day
 * places the ID card to check in, which gives a priority ticket. A person is known only
 * by a key derived from the ID number on the kiosk (see idKeyOf); the number itself
 * never reaches the platform.
 *
 * No masked number is kept beside the key. What a mask leaves narrows the HMAC's preimage,
 * and anyone holding the key (a kiosk, the key file) could then try every candidate. An
 * 18-character resident number is region (6 digits), birth date (8), sequence (3) and a
 * check digit computed from the rest; over one city (~12 district codes) and a century of
 * birth dates (36,525 days):
 * - 4401**********1234 leaves ≤ 100 region endings × 36,525 dates ≈ 3.7 million, a
 *   second's work;
 * - the last two characters alone leave 12 × 36,525 × 100 sequences ÷ 11 (the check
 *   digit must match) ≈ 4 million, still seconds;
 * - nothing leaves 12 × 36,525 × 1,000 ≈ 4.4 × 10^8 for one city and, nationwide
 *   (~3,200 county codes), ≈ 1.2 × 10^11.
 * So the clerk confirms the person by the card itself at check-in, not by a stored mask.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { findItem, groupsForItem } from '../../config/hall-query.ts';
import { hallDay, hallInstant, hallTime } from '../../protocol/clock.ts';
import { bookableDays, capacityOf, slotsOn, type Slot } from './calendar.ts';
import { QueueError } from './errors.ts';
import type { QueueStore, TicketStatus } from './store.ts';
import type { Db } from '../db/types.ts';

export { idKeyOf } from '../../protocol/id-key.ts';

export type AppointmentState = 'booked' | 'cancelled' | 'checked-in';

export interface Appointment {
  id: string;
  itemCode: string;
  itemName: string;
  groupId: string;
  date: string;
  slot: Slot;
  state: AppointmentState;
  maskedId: string | null;
  ticketId: string | null;
  /** Six digits the citizen types to check in without the card; null on appointments booked before codes. */
  bookingCode: string | null;
}

export interface SlotAvailability extends Slot {
  capacity: number;
  booked: number;
  available: number;
  /** False once the slot has started (today) or is full. */
  bookable: boolean;
}

export interface DayAvailability {
  date: string;
  open: boolean;
  reason?: string;
  slots: SlotAvailability[];
}

interface AppointmentRow {
  id: string;
  item_code: string;
  group_id: string;
  date: string;
  slot_start: string;
  slot_end: string;
  id_key: string;
  masked_id: string | null;
  state: string;
  ticket_id: string | null;
  booking_code: string | null;
}

/** Codes are drawn at random (not counted up) so one code says nothing about the next. */
export const BOOKING_CODE = /^\d{6}$/;
const CODE_ATTEMPTS = 20;

/** Check-in opens an hour before the slot and closes half an hour after it ends. */
export const CHECK_IN_EARLY_MS = 60 * 60_000;
export const CHECK_IN_LATE_MS = 30 * 60_000;

export class AppointmentBook {
  constructor(private readonly store: QueueStore) {}

  private get config() {
    return this.store.config;
  }

  private item(code: string) {
    const found = findItem(this.config, code);
    if (!found) throw new QueueError('not-found', `no service item ${code}`);
    const groups = groupsForItem(this.config, found.item);
    if (!groups.length) throw new QueueError('not-found', `no window of this hall serves ${code}`);
    return { item: found.item, group: groups[0] };
  }

  private view(r: AppointmentRow): Appointment {
    const name = findItem(this.config, r.item_code)?.item.name ?? r.item_code;
    return {
      id: r.id,
      itemCode: r.item_code,
      itemName: name,
      groupId: r.group_id,
      date: r.date,
      slot: { start: r.slot_start, end: r.slot_end },
      state: r.state as AppointmentState,
      maskedId: r.masked_id,
      ticketId: r.ticket_id,
      bookingCode: r.booking_code ?? null,
    };
  }

  /** The days and slots an item can be booked for, with what is left of each. */
  async availability(itemCode: string): Promise<DayAvailability[]> {
    this.item(itemCode);
    const now = this.store.clock.now();
    const today = hallDay(now);
    const capacity = capacityOf(this.config, itemCode);
    const days = bookableDays(this.config, today);
    const counts = await this.store.db.query<{ date: string; slot_start: string; booked: number | string }>(
      `SELECT date, slot_start, booked FROM queue_slot_counts WHERE item_code = ? AND date IN (${days.map(() => '?').join(', ')})`,
      [itemCode, ...days.map((d) => d.date)],
    );
    return days.map((d) => ({
      date: d.date,
      open: d.open,
      reason: d.reason,
      slots: slotsOn(this.config, d.date).map((s) => {
        const booked = Number(counts.find((c) => c.date === d.date && c.slot_start === s.start)?.booked ?? 0);
        const started = hallInstant(d.date, s.start) <= now;
        return { ...s, capacity, booked, available: Math.max(0, capacity - booked), bookable: !started && booked < capacity };
      }),
    }));
  }

  /**
   * Books a slot. A device's repeated `requestId` (a double tap, a retry after a lost
   * answer) gets the appointment its first request booked, whatever the slot holds now.
   */
  async book(input: { itemCode: string; date: string; start: string; idKey: string; deviceId?: string; requestId?: string }): Promise<Appointment> {
    const requestId = input.deviceId && input.requestId ? input.requestId : null;
    if (requestId) {
      const first = await this.byRequest(this.store.db, input.deviceId!, requestId);
      if (first) return first;
    }
    const { group } = this.item(input.itemCode);
    const now = this.store.clock.now();
    const day = bookableDays(this.config, hallDay(now)).find((d) => d.date === input.date);
    if (!day) throw new QueueError('bad-request', `appointments are taken up to ${this.config.appointments.daysAhead} days ahead`);
    if (!day.open) throw new QueueError('closed', `the hall is closed on ${input.date} (${day.reason})`);
    const slot = slotsOn(this.config, input.date).find((s) => s.start === input.start);
    if (!slot) throw new QueueError('bad-request', `no slot starting at ${input.start} on ${input.date}`);
    if (hallInstant(input.date, slot.start) <= now) throw new QueueError('closed', 'this slot has already started');
    const capacity = capacityOf(this.config, input.itemCode);
    return this.store.db.tx(async (db) => {
      // Again under the transaction's lock: the first request may have been in flight above.
      const first = requestId ? await this.byRequest(db, input.deviceId!, requestId) : null;
      if (first) return first;
      const mine = await db.query<AppointmentRow>("SELECT * FROM queue_appointments WHERE id_key = ? AND date = ? AND item_code = ? AND state = 'booked'", [
        input.idKey,
        input.date,
        input.itemCode,
      ]);
      if (mine.length) throw new QueueError('conflict', `already booked for ${mine[0].slot_start} that day`);
      await db.run('INSERT INTO queue_slot_counts (item_code, date, slot_start, booked) VALUES (?, ?, ?, 0) ON CONFLICT DO NOTHING', [input.itemCode, input.date, slot.start]);
      // The conditional increment is the capacity check: it cannot pass for two at once.
      const took = await db.run('UPDATE queue_slot_counts SET booked = booked + 1 WHERE item_code = ? AND date = ? AND slot_start = ? AND booked < ?', [
        input.itemCode,
        input.date,
        slot.start,
        capacity,
      ]);
      if (took.changes !== 1) throw new QueueError('full', `the ${slot.start} slot is full`);
      const row: AppointmentRow = {
        id: randomUUID(),
        item_code: input.itemCode,
        group_id: group.id,
        date: input.date,
        slot_start: slot.start,
        slot_end: slot.end,
        id_key: input.idKey,
        masked_id: null,
        state: 'booked',
        ticket_id: null,
        booking_code: await this.freeCode(db, input.date),
      };
      await db.run(
        'INSERT INTO queue_appointments (id, item_code, group_id, date, slot_start, slot_end, id_key, masked_id, state, created_at, device_id, request_id, booking_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [row.id, row.item_code, row.group_id, row.date, row.slot_start, row.slot_end, row.id_key, row.masked_id, row.state, now, input.deviceId ?? null, requestId, row.booking_code],
      );
      return this.view(row);
    });
  }

  /** A code no other appointment of that day holds (the unique index is the final word). */
  private async freeCode(db: Db, date: string): Promise<string> {
    for (let i = 0; i < CODE_ATTEMPTS; i++) {
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const taken = await db.query<{ id: string }>('SELECT id FROM queue_appointments WHERE date = ? AND booking_code = ?', [date, code]);
      if (!taken.length) return code;
    }
    throw new QueueError('full', 'no booking code is free for this day');
  }

  private async byRequest(db: Db, deviceId: string, requestId: string): Promise<Appointment | null> {
    const rows = await db.query<AppointmentRow>('SELECT * FROM queue_appointments WHERE device_id = ? AND request_id = ?', [deviceId, requestId]);
    return rows[0] ? this.view(rows[0]) : null;
  }

  /** A person's appointments from today on. */
  async list(idKey: string): Promise<Appointment[]> {
    const rows = await this.store.db.query<AppointmentRow>('SELECT * FROM queue_appointments WHERE id_key = ? AND date >= ? ORDER BY date, slot_start', [
      idKey,
      this.store.today(),
    ]);
    return rows.map((r) => this.view(r));
  }

  async cancel(appointmentId: string, idKey: string): Promise<Appointment> {
    return this.store.db.tx(async (db) => {
      const rows = await db.query<AppointmentRow>('SELECT * FROM queue_appointments WHERE id = ? AND id_key = ?', [appointmentId, idKey]);
      const row = rows[0];
      if (!row) throw new QueueError('not-found', 'no such appointment for this person');
      if (row.state !== 'booked') throw new QueueError('conflict', `the appointment is ${row.state}`);
      const res = await db.run("UPDATE queue_appointments SET state = 'cancelled' WHERE id = ? AND state = 'booked'", [row.id]);
      if (res.changes !== 1) throw new QueueError('conflict', 'the appointment changed meanwhile');
      await db.run('UPDATE queue_slot_counts SET booked = booked - 1 WHERE item_code = ? AND date = ? AND slot_start = ? AND booked > 0', [row.item_code, row.date, row.slot_start]);
      return this.view({ ...row, state: 'cancelled' });
    });
  }

  /**
   * Check-in by ID card on the day: the appointment whose check-in window contains now
   * becomes a priority ticket in its item's group.
   */
  checkIn(idKey: string, deviceId?: string): Promise<{ appointment: Appointment; ticket: TicketStatus }> {
    return this.checkInWhere('id_key', idKey, 'no appointment today for this card', deviceId);
  }

  /**
   * Check-in by the booking code typed on the keypad, for a citizen without the card at
   * hand. Only today's booked appointment with that code answers, so a guessed code gives
   * at most a ticket at someone's time, never what they booked or who they are.
   */
  async checkInByCode(code: string, deviceId?: string): Promise<{ appointment: Appointment; ticket: TicketStatus }> {
    if (!BOOKING_CODE.test(code)) throw new QueueError('bad-request', 'a booking code is six digits');
    return this.checkInWhere('booking_code', code, 'no appointment today with this booking code', deviceId);
  }

  private async checkInWhere(
    column: 'id_key' | 'booking_code',
    value: string,
    none: string,
    deviceId?: string,
  ): Promise<{ appointment: Appointment; ticket: TicketStatus }> {
    const now = this.store.clock.now();
    const today = hallDay(now);
    const result = await this.store.db.tx(async (db) => {
      const rows = await db.query<AppointmentRow>(`SELECT * FROM queue_appointments WHERE ${column} = ? AND date = ? AND state = 'booked' ORDER BY slot_start`, [value, today]);
      if (!rows.length) throw new QueueError('not-found', none);
      const due = rows.find((r) => now >= hallInstant(r.date, r.slot_start) - CHECK_IN_EARLY_MS && now <= hallInstant(r.date, r.slot_end) + CHECK_IN_LATE_MS);
      if (!due) {
        const next = rows.find((r) => hallInstant(r.date, r.slot_start) - CHECK_IN_EARLY_MS > now);
        if (next) throw new QueueError('conflict', `check-in for the ${next.slot_start} appointment opens at ${hallTime(hallInstant(next.date, next.slot_start) - CHECK_IN_EARLY_MS)}`);
        throw new QueueError('closed', 'the appointment time has passed; please take an ordinary ticket');
      }
      const ticket = await this.store.issue(
        { groupId: due.group_id, itemCode: due.item_code, priority: 'appointment', deviceId, appointmentId: due.id },
        db,
      );
      const res = await db.run("UPDATE queue_appointments SET state = 'checked-in', ticket_id = ? WHERE id = ? AND state = 'booked'", [ticket.ticket.id, due.id]);
      if (res.changes !== 1) throw new QueueError('conflict', 'the appointment changed meanwhile');
      return { appointment: this.view({ ...due, state: 'checked-in', ticket_id: ticket.ticket.id }), ticket };
    });
    return result;
  }

  async forDay(date: string): Promise<Appointment[]> {
    const rows = await this.store.db.query<AppointmentRow>('SELECT * FROM queue_appointments WHERE date = ? ORDER BY slot_start, id', [date]);
    return rows.map((r) => this.view(r));
  }
}

