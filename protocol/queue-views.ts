/**
 * The queue as the platform shows it over HTTP and the /display namespace: the window
 * terminal's window status, the call display's snapshot and the hall's announcements.
 * The platform builds them; the window and display screens read them.
 */
import type { QueueLine } from './queue.ts';
import type { PriorityKind } from './priority.ts';

/** 0 normal; 1 priority (elderly, disabled, military, appointment); 2 returned after a transfer. */
export type TicketClass = 0 | 1 | 2;

export type PriorityReason = PriorityKind | 'appointment';

export type TicketState = 'waiting' | 'called' | 'serving' | 'done' | 'no-show' | 'cancelled';

export type CallOutcome = 'done' | 'no-show' | 'transfer';

export interface TicketRecord {
  id: string;
  day: string;
  number: string;
  seq: number;
  homeGroupId: string;
  groupId: string;
  itemCode: string | null;
  priority: PriorityReason | null;
  cls: TicketClass;
  state: TicketState;
  windowId: string | null;
  issuedAt: number;
  queuedAt: number;
  recalls: number;
  transfers: number;
  origin: 'online' | 'offline';
  deviceId: string | null;
  maskedId: string | null;
  appointmentId: string | null;
}

export type WindowStateName = 'closed' | 'open' | 'paused';

/** The service the called citizen took a ticket for, as the hall names it (null on a ticket for a whole line). */
export interface CalledService {
  code: string;
  name: string;
  /** The hall's English name, when it gives one. */
  nameEn: string | null;
}

export interface WindowStatus {
  windowId: string;
  name: string;
  groups: string[];
  state: WindowStateName;
  staffName: string | null;
  current: (TicketRecord & { calledAt: number; startedAt: number | null; service: CalledService | null }) | null;
  /** Tickets waiting in the groups this window serves. */
  waiting: number;
}

export interface CallView {
  ticketId: string;
  number: string;
  windowId: string;
  windowName: string;
  groupId: string;
  state: 'called' | 'serving' | CallOutcome;
  calledAt: number;
  recalls: number;
}

export interface DisplaySnapshot {
  hallName: string;
  day: string;
  at: number;
  groups: QueueLine[];
  current: CallView[];
  recent: CallView[];
  windows: { windowId: string; name: string; state: WindowStateName; current: string | null }[];
}

export type AnnouncementState = 'queued' | 'speaking' | 'done' | 'skipped';

export interface Announcement {
  id: string;
  number: string;
  windowId: string;
  /** What the display shows. */
  text: string;
  repeat: number;
  recall: boolean;
  state: AnnouncementState;
  /** Why an announcement was skipped (no engine, synthesis failed). */
  reason?: string;
  queuedAt: string;
  startedAt?: string;
  endedAt?: string;
  durationMs?: number;
  audio: boolean;
}

export interface AnnouncerState {
  engine: string | null;
  engineReason?: string;
  speaking: Announcement | null;
  queued: Announcement[];
  recent: Announcement[];
}

/** What the /display namespace sends on connecting and after every burst of changes. */
export interface DisplayState extends DisplaySnapshot {
  announcements: AnnouncerState;
}

/** The /display namespace: public, read-only, pushed by the platform. */
export interface DisplayEvents {
  'queue:state': (state: DisplayState) => void;
  'queue:call': (call: CallView & { recall: boolean }) => void;
  'queue:announcement': (announcement: Announcement) => void;
}
