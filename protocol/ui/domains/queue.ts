/** Queue tickets and appointments as the kiosk offers them. */
import { z } from 'zod';
import { method } from '../method.ts';
import type { PrintHoldCause } from './print.ts';
import { PriorityKind, type PriorityRules } from '../../priority.ts';

export interface TicketView {
  id: string;
  number: string;
  groupId: string;
  groupName: string;
  itemCode?: string;
  itemName?: string;
  windows: string[];
  ahead: number;
  estimatedWaitMinutes: number;
  issuedAt: string;
  priority: boolean;
  /** Issued from the kiosk's reserved block while the platform was unreachable. */
  offline: boolean;
  /** The page a phone follows the ticket on; null when the hall has no public address for phones. */
  followUrl: string | null;
  /** waiting, called, serving, done, no-show (known only while online). */
  state?: string;
  windowId?: string | null;
}

export interface QueueLineView {
  groupId: string;
  prefix: string;
  name: string;
  waiting: number;
  estimatedWaitMinutes: number;
}

export interface SlotView {
  start: string;
  end: string;
  capacity: number;
  booked: number;
  available: number;
  bookable: boolean;
}

export interface AppointmentDayView {
  date: string;
  open: boolean;
  /** Why the hall is closed that day (国庆节, 闭馆日, 非办公日). */
  reason?: string;
  slots: SlotView[];
}

export interface AppointmentView {
  id: string;
  itemCode: string;
  itemName: string;
  groupId: string;
  date: string;
  slot: { start: string; end: string };
  state: 'booked' | 'cancelled' | 'checked-in';
  maskedId: string | null;
  ticketId: string | null;
  /** 预约码: six digits typed on the keypad to check in without the card. */
  bookingCode: string | null;
}

type PrintJobRef = { jobId: string; state: string; reason?: string; cause?: PrintHoldCause };

/**
 * Made by the screen once per citizen action (one tap on 立即取号, on 确认预约): the same id
 * sent again, even while the first is still being answered, gets the first result.
 */
export const RequestId = z.string().uuid();

/** Why the hall issues no ticket now (common/hall-calendar.ts); the screen says it in words. */
export interface HallClosedView {
  reason: 'closed-day' | 'before-hours' | 'after-hours';
  /** The day's name when it is closed (国庆节, 非办公日), its hours when it is open. */
  day: { date: string; open: boolean; reason?: string; hours?: { open: string; close: string } };
  usualHours: { days: number[]; open: string; close: string }[];
}

export type CheckedInView = { appointment: AppointmentView; ticket: TicketView; printJob?: PrintJobRef };

export const queueMethods = {
  'queue.take': method<{ ticket: TicketView; printJob?: PrintJobRef }>()(
    z.object({
      itemCode: z.string().max(64).optional(),
      groupId: z.string().max(64).optional(),
      priority: PriorityKind.optional(),
      print: z.boolean().default(true),
      requestId: RequestId,
    }),
  ),
  /** Who the hall serves first, from its configuration; a kind it does not list is refused by queue.take. */
  'queue.priority': method<PriorityRules>()(z.object({})),
  /** Whether tickets are issued now; null while the hall is open. */
  'queue.hours': method<HallClosedView | null>()(z.object({})),
  'queue.status': method<TicketView>()(z.object({ ticketId: z.string().min(1).max(64) })),
  'queue.lines': method<QueueLineView[]>()(z.object({})),
  'appointment.slots': method<AppointmentDayView[]>()(z.object({ itemCode: z.string().min(1).max(64) })),
  /** Needs a signed-in citizen: the appointment is filed under their ID card. */
  'appointment.book': method<AppointmentView>()(
    z.object({
      itemCode: z.string().min(1).max(64),
      date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
      start: z.string().regex(/^\d{2}:\d{2}$/),
      requestId: RequestId,
    }),
  ),
  'appointment.list': method<AppointmentView[]>()(z.object({})),
  'appointment.cancel': method<AppointmentView>()(z.object({ appointmentId: z.string().uuid() })),
  /** Check in with the ID card just placed: a priority ticket, printed unless told not to. */
  'appointment.checkIn': method<CheckedInView>()(z.object({ print: z.boolean().default(true) })),
  /** Check in with the booking code typed on the keypad: no card, no sign-in. */
  'appointment.checkInCode': method<CheckedInView>()(
    z.object({ code: z.string().regex(/^\d{6}$/, 'a booking code is six digits'), print: z.boolean().default(true) }),
  ),
};

export interface QueueEvents {
  'queue.ticket': TicketView;
}
