/**
 * The cases a window accepts (办件), in the platform's database: one row per case and one
 * per state it passed through. A case is filed under the citizen's pseudonym when the
 * ticket it was opened for carried one, never under the number or the name. Every change
 * carries the terminal's request id, so a retried request finds what the first one did.
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { Db } from '../db/types.ts';
import type { HallConfig, Material, TimeLimit } from '../../config/schema.ts';
import { findItem } from '../../config/hall-query.ts';
import { hallDay } from '../../protocol/clock.ts';
import {
  CASE_STATES,
  OPEN_CASE_STATES,
  transitionRefusal,
  type CaseEventView,
  type CaseFiguresAnswer,
  type CaseState,
  type CaseView,
  type MoveCaseBody,
  type OpenCaseBody,
} from '../../protocol/cases.ts';
import { dueOf, dueText, isPastDue } from './time-limit.ts';

export const CASE_MIGRATIONS = [
  `CREATE TABLE cases (
     id TEXT PRIMARY KEY,
     number TEXT NOT NULL UNIQUE,
     lookup_code TEXT NOT NULL UNIQUE,
     item_code TEXT NOT NULL,
     id_key TEXT,
     ticket_id TEXT,
     window_id TEXT NOT NULL,
     staff_id TEXT NOT NULL,
     state TEXT NOT NULL,
     accepted_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     request_id TEXT NOT NULL UNIQUE
   );
   CREATE INDEX cases_person ON cases (id_key);
   CREATE INDEX cases_window ON cases (window_id, accepted_at);
   CREATE INDEX cases_state ON cases (state);
   CREATE TABLE case_events (
     case_id TEXT NOT NULL,
     seq INTEGER NOT NULL,
     state TEXT NOT NULL,
     at TEXT NOT NULL,
     missing TEXT,
     staff_id TEXT NOT NULL,
     window_id TEXT NOT NULL,
     request_id TEXT NOT NULL,
     PRIMARY KEY (case_id, seq)
   );
   CREATE UNIQUE INDEX case_events_request ON case_events (case_id, request_id);`,
];

export type CaseErrorCode = 'bad-request' | 'not-found' | 'conflict';

export class CaseError extends Error {
  override readonly name = 'CaseError';
  constructor(
    readonly code: CaseErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The row changed between reading and updating it. */
class RaceLost extends Error {}

interface CaseRow {
  id: string;
  number: string;
  lookup_code: string;
  item_code: string;
  id_key: string | null;
  ticket_id: string | null;
  window_id: string;
  staff_id: string;
  state: string;
  accepted_at: string;
  updated_at: string;
  request_id: string;
}

interface EventRow {
  case_id: string;
  seq: number;
  state: string;
  at: string;
  missing: string | null;
}

export interface Clerk {
  id: string;
}

/** Letters and digits a citizen cannot misread off paper (no 0/O, 1/I/L). */
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

function lookupCode(): string {
  let s = '';
  for (let i = 0; i < 10; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return s;
}

/** The item's (or sub-case's) materials and promised limit; the legal limit stands in when no promise is made. */
function itemFacts(config: HallConfig, code: string): { name: string; nameEn: string | null; materials: Material[]; limit: TimeLimit | null } | null {
  const found = findItem(config, code);
  if (!found) return null;
  const sub = found.caseCode ? found.item.cases.find((c) => c.code === found.caseCode) : undefined;
  const materials = sub?.materials.length ? sub.materials : found.item.materials;
  const limit = sub?.promisedLimit ?? found.item.promisedLimit ?? sub?.legalLimit ?? found.item.legalLimit;
  return { name: sub?.fullName ?? found.item.name, nameEn: found.item.nameEn ?? null, materials, limit };
}

export interface CaseStoreOptions {
  db: Db;
  config: () => HallConfig;
  now?: () => number;
}

export class CaseStore {
  private readonly db: Db;
  private readonly config: () => HallConfig;
  /** The clock cases are stamped and judged overdue by; tests move it. */
  now: () => number;

  constructor(opts: CaseStoreOptions) {
    this.db = opts.db;
    this.config = opts.config;
    this.now = opts.now ?? Date.now;
  }

  async migrate(): Promise<void> {
    await this.db.migrate('cases', CASE_MIGRATIONS);
  }

  /** The materials a clerk picks the missing ones from. */
  materialsOf(itemCode: string): string[] {
    return itemFacts(this.config(), itemCode)?.materials.map((m) => m.name) ?? [];
  }

  /** The items the lines a window serves take tickets for. */
  itemsAt(windowId: string): { code: string; name: string; nameEn: string | null }[] {
    const config = this.config();
    const groups = config.hall.windows.find((w) => w.id === windowId)?.groups ?? [];
    const codes = config.hall.groups.filter((g) => groups.includes(g.id)).flatMap((g) => g.items);
    return [...new Set(codes)].flatMap((code) => {
      const facts = itemFacts(config, code);
      return facts ? [{ code, name: facts.name, nameEn: facts.nameEn }] : [];
    });
  }

  async open(input: OpenCaseBody, clerk: Clerk): Promise<CaseView> {
    const config = this.config();
    if (!config.hall.windows.some((w) => w.id === input.windowId)) throw new CaseError('bad-request', `window ${input.windowId} is not in this hall`);
    const id = await this.db.tx(async (db) => {
      const first = await db.query<{ id: string }>('SELECT id FROM cases WHERE request_id = ?', [input.requestId]);
      if (first[0]) return first[0].id;
      const ticket = input.ticketId ? await this.ticketCitizen(db, input.ticketId) : null;
      const itemCode = input.itemCode ?? ticket?.itemCode ?? null;
      if (!itemCode) throw new CaseError('bad-request', 'name the item accepted: the ticket was taken for a whole line, not one item');
      if (!itemFacts(config, itemCode)) throw new CaseError('bad-request', `item ${itemCode} is not in the hall's catalogue`);
      const now = this.now();
      const at = new Date(now).toISOString();
      const caseId = randomUUID();
      for (let attempt = 0; ; attempt++) {
        const number = await this.nextNumber(db, now);
        const ins = await db.run(
          `INSERT INTO cases (id, number, lookup_code, item_code, id_key, ticket_id, window_id, staff_id, state, accepted_at, updated_at, request_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'accepted', ?, ?, ?) ON CONFLICT DO NOTHING`,
          [caseId, number, lookupCode(), itemCode, ticket?.idKey ?? null, input.ticketId ?? null, input.windowId, clerk.id, at, at, input.requestId],
        );
        if (ins.changes === 1) break;
        const raced = await db.query<{ id: string }>('SELECT id FROM cases WHERE request_id = ?', [input.requestId]);
        if (raced[0]) return raced[0].id;
        // A number or code another window took this instant: draw again.
        if (attempt >= 5) throw new CaseError('conflict', 'could not number the case; try again');
      }
      await this.addEvent(db, caseId, 'accepted', at, null, clerk.id, input.windowId, input.requestId);
      return caseId;
    });
    return this.get(id);
  }

  async move(caseId: string, input: MoveCaseBody, clerk: Clerk, windowId?: string): Promise<CaseView> {
    // A move that lost a race (the same request from another node, a second clerk) looks
    // again: the other's step may be this very request, or make this one a repeat.
    for (let attempt = 0; ; attempt++) {
      try {
        await this.moveOnce(caseId, input, clerk, windowId);
        return this.get(caseId);
      } catch (err) {
        if (!(err instanceof RaceLost) || attempt >= 3) throw err instanceof RaceLost ? new CaseError('conflict', 'the case changed meanwhile; look again') : err;
      }
    }
  }

  private async moveOnce(caseId: string, input: MoveCaseBody, clerk: Clerk, windowId?: string): Promise<void> {
    await this.db.tx(async (db) => {
      const done = await db.query('SELECT 1 AS x FROM case_events WHERE case_id = ? AND request_id = ?', [caseId, input.requestId]);
      if (done.length) return;
      const row = (await db.query<CaseRow>('SELECT * FROM cases WHERE id = ?', [caseId]))[0];
      if (!row) throw new CaseError('not-found', 'no such case');
      const from = row.state as CaseState;
      // A second click on the same button (a new request id) is the same step, not a second one.
      if (from === input.to) return;
      const refusal = transitionRefusal(from, input.to);
      if (refusal) throw new CaseError('conflict', refusal);
      let missing: string[] | null = null;
      if (input.to === 'returned') {
        const known = new Set(this.materialsOf(row.item_code));
        const unknown = (input.missing ?? []).filter((m) => !known.has(m));
        if (unknown.length) throw new CaseError('bad-request', `not among the item's materials: ${unknown.join('、')}`);
        missing = [...new Set(input.missing)];
      }
      const at = new Date(this.now()).toISOString();
      const upd = await db.run('UPDATE cases SET state = ?, updated_at = ? WHERE id = ? AND state = ?', [input.to, at, caseId, from]);
      if (upd.changes !== 1) throw new RaceLost();
      await this.addEvent(db, caseId, input.to, at, missing, clerk.id, windowId ?? row.window_id, input.requestId);
    });
  }

  async get(caseId: string): Promise<CaseView> {
    const rows = await this.db.query<CaseRow>('SELECT * FROM cases WHERE id = ?', [caseId]);
    if (!rows[0]) throw new CaseError('not-found', 'no such case');
    return (await this.views(rows))[0];
  }

  async byLookupCode(code: string): Promise<CaseView> {
    const rows = await this.db.query<CaseRow>('SELECT * FROM cases WHERE lookup_code = ?', [code]);
    if (!rows[0]) throw new CaseError('not-found', 'no case with this code');
    return (await this.views(rows))[0];
  }

  /** A citizen's cases, newest first. */
  async byIdKey(idKey: string): Promise<CaseView[]> {
    return this.views(await this.db.query<CaseRow>('SELECT * FROM cases WHERE id_key = ? ORDER BY accepted_at DESC LIMIT 50', [idKey]));
  }

  async forWindow(windowId: string, limit = 20): Promise<CaseView[]> {
    return this.views(await this.db.query<CaseRow>('SELECT * FROM cases WHERE window_id = ? ORDER BY accepted_at DESC LIMIT ?', [windowId, limit]));
  }

  /** Counts by state, and the running cases past their promised time. */
  async figures(): Promise<CaseFiguresAnswer> {
    const byState = Object.fromEntries(CASE_STATES.map((s) => [s, 0])) as Record<CaseState, number>;
    for (const r of await this.db.query<{ state: string; n: number | string }>('SELECT state, COUNT(*) AS n FROM cases GROUP BY state')) {
      if (r.state in byState) byState[r.state as CaseState] = Number(r.n);
    }
    const marks = OPEN_CASE_STATES.map(() => '?').join(', ');
    const running = await this.views(await this.db.query<CaseRow>(`SELECT * FROM cases WHERE state IN (${marks}) ORDER BY accepted_at`, [...OPEN_CASE_STATES]));
    return { byState, overdue: running.filter((c) => c.overdue), at: new Date(this.now()).toISOString() };
  }

  private async ticketCitizen(db: Db, ticketId: string): Promise<{ itemCode: string | null; idKey: string | null }> {
    const rows = await db.query<{ item_code: string | null; id_key: string | null; appointment_key: string | null }>(
      `SELECT t.item_code, t.id_key, a.id_key AS appointment_key
         FROM queue_tickets t LEFT JOIN queue_appointments a ON a.id = t.appointment_id
        WHERE t.id = ?`,
      [ticketId],
    );
    if (!rows[0]) throw new CaseError('not-found', 'no such ticket');
    return { itemCode: rows[0].item_code, idKey: rows[0].id_key ?? rows[0].appointment_key };
  }

  /** 受理 number: the hall day and its running count, e.g. 20261207-0003. */
  private async nextNumber(db: Db, now: number): Promise<string> {
    const day = hallDay(now).replaceAll('-', '');
    const rows = await db.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM cases WHERE number LIKE ?', [`${day}-%`]);
    return `${day}-${String(Number(rows[0]?.n ?? 0) + 1).padStart(4, '0')}`;
  }

  private async addEvent(db: Db, caseId: string, state: CaseState, at: string, missing: string[] | null, staffId: string, windowId: string, requestId: string): Promise<void> {
    const last = await db.query<{ n: number | string | null }>('SELECT MAX(seq) AS n FROM case_events WHERE case_id = ?', [caseId]);
    await db.run('INSERT INTO case_events (case_id, seq, state, at, missing, staff_id, window_id, request_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
      caseId,
      Number(last[0]?.n ?? 0) + 1,
      state,
      at,
      missing ? JSON.stringify(missing) : null,
      staffId,
      windowId,
      requestId,
    ]);
  }

  private async views(rows: CaseRow[]): Promise<CaseView[]> {
    if (!rows.length) return [];
    const marks = rows.map(() => '?').join(', ');
    const events = await this.db.query<EventRow>(`SELECT case_id, seq, state, at, missing FROM case_events WHERE case_id IN (${marks}) ORDER BY case_id, seq`, rows.map((r) => r.id));
    const byCase = new Map<string, CaseEventView[]>();
    for (const e of events) {
      const list = byCase.get(e.case_id) ?? [];
      list.push({ state: e.state as CaseState, at: e.at, ...(e.missing ? { missing: JSON.parse(e.missing) as string[] } : {}) });
      byCase.set(e.case_id, list);
    }
    const config = this.config();
    const now = this.now();
    return rows.map((r) => {
      const facts = itemFacts(config, r.item_code);
      const due = dueOf(config, facts?.limit ?? null, Date.parse(r.accepted_at));
      const state = r.state as CaseState;
      return {
        id: r.id,
        number: r.number,
        lookupCode: r.lookup_code,
        itemCode: r.item_code,
        itemName: facts?.name ?? r.item_code,
        itemNameEn: facts?.nameEn ?? null,
        windowId: r.window_id,
        state,
        bound: r.id_key !== null,
        acceptedAt: r.accepted_at,
        updatedAt: r.updated_at,
        dueBy: dueText(due),
        overdue: OPEN_CASE_STATES.includes(state) && isPastDue(due, now),
        timeline: byCase.get(r.id) ?? [],
      };
    });
  }
}
