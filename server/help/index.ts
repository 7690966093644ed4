/**
 * 一键求助 on the platform: files each 'help' transaction once (by its help id), shows it
 * at once to signed-in staff on the /staff namespace with where the terminal stands, and
 * takes their acknowledgement, which goes back to the terminal's device socket. A terminal
 * that was cut off when staff acknowledged hears it when it reconnects.
 */
import { z } from 'zod';
import type { ServerContext } from '../context.ts';
import type { Db } from '../db/types.ts';
import { HttpError, parse } from '../http.ts';
import { HELP_PUSH, STAFF_NAMESPACE, type HelpListAnswer, type HelpPayload, type HelpPlace, type HelpPush, type HelpView } from '../../protocol/help.ts';
import type { HallConfig } from '../../config/schema.ts';

export const HELP_MIGRATIONS = [
  `CREATE TABLE help_requests (
     id TEXT PRIMARY KEY,
     device_id TEXT NOT NULL,
     screen TEXT,
     raised_at TEXT NOT NULL,
     received_at TEXT NOT NULL,
     state TEXT NOT NULL,
     acked_by TEXT,
     acked_at TEXT
   );
   CREATE INDEX help_requests_raised ON help_requests (raised_at);
   CREATE INDEX help_requests_device ON help_requests (device_id, raised_at);`,
];

/** How far back the staff list and a reconnecting terminal look. */
const RECENT_MS = 12 * 3600_000;

interface HelpRow {
  id: string;
  device_id: string;
  screen: string | null;
  raised_at: string;
  state: string;
  acked_by: string | null;
  acked_at: string | null;
}

export function placeOf(config: HallConfig, deviceId: string): HelpPlace {
  const terminal = config.kiosks.find((k) => k.id === deviceId);
  if (!terminal) return { terminalName: deviceId, floor: null, floorName: null, position: null };
  const floor = config.hall.floors.find((f) => f.id === terminal.floor);
  return { terminalName: terminal.name, floor: terminal.floor, floorName: floor?.name ?? null, position: terminal.position };
}

function hallMapOf(config: HallConfig): HelpListAnswer['map'] {
  const { hall } = config;
  return {
    floors: hall.floors,
    zones: hall.zones,
    places: hall.places,
    windows: hall.windows.map((w) => ({ id: w.id, name: w.name, zone: w.zone, floor: w.floor, position: w.position })),
  };
}

const IdParam = z.object({ id: z.string().uuid() });

export async function registerHelp(ctx: ServerContext): Promise<void> {
  const { app, db, io, log } = ctx;
  await db.migrate('help', HELP_MIGRATIONS);
  const view = (r: HelpRow): HelpView => ({
    id: r.id,
    deviceId: r.device_id,
    place: placeOf(ctx.config.config, r.device_id),
    screen: r.screen,
    raisedAt: r.raised_at,
    state: r.state === 'acknowledged' ? 'acknowledged' : 'open',
    acknowledgedBy: r.acked_by,
    acknowledgedAt: r.acked_at,
  });
  const byId = async (d: Db, id: string) => (await d.query<HelpRow>('SELECT * FROM help_requests WHERE id = ?', [id]))[0];

  const staff = io.of(STAFF_NAMESPACE);
  // Help requests say where a terminal is and when nobody is minding it: staff only.
  staff.use((socket, next) => {
    ctx.staffOfHeaders(socket.handshake.headers).then(
      (user) => next(user ? undefined : new Error('sign in first')),
      () => next(new Error('the platform could not check the session')),
    );
  });
  const tell = (r: HelpRow) => {
    const v = view(r);
    staff.emit('help:changed', v);
    const push: HelpPush = { helpId: r.id, state: v.state };
    io.to(`device:${r.device_id}`).emit(HELP_PUSH, push);
  };

  ctx.onTransaction('help', async (tx, t) => {
    const p = tx.payload as HelpPayload;
    const row: HelpRow = { id: p.helpId, device_id: tx.deviceId, screen: p.screen ?? null, raised_at: p.raisedAt, state: 'open', acked_by: null, acked_at: null };
    // A help id already filed (the same request sent again by another route) is not a second call for staff.
    const res = await t.run('INSERT INTO help_requests (id, device_id, screen, raised_at, received_at, state) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING', [
      row.id,
      row.device_id,
      row.screen,
      row.raised_at,
      new Date().toISOString(),
      row.state,
    ]);
    if (!res.changes) return;
    log.info({ device: tx.deviceId, help: row.id }, 'help requested');
    tell(row);
  });

  const since = () => new Date(Date.now() - RECENT_MS).toISOString();
  app.get('/api/help', { preHandler: ctx.requireStaff() }, async (): Promise<HelpListAnswer> => {
    const rows = await db.query<HelpRow>("SELECT * FROM help_requests WHERE state = 'open' OR raised_at >= ? ORDER BY raised_at DESC LIMIT 200", [since()]);
    return { requests: rows.map(view), map: hallMapOf(ctx.config.config) };
  });
  app.post('/api/help/:id/acknowledge', { preHandler: ctx.requireStaff() }, async (request) => {
    const { id } = parse(IdParam, request.params, 'path');
    const who = (await ctx.staffOf(request))!;
    await db.run("UPDATE help_requests SET state = 'acknowledged', acked_by = ?, acked_at = ? WHERE id = ? AND state = 'open'", [who.displayName, new Date().toISOString(), id]);
    const row = await byId(db, id);
    if (!row) throw new HttpError('not-found', 'no such help request');
    log.info({ help: id, staff: who.id }, 'help acknowledged');
    tell(row);
    return { help: view(row) };
  });

  ctx.onDeviceSocket((socket, device) => {
    db.query<HelpRow>('SELECT * FROM help_requests WHERE device_id = ? AND raised_at >= ? ORDER BY raised_at', [device.deviceId, since()]).then(
      (rows) => {
        for (const r of rows) socket.emit(HELP_PUSH, { helpId: r.id, state: view(r).state } satisfies HelpPush);
      },
      (err: Error) => log.warn({ err: err.message }, 'help state for a reconnecting terminal unavailable'),
    );
  });
}
