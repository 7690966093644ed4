/**
 * What the staff console reads besides configuration and devices: the transaction
 * browser, bad-rating follow-ups and the hall's figures.
 */
import { z } from 'zod';
import type { ServerContext } from '../context.ts';
import { HttpError, parse } from '../http.ts';
import { onlineDevices } from '../devices/index.ts';
import { hallInstant } from '../../protocol/clock.ts';

const DAY_MS = 86_400_000;
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date like 2026-05-01').refine((s) => !Number.isNaN(Date.parse(s)), 'a real date');
const iso = z.string().max(40).refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO time');

function startOfToday(): string {
  const d = new Date();
  d.setHours(0, 0, 0, 0);
  return d.toISOString();
}

export function registerConsoleApi(ctx: ServerContext): void {
  const { app, db } = ctx;

  const TxQuery = z
    .object({
      type: z.string().max(64).optional(),
      device: z.string().max(64).optional(),
      status: z.enum(['applied', 'failed']).optional(),
      /** Hall-local days, both included: what a clerk means by "from the 3rd to the 5th". */
      from: day.optional(),
      to: day.optional(),
      /** Cursor: received_at|id of the last row of the previous page. */
      before: z.string().max(200).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(50),
    })
    .strict();
  app.get('/api/transactions', { preHandler: ctx.requireStaff() }, async (request) => {
    const q = parse(TxQuery, request.query, 'query');
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.type) {
      where.push('type = ?');
      params.push(q.type);
    }
    if (q.device) {
      where.push('device_id = ?');
      params.push(q.device);
    }
    if (q.status) {
      where.push('status = ?');
      params.push(q.status);
    }
    if (q.from && q.to && q.from > q.to) throw new HttpError('bad-request', `the first day (${q.from}) is after the last (${q.to})`);
    if (q.from) {
      where.push('at >= ?');
      params.push(new Date(hallInstant(q.from)).toISOString());
    }
    if (q.to) {
      where.push('at < ?');
      params.push(new Date(hallInstant(q.to) + DAY_MS).toISOString());
    }
    if (q.before) {
      const [at, id] = q.before.split('|');
      where.push('(received_at < ? OR (received_at = ? AND id < ?))');
      params.push(at, at, id ?? '');
    }
    const rows = await db.query<Record<string, unknown>>(
      `SELECT id, device_id, seq, type, at, payload, received_at, node_id, status, error FROM transactions
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY received_at DESC, id DESC LIMIT ?`,
      [...params, q.limit],
    );
    const txs = rows.map((r) => ({
      id: r.id,
      deviceId: r.device_id,
      seq: Number(r.seq),
      type: r.type,
      at: r.at,
      receivedAt: r.received_at,
      node: r.node_id,
      status: r.status,
      error: r.error,
      payload: JSON.parse(String(r.payload)),
    }));
    const last = rows[rows.length - 1];
    return { transactions: txs, next: rows.length === q.limit && last ? `${last.received_at}|${last.id}` : null };
  });

  app.get('/api/transactions/count', { preHandler: ctx.requireStaff() }, async (request) => {
    const q = parse(z.object({ type: z.string().max(64).optional(), device: z.string().max(64).optional() }).strict(), request.query, 'query');
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.type) {
      where.push('type = ?');
      params.push(q.type);
    }
    if (q.device) {
      where.push('device_id = ?');
      params.push(q.device);
    }
    const rows = await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM transactions ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`, params);
    return { count: Number(rows[0]?.n ?? 0) };
  });

  app.get('/api/followups', { preHandler: ctx.requireStaff() }, async (request) => {
    const q = parse(z.object({ status: z.enum(['open', 'closed', 'all']).default('open'), limit: z.coerce.number().int().min(1).max(500).default(100) }).strict(), request.query, 'query');
    const rows = await db.query<Record<string, unknown>>(
      `SELECT f.*, u.username AS closed_by_name FROM followups f LEFT JOIN staff_users u ON u.id = f.closed_by
       ${q.status === 'all' ? '' : 'WHERE f.status = ?'} ORDER BY f.created_at DESC LIMIT ?`,
      q.status === 'all' ? [q.limit] : [q.status, q.limit],
    );
    return {
      followups: rows.map((r) => ({
        id: r.id,
        txId: r.tx_id,
        deviceId: r.device_id,
        level: Number(r.level),
        reasons: JSON.parse(String(r.reasons)),
        comment: r.comment,
        itemCode: r.item_code,
        subject: r.subject,
        ratedAt: r.rated_at,
        createdAt: r.created_at,
        status: r.status,
        closedBy: r.closed_by_name,
        closedAt: r.closed_at,
        note: r.note,
      })),
    };
  });

  app.post('/api/followups/:id/close', { preHandler: ctx.requireStaff(['hall-manager', 'window-staff']) }, async (request) => {
    const { id } = parse(z.object({ id: z.string().uuid() }), request.params, 'path');
    const body = parse(z.object({ note: z.string().min(1, 'say what was done').max(2000) }).strict(), request.body);
    const staff = (await ctx.staffOf(request))!;
    const res = await db.run("UPDATE followups SET status = 'closed', closed_by = ?, closed_at = ?, note = ? WHERE id = ? AND status = 'open'", [staff.id, new Date().toISOString(), body.note, id]);
    if (res.changes === 0) {
      const exists = await db.query('SELECT id FROM followups WHERE id = ?', [id]);
      throw exists.length ? new HttpError('conflict', 'this follow-up is already closed') : new HttpError('not-found', 'no such follow-up');
    }
    return { ok: true };
  });

  app.get('/api/figures', { preHandler: ctx.requireStaff() }, async (request) => {
    const q = parse(z.object({ from: iso.optional(), to: iso.optional() }).strict(), request.query, 'query');
    const from = q.from ? new Date(q.from).toISOString() : startOfToday();
    const to = q.to ? new Date(q.to).toISOString() : new Date(Date.now() + 60_000).toISOString();
    const byType = await db.query<{ type: string; n: number }>('SELECT type, COUNT(*) AS n FROM transactions WHERE at >= ? AND at < ? GROUP BY type', [from, to]);
    const tickets = await db.query<{ payload: string }>("SELECT payload FROM transactions WHERE type = 'ticket' AND at >= ? AND at < ? LIMIT 100000", [from, to]);
    const ratings = await db.query<{ payload: string }>("SELECT payload FROM transactions WHERE type = 'rating' AND at >= ? AND at < ? LIMIT 100000", [from, to]);
    const open = await db.query<{ n: number }>("SELECT COUNT(*) AS n FROM followups WHERE status = 'open'");

    const groups = new Map<string, { tickets: number; waitSum: number; waitN: number }>();
    let offline = 0;
    let waitSum = 0;
    let waitN = 0;
    for (const r of tickets) {
      const p = JSON.parse(r.payload) as { groupId?: string; offline?: boolean; estimatedWaitMinutes?: number };
      const g = groups.get(p.groupId ?? '?') ?? { tickets: 0, waitSum: 0, waitN: 0 };
      g.tickets++;
      if (p.offline) offline++;
      if (typeof p.estimatedWaitMinutes === 'number') {
        g.waitSum += p.estimatedWaitMinutes;
        g.waitN++;
        waitSum += p.estimatedWaitMinutes;
        waitN++;
      }
      groups.set(p.groupId ?? '?', g);
    }
    const levels = [0, 0, 0, 0, 0];
    for (const r of ratings) {
      const level = (JSON.parse(r.payload) as { level: number }).level;
      if (level >= 1 && level <= 5) levels[level - 1]++;
    }
    const rated = levels.reduce((a, b) => a + b, 0);
    const online = await onlineDevices(ctx);
    const devices = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM devices WHERE revoked_at IS NULL');
    return {
      from,
      to,
      transactions: Object.fromEntries(byType.map((r) => [r.type, Number(r.n)])),
      tickets: {
        total: tickets.length,
        offline,
        averageEstimatedWaitMinutes: waitN ? Math.round((waitSum / waitN) * 10) / 10 : null,
        byGroup: [...groups.entries()].map(([groupId, g]) => ({ groupId, tickets: g.tickets, averageEstimatedWaitMinutes: g.waitN ? Math.round((g.waitSum / g.waitN) * 10) / 10 : null })),
      },
      ratings: {
        total: rated,
        /** Counts for 非常不满意 (1) … 非常满意 (5). */
        byLevel: levels,
        average: rated ? Math.round((levels.reduce((a, n, i) => a + n * (i + 1), 0) / rated) * 100) / 100 : null,
        satisfiedShare: rated ? Math.round(((levels[2] + levels[3] + levels[4]) / rated) * 1000) / 1000 : null,
      },
      followupsOpen: Number(open[0]?.n ?? 0),
      devices: { enrolled: Number(devices[0]?.n ?? 0), online: online.size },
    };
  });
}
