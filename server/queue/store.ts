/**
 * The queue as the platform keeps it: tickets, calls, windows and number blocks in the
 * platform's database. Every operation is one transaction that re-reads what it decides
 * on and changes rows only where they still are what it read, so two platform nodes on
 * one PostgreSQL never call the same ticket twice; the choices themselves come from the
 * pure rules in engine.ts.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Db } from '../db/types.ts';
import type { HallConfig, QueueGroup, ServiceWindow } from '../../config/schema.ts';
import { findItem, groupsForItem } from '../../config/hall-query.ts';
import { hallDay, type Clock } from '../../protocol/clock.ts';
import {
  chooseNext,
  classOf,
  computeFigures,
  estimateWaitMinutes,
  peopleAhead,
  serviceMinutes,
  ticketNumber,
  type CallRecord,
  type DayFigures,
  type OpenInterval,
  type WaitingTicket,
} from './engine.ts';
import { QueueError, RaceError } from './errors.ts';
import { hallClosedAt, hallClosedMessage, type HallClosed } from '../../common/hall-calendar.ts';
import type { NumberBlock, QueueLine } from '../../protocol/queue.ts';
import type { CalledService, CallOutcome, CallView, DisplaySnapshot, PriorityReason, TicketClass, TicketRecord, TicketState, WindowStateName, WindowStatus } from '../../protocol/queue-views.ts';
import type { PriorityKind } from '../../protocol/priority.ts';

export const QUEUE_MIGRATIONS = [
  `CREATE TABLE queue_counters (
     day TEXT NOT NULL,
     group_id TEXT NOT NULL,
     next_seq INTEGER NOT NULL,
     PRIMARY KEY (day, group_id)
   );
   CREATE TABLE queue_blocks (
     id TEXT PRIMARY KEY,
     day TEXT NOT NULL,
     group_id TEXT NOT NULL,
     device_id TEXT NOT NULL,
     first_seq INTEGER NOT NULL,
     last_seq INTEGER NOT NULL,
     reserved_at BIGINT NOT NULL
   );
   CREATE INDEX queue_blocks_device ON queue_blocks (device_id, day, group_id);
   CREATE TABLE queue_tickets (
     id TEXT PRIMARY KEY,
     day TEXT NOT NULL,
     home_group TEXT NOT NULL,
     seq INTEGER NOT NULL,
     number TEXT NOT NULL,
     group_id TEXT NOT NULL,
     item_code TEXT,
     priority TEXT,
     class INTEGER NOT NULL,
     state TEXT NOT NULL,
     window_id TEXT,
     issued_at BIGINT NOT NULL,
     queued_at BIGINT NOT NULL,
     recalls INTEGER NOT NULL DEFAULT 0,
     transfers INTEGER NOT NULL DEFAULT 0,
     origin TEXT NOT NULL,
     device_id TEXT,
     masked_id TEXT,
     appointment_id TEXT,
     UNIQUE (day, home_group, seq)
   );
   CREATE INDEX queue_tickets_waiting ON queue_tickets (day, state, group_id);
   CREATE TABLE queue_calls (
     id TEXT PRIMARY KEY,
     ticket_id TEXT NOT NULL,
     day TEXT NOT NULL,
     window_id TEXT NOT NULL,
     group_id TEXT NOT NULL,
     class INTEGER NOT NULL,
     queued_at BIGINT NOT NULL,
     called_at BIGINT NOT NULL,
     started_at BIGINT,
     ended_at BIGINT,
     outcome TEXT,
     recalls INTEGER NOT NULL DEFAULT 0
   );
   CREATE INDEX queue_calls_day ON queue_calls (day, window_id);
   CREATE INDEX queue_calls_recent ON queue_calls (group_id, outcome, ended_at);
   CREATE INDEX queue_calls_ticket ON queue_calls (ticket_id);
   CREATE TABLE queue_windows (
     window_id TEXT PRIMARY KEY,
     state TEXT NOT NULL,
     staff_id TEXT,
     staff_name TEXT,
     streak INTEGER NOT NULL,
     current_ticket TEXT,
     updated_at BIGINT NOT NULL
   );
   CREATE TABLE queue_window_sessions (
     id TEXT PRIMARY KEY,
     window_id TEXT NOT NULL,
     day TEXT NOT NULL,
     started_at BIGINT NOT NULL,
     ended_at BIGINT
   );
   CREATE INDEX queue_window_sessions_day ON queue_window_sessions (day, window_id);
   CREATE TABLE queue_appointments (
     id TEXT PRIMARY KEY,
     item_code TEXT NOT NULL,
     group_id TEXT NOT NULL,
     date TEXT NOT NULL,
     slot_start TEXT NOT NULL,
     slot_end TEXT NOT NULL,
     id_key TEXT NOT NULL,
     masked_id TEXT,
     state TEXT NOT NULL,
     created_at BIGINT NOT NULL,
     ticket_id TEXT,
     device_id TEXT
   );
   CREATE INDEX queue_appointments_person ON queue_appointments (id_key, date);
   CREATE TABLE queue_slot_counts (
     item_code TEXT NOT NULL,
     date TEXT NOT NULL,
     slot_start TEXT NOT NULL,
     booked INTEGER NOT NULL,
     PRIMARY KEY (item_code, date, slot_start)
   );`,
  // Masked numbers beside an ID key narrowed its preimage (appointments.ts has the numbers).
  `UPDATE queue_appointments SET masked_id = NULL WHERE masked_id IS NOT NULL;
   UPDATE queue_tickets SET masked_id = NULL WHERE appointment_id IS NOT NULL AND masked_id IS NOT NULL;`,
  // One ticket and one appointment per citizen action: a device's repeated request id finds
  // the first answer, after a platform restart too.
  `ALTER TABLE queue_tickets ADD COLUMN request_id TEXT;
   CREATE UNIQUE INDEX queue_tickets_request ON queue_tickets (device_id, request_id);
   ALTER TABLE queue_appointments ADD COLUMN request_id TEXT;
   CREATE UNIQUE INDEX queue_appointments_request ON queue_appointments (device_id, request_id);`,
  // A booking code (预约码) lets a citizen check in on the keypad without the card; one per day.
  `ALTER TABLE queue_appointments ADD COLUMN booking_code TEXT;
   CREATE UNIQUE INDEX queue_appointments_code ON queue_appointments (date, booking_code);`,
  // A signed-in citizen's pseudonym, so the window files the case it opens under it (server/cases).
  `ALTER TABLE queue_tickets ADD COLUMN id_key TEXT;`,
];

export interface TicketStatus {
  ticket: TicketRecord;
  /** People before this ticket in its line (0 once called). */
  ahead: number;
  estimatedWaitMinutes: number;
  /** Windows that serve the ticket's group. */
  windows: string[];
}

/** What a change was, for the display, the announcer and anything else listening. */
export type QueueEvent =
  | { type: 'issued'; ticket: TicketRecord }
  | { type: 'called'; call: CallView; recall: boolean }
  | { type: 'updated'; windowId: string | null };

export interface IssueInput {
  groupId?: string;
  itemCode?: string;
  priority?: PriorityReason;
  maskedId?: string;
  /** The citizen's pseudonym; a ticket that has one keeps no masked number beside it (appointments.ts says why). */
  idKey?: string;
  deviceId?: string;
  appointmentId?: string;
  /** The device's id for the citizen's action: issued once per device, then found again. */
  requestId?: string;
  /** Refuse outside the hall's opening hours (a kiosk's ticket; not a check-in, which has its own window). */
  duringHours?: boolean;
}

/** The payload of a 'ticket' transaction a kiosk issued from its block while cut off. */
export interface OfflineTicket {
  ticketId: string;
  number: string;
  groupId: string;
  itemCode?: string;
  priority?: PriorityKind;
  offline: boolean;
  issuedAt: string;
  seq?: number;
  day?: string;
  blockId?: string;
  maskedId?: string;
  requestId?: string;
}

interface TicketRow {
  id: string;
  day: string;
  home_group: string;
  seq: number;
  number: string;
  group_id: string;
  item_code: string | null;
  priority: string | null;
  class: number;
  state: string;
  window_id: string | null;
  issued_at: number | string;
  queued_at: number | string;
  recalls: number;
  transfers: number;
  origin: string;
  device_id: string | null;
  masked_id: string | null;
  appointment_id: string | null;
}

interface CallRow {
  id: string;
  ticket_id: string;
  window_id: string;
  group_id: string;
  class: number;
  queued_at: number | string;
  called_at: number | string;
  started_at: number | string | null;
  ended_at: number | string | null;
  outcome: string | null;
  recalls: number;
}

interface WindowRow {
  window_id: string;
  state: string;
  staff_id: string | null;
  staff_name: string | null;
  streak: number;
  current_ticket: string | null;
}

const num = (v: number | string | null): number | null => (v === null || v === undefined ? null : Number(v));

function toTicket(r: TicketRow): TicketRecord {
  return {
    id: r.id,
    day: r.day,
    number: r.number,
    seq: Number(r.seq),
    homeGroupId: r.home_group,
    groupId: r.group_id,
    itemCode: r.item_code,
    priority: (r.priority as PriorityReason | null) ?? null,
    cls: Number(r.class) as TicketClass,
    state: r.state as TicketState,
    windowId: r.window_id,
    issuedAt: Number(r.issued_at),
    queuedAt: Number(r.queued_at),
    recalls: Number(r.recalls),
    transfers: Number(r.transfers),
    origin: r.origin as 'online' | 'offline',
    deviceId: r.device_id,
    maskedId: r.masked_id,
    appointmentId: r.appointment_id,
  };
}

function toCallRecord(r: CallRow): CallRecord {
  return {
    ticketId: r.ticket_id,
    windowId: r.window_id,
    groupId: r.group_id,
    queuedAt: Number(r.queued_at),
    calledAt: Number(r.called_at),
    startedAt: num(r.started_at),
    endedAt: num(r.ended_at),
    outcome: r.outcome as CallOutcome | null,
  };
}

const RECENT_SERVICE_SAMPLES = 50;
/** Offline blocks are numbered from here (A5001…); the platform's own tickets count up from 1. */
export const BLOCK_BASE = 5001;
/** Ticket numbers have at most four digits (A9999). */
export const MAX_SEQ = 9999;
const RACE_RETRIES = 5;

export interface QueueStoreOptions {
  db: Db;
  config: () => HallConfig;
  clock: Clock;
}

export class QueueStore extends EventEmitter {
  readonly db: Db;
  readonly clock: Clock;
  private readonly configOf: () => HallConfig;

  constructor(opts: QueueStoreOptions) {
    super();
    this.db = opts.db;
    this.clock = opts.clock;
    this.configOf = opts.config;
  }

  async migrate(): Promise<void> {
    await this.db.migrate('queue', QUEUE_MIGRATIONS);
  }

  get config(): HallConfig {
    return this.configOf();
  }

  today(): string {
    return hallDay(this.clock.now());
  }

  group(groupId: string): QueueGroup {
    const g = this.config.hall.groups.find((x) => x.id === groupId);
    if (!g) throw new QueueError('not-found', `no queue group ${groupId}`);
    return g;
  }

  window(windowId: string): ServiceWindow {
    const w = this.config.hall.windows.find((x) => x.id === windowId);
    if (!w) throw new QueueError('not-found', `no window ${windowId}`);
    return w;
  }

  windowsServing(groupId: string): ServiceWindow[] {
    return this.config.hall.windows.filter((w) => w.groups.includes(groupId));
  }

  /** The group a kiosk request means: named directly, or the first group serving the item. */
  resolveGroup(input: { groupId?: string; itemCode?: string }): QueueGroup {
    if (input.groupId) return this.group(input.groupId);
    if (!input.itemCode) throw new QueueError('bad-request', 'name a service item or a queue group');
    const found = findItem(this.config, input.itemCode);
    if (!found) throw new QueueError('not-found', `no service item ${input.itemCode}`);
    const groups = groupsForItem(this.config, found.item);
    if (!groups.length) throw new QueueError('not-found', `no window of this hall serves ${input.itemCode}`);
    return groups[0];
  }

  private emitEvent(ev: QueueEvent): void {
    this.emit('event', ev);
  }

  onEvent(listener: (ev: QueueEvent) => void): () => void {
    this.on('event', listener);
    return () => this.off('event', listener);
  }

  /** Runs an operation in a transaction, again when a conditional update lost a race. */
  private async atomically<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.tx(fn);
      } catch (err) {
        if (!(err instanceof RaceError) || attempt >= RACE_RETRIES) throw err;
      }
    }
  }

  // ---------------------------------------------------------------- numbers

  /** Takes `n` consecutive numbers of a counter (a group's day sequence); returns the first. */
  private async takeSeq(db: Db, day: string, counter: string, n: number, start = 1): Promise<number> {
    for (;;) {
      const upd = await db.run('UPDATE queue_counters SET next_seq = next_seq + ? WHERE day = ? AND group_id = ?', [n, day, counter]);
      if (upd.changes === 0) {
        const ins = await db.run('INSERT INTO queue_counters (day, group_id, next_seq) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [day, counter, start + n]);
        if (ins.changes === 0) continue;
        return start;
      }
      const rows = await db.query<{ next_seq: number }>('SELECT next_seq FROM queue_counters WHERE day = ? AND group_id = ?', [day, counter]);
      return Number(rows[0].next_seq) - n;
    }
  }

  private async peekSeq(db: Db, day: string, counter: string, start: number): Promise<number> {
    const rows = await db.query<{ next_seq: number }>('SELECT next_seq FROM queue_counters WHERE day = ? AND group_id = ?', [day, counter]);
    return rows[0] ? Number(rows[0].next_seq) : start;
  }

  /** The next number the platform itself issues in a group, stepping over reserved blocks. */
  private async nextOnlineSeq(db: Db, day: string, groupId: string): Promise<number> {
    for (;;) {
      const seq = await this.takeSeq(db, day, groupId, 1);
      const inBlock = await db.query<{ last_seq: number }>('SELECT last_seq FROM queue_blocks WHERE day = ? AND group_id = ? AND first_seq <= ? AND last_seq >= ?', [day, groupId, seq, seq]);
      if (!inBlock.length) return seq;
      await db.run('UPDATE queue_counters SET next_seq = ? WHERE day = ? AND group_id = ? AND next_seq <= ?', [Number(inBlock[0].last_seq) + 1, day, groupId, Number(inBlock[0].last_seq)]);
    }
  }

  /**
   * Reserves the next block of a group's numbers for one kiosk. Blocks come from their
   * own range (BLOCK_BASE up) so the numbers the platform issues stay A001, A002, …;
   * each side steps over the other's numbers, so no number can be issued twice.
   */
  async reserveBlock(deviceId: string, groupId: string, size = this.config.queue.offlineBlockSize, limits?: { unusedPerGroup: number; perGroupPerDay: number }): Promise<NumberBlock> {
    const group = this.group(groupId);
    const day = this.today();
    return this.atomically(async (db) => {
      // Lock the group's own counter first (both operations do, in this order) so a
      // concurrent issue on another node cannot slip a number into the new block.
      await this.takeSeq(db, day, groupId, 0);
      if (limits) await this.checkBlockLimits(db, deviceId, groupId, day, limits);
      const online = await this.peekSeq(db, day, groupId, 1);
      const blocks = await this.peekSeq(db, day, `${groupId}#blocks`, BLOCK_BASE);
      const first = Math.max(online, blocks);
      if (first + size - 1 > MAX_SEQ) throw new QueueError('full', `group ${groupId} has no numbers left to reserve today`);
      await this.takeSeq(db, day, `${groupId}#blocks`, 0, BLOCK_BASE);
      await db.run('UPDATE queue_counters SET next_seq = ? WHERE day = ? AND group_id = ?', [first + size, day, `${groupId}#blocks`]);
      const block: NumberBlock = { blockId: randomUUID(), day, groupId, prefix: group.prefix, firstSeq: first, lastSeq: first + size - 1 };
      await db.run('INSERT INTO queue_blocks (id, day, group_id, device_id, first_seq, last_seq, reserved_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
        block.blockId,
        day,
        groupId,
        deviceId,
        block.firstSeq,
        block.lastSeq,
        this.clock.now(),
      ]);
      return block;
    });
  }

  /** Counted under the group's counter lock, so two requests cannot both pass. */
  private async checkBlockLimits(db: Db, deviceId: string, groupId: string, day: string, limits: { unusedPerGroup: number; perGroupPerDay: number }): Promise<void> {
    const held = await db.query<{ id: string; used: number | string }>(
      `SELECT b.id, (SELECT COUNT(*) FROM queue_tickets t WHERE t.day = b.day AND t.home_group = b.group_id AND t.seq BETWEEN b.first_seq AND b.last_seq) AS used
         FROM queue_blocks b WHERE b.device_id = ? AND b.day = ? AND b.group_id = ?`,
      [deviceId, day, groupId],
    );
    if (held.length >= limits.perGroupPerDay) throw new QueueError('conflict', `this terminal has had its ${limits.perGroupPerDay} blocks of group ${groupId} for today`);
    const unused = held.filter((b) => Number(b.used) === 0).length;
    if (unused >= limits.unusedPerGroup) throw new QueueError('conflict', `this terminal already holds ${unused} unused blocks of group ${groupId}`);
  }

  // ---------------------------------------------------------------- issuing

  async issue(input: IssueInput, within?: Db): Promise<TicketStatus> {
    const group = this.resolveGroup(input);
    const requestId = input.deviceId && input.requestId ? input.requestId : null;
    let repeated = false;
    const run = async (db: Db) => {
      if (requestId) {
        const first = await this.byRequest(db, input.deviceId!, requestId);
        if (first) {
          repeated = true;
          return this.statusIn(db, first);
        }
      }
      // After the lookup: a repeat of a ticket issued just before closing still finds it.
      const closed = input.duringHours ? this.closedNow() : null;
      if (closed) throw new QueueError('closed', hallClosedMessage(closed));
      const day = this.today();
      const now = this.clock.now();
      const priority = input.priority ?? null;
      for (;;) {
        const seq = await this.nextOnlineSeq(db, day, group.id);
        if (seq > MAX_SEQ) throw new QueueError('full', `group ${group.id} has issued every number it can today`);
        const id = randomUUID();
        const ins = await db.run(
          `INSERT INTO queue_tickets (id, day, home_group, seq, number, group_id, item_code, priority, class, state, issued_at, queued_at, origin, device_id, masked_id, appointment_id, request_id, id_key)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'waiting', ?, ?, 'online', ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
          [id, day, group.id, seq, ticketNumber(group.prefix, seq), group.id, input.itemCode ?? null, priority, classOf(priority), now, now, input.deviceId ?? null, input.idKey ? null : (input.maskedId ?? null), input.appointmentId ?? null, requestId, input.idKey ?? null],
        );
        if (ins.changes === 0) {
          // Another node issued this request meanwhile: start again, and find its ticket.
          if (requestId && (await this.byRequest(db, input.deviceId!, requestId))) throw new RaceError('request issued elsewhere');
          // A number taken by an offline ticket the platform did not know of: take the next.
          continue;
        }
        return this.statusIn(db, id);
      }
    };
    const status = within ? await run(within) : await this.atomically(run);
    if (!repeated) this.emitEvent({ type: 'issued', ticket: status.ticket });
    return status;
  }

  private async byRequest(db: Db, deviceId: string, requestId: string): Promise<string | null> {
    const rows = await db.query<{ id: string }>('SELECT id FROM queue_tickets WHERE device_id = ? AND request_id = ?', [deviceId, requestId]);
    return rows[0]?.id ?? null;
  }

  /** Why a kiosk gets no ticket now (the hall is closed), or null while it is open. */
  closedNow(): HallClosed | null {
    return hallClosedAt(this.config, this.clock.now());
  }

  /**
   * Records a ticket a kiosk issued from its block while cut off. Runs inside the
   * transaction that applies the kiosk's 'ticket' transaction, so it happens exactly once;
   * the ticket joins its line at the time it was issued, as the visitor holding it expects.
   */
  async importOffline(db: Db, deviceId: string, t: OfflineTicket): Promise<'recorded' | 'duplicate' | 'collision'> {
    const group = this.config.hall.groups.find((g) => g.id === t.groupId);
    if (!group) throw new QueueError('not-found', `no queue group ${t.groupId}`);
    const issuedAt = Date.parse(t.issuedAt);
    const day = t.day ?? hallDay(issuedAt);
    const seq = t.seq ?? Number(t.number.slice(group.prefix.length));
    if (!Number.isInteger(seq) || ticketNumber(group.prefix, seq) !== t.number) throw new QueueError('bad-request', `ticket number ${t.number} does not belong to group ${t.groupId}`);
    const existing = await db.query<{ id: string }>('SELECT id FROM queue_tickets WHERE id = ?', [t.ticketId]);
    if (existing.length) return 'duplicate';
    if (t.requestId) await this.supersede(db, deviceId, t.requestId);
    const ins = await db.run(
      `INSERT INTO queue_tickets (id, day, home_group, seq, number, group_id, item_code, priority, class, state, issued_at, queued_at, origin, device_id, masked_id, request_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'offline', ?, ?, ?) ON CONFLICT DO NOTHING`,
      [
        t.ticketId,
        day,
        group.id,
        seq,
        t.number,
        group.id,
        t.itemCode ?? null,
        t.priority ?? null,
        classOf(t.priority),
        // A ticket of an earlier day is recorded for the figures but no longer waits.
        day === this.today() ? 'waiting' : 'cancelled',
        issuedAt,
        issuedAt,
        deviceId,
        t.maskedId ?? null,
        t.requestId ?? null,
      ],
    );
    if (ins.changes === 0) return 'collision';
    const ticket = toTicket((await db.query<TicketRow>('SELECT * FROM queue_tickets WHERE id = ?', [t.ticketId]))[0]);
    this.emitEvent({ type: 'issued', ticket });
    return 'recorded';
  }

  /**
   * The platform issued a ticket for this request whose answer never reached the kiosk,
   * which then issued from its block: the citizen holds the offline number, so the
   * unseen online ticket leaves the line (if nobody called it yet) and the request.
   */
  private async supersede(db: Db, deviceId: string, requestId: string): Promise<void> {
    const unseen = await this.byRequest(db, deviceId, requestId);
    if (!unseen) return;
    await db.run("UPDATE queue_tickets SET state = CASE WHEN state = 'waiting' THEN 'cancelled' ELSE state END, request_id = NULL WHERE id = ?", [unseen]);
  }

  /** Whether a number lies in a block reserved by this device (for reconciling offline tickets). */
  async inDeviceBlock(db: Db, deviceId: string, day: string, groupId: string, seq: number): Promise<boolean> {
    const rows = await db.query('SELECT id FROM queue_blocks WHERE device_id = ? AND day = ? AND group_id = ? AND first_seq <= ? AND last_seq >= ?', [deviceId, day, groupId, seq, seq]);
    return rows.length > 0;
  }

  // ---------------------------------------------------------------- reading

  private async waitingIn(db: Db, day: string, groups?: readonly string[]): Promise<WaitingTicket[]> {
    const rows = groups
      ? groups.length
        ? await db.query<TicketRow>(`SELECT id, group_id, class, queued_at, seq FROM queue_tickets WHERE day = ? AND state = 'waiting' AND group_id IN (${groups.map(() => '?').join(', ')})`, [day, ...groups])
        : []
      : await db.query<TicketRow>("SELECT id, group_id, class, queued_at, seq FROM queue_tickets WHERE day = ? AND state = 'waiting'", [day]);
    return rows.map((r) => ({ id: r.id, groupId: r.group_id, cls: Number(r.class) as TicketClass, queuedAt: Number(r.queued_at), seq: Number(r.seq) }));
  }

  /** Recent service times (call to end) of a group's completed tickets, any day. */
  async perVisitorMinutes(groupId: string, db: Db = this.db): Promise<number> {
    const rows = await db.query<{ called_at: number | string; ended_at: number | string }>(
      "SELECT called_at, ended_at FROM queue_calls WHERE group_id = ? AND outcome = 'done' ORDER BY ended_at DESC LIMIT ?",
      [groupId, RECENT_SERVICE_SAMPLES],
    );
    return serviceMinutes(
      rows.map((r) => Number(r.ended_at) - Number(r.called_at)),
      this.group(groupId).defaultServiceMinutes,
    );
  }

  /** Windows open for a group now; the configured ones when none is open yet. */
  private async serversFor(db: Db, groupId: string): Promise<number> {
    const serving = this.windowsServing(groupId).map((w) => w.id);
    if (!serving.length) return 1;
    const rows = await db.query<{ n: number | string }>(
      `SELECT COUNT(*) AS n FROM queue_windows WHERE state = 'open' AND window_id IN (${serving.map(() => '?').join(', ')})`,
      serving,
    );
    return Number(rows[0]?.n ?? 0) || serving.length;
  }

  async ticket(id: string, db: Db = this.db): Promise<TicketRecord | null> {
    const rows = await db.query<TicketRow>('SELECT * FROM queue_tickets WHERE id = ?', [id]);
    return rows[0] ? toTicket(rows[0]) : null;
  }

  private async statusIn(db: Db, id: string): Promise<TicketStatus> {
    const ticket = await this.ticket(id, db);
    if (!ticket) throw new QueueError('not-found', 'no such ticket');
    const windows = this.windowsServing(ticket.groupId).map((w) => w.id);
    if (ticket.state !== 'waiting') return { ticket, ahead: 0, estimatedWaitMinutes: 0, windows };
    const waiting = await this.waitingIn(db, ticket.day, [ticket.groupId]);
    const ahead = peopleAhead(waiting, { ...ticket });
    const per = await this.perVisitorMinutes(ticket.groupId, db);
    const servers = await this.serversFor(db, ticket.groupId);
    return { ticket, ahead, estimatedWaitMinutes: estimateWaitMinutes(ahead, per, servers), windows };
  }

  async status(id: string): Promise<TicketStatus> {
    return this.statusIn(this.db, id);
  }

  async tickets(day = this.today()): Promise<TicketRecord[]> {
    return (await this.db.query<TicketRow>('SELECT * FROM queue_tickets WHERE day = ? ORDER BY issued_at, id', [day])).map(toTicket);
  }

  async calls(day = this.today()): Promise<(CallRecord & { id: string; cls: TicketClass; recalls: number })[]> {
    const rows = await this.db.query<CallRow>('SELECT * FROM queue_calls WHERE day = ? ORDER BY called_at, id', [day]);
    return rows.map((r) => ({ ...toCallRecord(r), id: r.id, cls: Number(r.class) as TicketClass, recalls: Number(r.recalls) }));
  }

  // ---------------------------------------------------------------- windows

  private async windowRow(db: Db, windowId: string): Promise<WindowRow> {
    this.window(windowId);
    await db.run("INSERT INTO queue_windows (window_id, state, streak, updated_at) VALUES (?, 'closed', ?, ?) ON CONFLICT DO NOTHING", [
      windowId,
      this.config.queue.priorityRatio,
      this.clock.now(),
    ]);
    return (await db.query<WindowRow>('SELECT * FROM queue_windows WHERE window_id = ?', [windowId]))[0];
  }

  private async currentCall(db: Db, ticketId: string): Promise<CallRow> {
    const rows = await db.query<CallRow>('SELECT * FROM queue_calls WHERE ticket_id = ? AND ended_at IS NULL', [ticketId]);
    if (!rows[0]) throw new QueueError('conflict', 'the ticket at this window has no open call');
    return rows[0];
  }

  private callView(ticket: TicketRecord, call: CallRow, state: CallView['state']): CallView {
    return {
      ticketId: ticket.id,
      number: ticket.number,
      windowId: call.window_id,
      windowName: this.config.hall.windows.find((w) => w.id === call.window_id)?.name ?? call.window_id,
      groupId: call.group_id,
      state,
      calledAt: Number(call.called_at),
      recalls: Number(call.recalls),
    };
  }

  private calledService(code: string | null): CalledService | null {
    const item = code ? findItem(this.config, code)?.item : undefined;
    return code && item ? { code, name: item.name, nameEn: item.nameEn ?? null } : null;
  }

  async windowStatus(windowId: string, db: Db = this.db): Promise<WindowStatus> {
    const w = this.window(windowId);
    const row = await this.windowRow(db, windowId);
    let current: WindowStatus['current'] = null;
    if (row.current_ticket) {
      const t = await this.ticket(row.current_ticket, db);
      const calls = await db.query<CallRow>('SELECT * FROM queue_calls WHERE ticket_id = ? AND ended_at IS NULL', [row.current_ticket]);
      if (t && calls[0]) current = { ...t, calledAt: Number(calls[0].called_at), startedAt: num(calls[0].started_at), service: this.calledService(t.itemCode) };
    }
    const waiting = (await this.waitingIn(db, this.today(), w.groups)).length;
    return { windowId, name: w.name, groups: w.groups, state: row.state as WindowStateName, staffName: row.staff_name, current, waiting };
  }

  private async openSession(db: Db, windowId: string): Promise<void> {
    const open = await db.query('SELECT id FROM queue_window_sessions WHERE window_id = ? AND ended_at IS NULL', [windowId]);
    if (open.length) return;
    const now = this.clock.now();
    await db.run('INSERT INTO queue_window_sessions (id, window_id, day, started_at) VALUES (?, ?, ?, ?)', [randomUUID(), windowId, hallDay(now), now]);
  }

  private async endSession(db: Db, windowId: string): Promise<void> {
    await db.run('UPDATE queue_window_sessions SET ended_at = ? WHERE window_id = ? AND ended_at IS NULL', [this.clock.now(), windowId]);
  }

  private async setWindow(db: Db, windowId: string, fields: Partial<Pick<WindowRow, 'state' | 'staff_id' | 'staff_name' | 'streak' | 'current_ticket'>>, expectCurrent?: string | null): Promise<void> {
    const keys = Object.keys(fields) as (keyof typeof fields)[];
    const sets = [...keys.map((k) => `${k} = ?`), 'updated_at = ?'].join(', ');
    const params: unknown[] = [...keys.map((k) => fields[k]), this.clock.now(), windowId];
    let where = 'window_id = ?';
    if (expectCurrent !== undefined) {
      where += expectCurrent === null ? ' AND current_ticket IS NULL' : ' AND current_ticket = ?';
      if (expectCurrent !== null) params.push(expectCurrent);
    }
    const res = await db.run(`UPDATE queue_windows SET ${sets} WHERE ${where}`, params);
    if (res.changes !== 1) throw new RaceError(`window ${windowId} changed meanwhile`);
  }

  /** A staff member takes the window: it opens for calls. */
  async openWindow(windowId: string, staff: { id: string; name: string }): Promise<WindowStatus> {
    const status = await this.atomically(async (db) => {
      const row = await this.windowRow(db, windowId);
      await this.setWindow(db, windowId, { state: row.state === 'paused' ? 'paused' : 'open', staff_id: staff.id, staff_name: staff.name });
      if (row.state !== 'paused') await this.openSession(db, windowId);
      return this.windowStatus(windowId, db);
    });
    this.emitEvent({ type: 'updated', windowId });
    return status;
  }

  async closeWindow(windowId: string): Promise<WindowStatus> {
    return this.windowOp(windowId, async (db, row) => {
      if (row.current_ticket) throw new QueueError('conflict', 'finish, transfer or mark the current ticket before closing the window');
      await this.setWindow(db, windowId, { state: 'closed', staff_id: null, staff_name: null }, null);
      await this.endSession(db, windowId);
    });
  }

  async pause(windowId: string): Promise<WindowStatus> {
    return this.windowOp(windowId, async (db, row) => {
      if (row.state !== 'open') throw new QueueError('conflict', `the window is ${row.state}`);
      if (row.current_ticket) throw new QueueError('conflict', 'finish the current ticket before pausing');
      await this.setWindow(db, windowId, { state: 'paused' }, null);
      await this.endSession(db, windowId);
    });
  }

  async resume(windowId: string): Promise<WindowStatus> {
    return this.windowOp(windowId, async (db, row) => {
      if (row.state !== 'paused') throw new QueueError('conflict', `the window is ${row.state}`);
      await this.setWindow(db, windowId, { state: 'open' });
      await this.openSession(db, windowId);
    });
  }

  private async windowOp(windowId: string, fn: (db: Db, row: WindowRow) => Promise<void>): Promise<WindowStatus> {
    const status = await this.atomically(async (db) => {
      await fn(db, await this.windowRow(db, windowId));
      return this.windowStatus(windowId, db);
    });
    this.emitEvent({ type: 'updated', windowId });
    return status;
  }

  /** The window calls its next visitor; null when nobody waits for it. */
  async callNext(windowId: string): Promise<CallView | null> {
    const w = this.window(windowId);
    const call = await this.atomically(async (db) => {
      const row = await this.windowRow(db, windowId);
      if (row.state !== 'open') throw new QueueError('closed', `the window is ${row.state}`);
      if (row.current_ticket) throw new QueueError('conflict', 'the window is still serving a ticket');
      const day = this.today();
      const choice = chooseNext(await this.waitingIn(db, day, w.groups), w.groups, Number(row.streak), this.config.queue.priorityRatio);
      if (!choice) return null;
      const now = this.clock.now();
      const claimed = await db.run("UPDATE queue_tickets SET state = 'called', window_id = ?, recalls = 0 WHERE id = ? AND state = 'waiting'", [windowId, choice.ticket.id]);
      if (claimed.changes !== 1) throw new RaceError('ticket called elsewhere');
      await this.setWindow(db, windowId, { current_ticket: choice.ticket.id, streak: choice.streak }, null);
      const callId = randomUUID();
      await db.run('INSERT INTO queue_calls (id, ticket_id, day, window_id, group_id, class, queued_at, called_at, recalls) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)', [
        callId,
        choice.ticket.id,
        day,
        windowId,
        choice.ticket.groupId,
        choice.ticket.cls,
        choice.ticket.queuedAt,
        now,
      ]);
      const ticket = (await this.ticket(choice.ticket.id, db))!;
      return this.callView(ticket, (await db.query<CallRow>('SELECT * FROM queue_calls WHERE id = ?', [callId]))[0], 'called');
    });
    if (call) this.emitEvent({ type: 'called', call, recall: false });
    this.emitEvent({ type: 'updated', windowId });
    return call;
  }

  private async current(db: Db, windowId: string, allowed: TicketState[]): Promise<{ row: WindowRow; ticket: TicketRecord; call: CallRow }> {
    const row = await this.windowRow(db, windowId);
    if (!row.current_ticket) throw new QueueError('conflict', 'no ticket at this window; call the next one first');
    const ticket = (await this.ticket(row.current_ticket, db))!;
    if (!allowed.includes(ticket.state)) throw new QueueError('conflict', `ticket ${ticket.number} is ${ticket.state}`);
    return { row, ticket, call: await this.currentCall(db, ticket.id) };
  }

  async recall(windowId: string): Promise<CallView> {
    const call = await this.atomically(async (db) => {
      const { ticket, call } = await this.current(db, windowId, ['called']);
      await db.run('UPDATE queue_tickets SET recalls = recalls + 1 WHERE id = ?', [ticket.id]);
      await db.run('UPDATE queue_calls SET recalls = recalls + 1 WHERE id = ?', [call.id]);
      return this.callView(ticket, { ...call, recalls: Number(call.recalls) + 1 }, 'called');
    });
    this.emitEvent({ type: 'called', call, recall: true });
    this.emitEvent({ type: 'updated', windowId });
    return call;
  }

  /** The visitor did not come after the configured number of recalls. */
  async noShow(windowId: string): Promise<WindowStatus> {
    return this.windowOp(windowId, async (db) => {
      const { ticket, call } = await this.current(db, windowId, ['called']);
      const needed = this.config.queue.recallsBeforeNoShow;
      if (Number(call.recalls) < needed) throw new QueueError('conflict', `recall ${ticket.number} ${needed - Number(call.recalls)} more time(s) before marking a no-show`);
      await this.endCall(db, windowId, ticket, call, 'no-show', 'no-show');
    });
  }

  async start(windowId: string): Promise<WindowStatus> {
    return this.windowOp(windowId, async (db) => {
      const { ticket, call } = await this.current(db, windowId, ['called']);
      await db.run("UPDATE queue_tickets SET state = 'serving' WHERE id = ? AND state = 'called'", [ticket.id]);
      await db.run('UPDATE queue_calls SET started_at = ? WHERE id = ?', [this.clock.now(), call.id]);
    });
  }

  async finish(windowId: string): Promise<WindowStatus> {
    return this.windowOp(windowId, async (db) => {
      const { ticket, call } = await this.current(db, windowId, ['serving']);
      await this.endCall(db, windowId, ticket, call, 'done', 'done');
    });
  }

  /**
   * Sends the visitor on to another group's windows. They go to the head of that line
   * (class 2): they have already waited once.
   */
  async transfer(windowId: string, groupId: string): Promise<WindowStatus> {
    this.group(groupId);
    return this.windowOp(windowId, async (db) => {
      const { ticket, call } = await this.current(db, windowId, ['called', 'serving']);
      if (groupId === ticket.groupId) throw new QueueError('bad-request', 'transfer to a different group');
      const now = this.clock.now();
      await db.run('UPDATE queue_calls SET ended_at = ?, outcome = ? WHERE id = ?', [now, 'transfer', call.id]);
      const res = await db.run(
        "UPDATE queue_tickets SET state = 'waiting', group_id = ?, class = 2, window_id = NULL, queued_at = ?, recalls = 0, transfers = transfers + 1 WHERE id = ? AND state = ?",
        [groupId, now, ticket.id, ticket.state],
      );
      if (res.changes !== 1) throw new RaceError('ticket changed meanwhile');
      await this.setWindow(db, windowId, { current_ticket: null }, ticket.id);
    });
  }

  private async endCall(db: Db, windowId: string, ticket: TicketRecord, call: CallRow, outcome: CallOutcome, state: TicketState): Promise<void> {
    const res = await db.run('UPDATE queue_tickets SET state = ? WHERE id = ? AND state = ?', [state, ticket.id, ticket.state]);
    if (res.changes !== 1) throw new RaceError('ticket changed meanwhile');
    await db.run('UPDATE queue_calls SET ended_at = ?, outcome = ? WHERE id = ?', [this.clock.now(), outcome, call.id]);
    await this.setWindow(db, windowId, { current_ticket: null }, ticket.id);
  }

  // ---------------------------------------------------------------- the hall at a glance

  async lines(db: Db = this.db): Promise<QueueLine[]> {
    const counts = await db.query<{ group_id: string; class: number; n: number | string }>(
      "SELECT group_id, class, COUNT(*) AS n FROM queue_tickets WHERE day = ? AND state = 'waiting' GROUP BY group_id, class",
      [this.today()],
    );
    const out: QueueLine[] = [];
    for (const g of this.config.hall.groups) {
      const mine = counts.filter((c) => c.group_id === g.id);
      const waiting = mine.reduce((s, c) => s + Number(c.n), 0);
      const per = await this.perVisitorMinutes(g.id, db);
      const servers = await this.serversFor(db, g.id);
      out.push({
        groupId: g.id,
        prefix: g.prefix,
        name: g.name,
        nameEn: g.nameEn,
        waiting,
        priorityWaiting: mine.filter((c) => Number(c.class) > 0).reduce((s, c) => s + Number(c.n), 0),
        estimatedWaitMinutes: estimateWaitMinutes(waiting, per, servers),
        perVisitorMinutes: Math.round(per * 10) / 10,
      });
    }
    return out;
  }

  /** What the call display shows: calls in progress, the last calls, each line's length. */
  async snapshot(recent = 12): Promise<DisplaySnapshot> {
    const day = this.today();
    const db = this.db;
    const tickets = new Map<string, TicketRecord>();
    const open = await db.query<CallRow>('SELECT * FROM queue_calls WHERE day = ? AND ended_at IS NULL ORDER BY called_at DESC', [day]);
    const last = await db.query<CallRow>('SELECT * FROM queue_calls WHERE day = ? ORDER BY called_at DESC LIMIT ?', [day, recent]);
    for (const c of [...open, ...last]) {
      if (!tickets.has(c.ticket_id)) {
        const t = await this.ticket(c.ticket_id, db);
        if (t) tickets.set(t.id, t);
      }
    }
    const view = (c: CallRow): CallView | null => {
      const t = tickets.get(c.ticket_id);
      if (!t) return null;
      const state: CallView['state'] = c.outcome ? (c.outcome as CallOutcome) : c.started_at !== null ? 'serving' : 'called';
      return this.callView(t, c, state);
    };
    const windows = await db.query<WindowRow>('SELECT * FROM queue_windows');
    return {
      hallName: this.config.hall.name,
      day,
      at: this.clock.now(),
      groups: await this.lines(db),
      current: open.map(view).filter((v): v is CallView => !!v),
      recent: last.map(view).filter((v): v is CallView => !!v),
      windows: this.config.hall.windows.map((w) => {
        const r = windows.find((x) => x.window_id === w.id);
        return { windowId: w.id, name: w.name, state: (r?.state as WindowStateName) ?? 'closed', current: r?.current_ticket ? (tickets.get(r.current_ticket)?.number ?? null) : null };
      }),
    };
  }

  async figures(day = this.today()): Promise<DayFigures & { day: string; issued: { groupId: string; issued: number; offline: number }[] }> {
    const calls = await this.calls(day);
    const sessions = await this.db.query<{ window_id: string; started_at: number | string; ended_at: number | string | null }>(
      'SELECT window_id, started_at, ended_at FROM queue_window_sessions WHERE day = ?',
      [day],
    );
    const open: OpenInterval[] = sessions.map((s) => ({ windowId: s.window_id, start: Number(s.started_at), end: num(s.ended_at) }));
    const counts = await this.db.query<{ home_group: string; origin: string; n: number | string }>(
      'SELECT home_group, origin, COUNT(*) AS n FROM queue_tickets WHERE day = ? GROUP BY home_group, origin',
      [day],
    );
    const groups = this.config.hall.groups.map((g) => g.id);
    const figures = computeFigures(calls, open, this.config.hall.windows.map((w) => w.id), groups, this.clock.now());
    return {
      day,
      ...figures,
      issued: groups.map((groupId) => {
        const mine = counts.filter((c) => c.home_group === groupId);
        return {
          groupId,
          issued: mine.reduce((s, c) => s + Number(c.n), 0),
          offline: mine.filter((c) => c.origin === 'offline').reduce((s, c) => s + Number(c.n), 0),
        };
      }),
    };
  }
}
