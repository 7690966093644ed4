/**
 * Device identity: one-time enrollment codes made by staff, the credential a kiosk gets
 * for one (its id and a secret it generated, stored here only as a SHA-256), the socket
 * handshake check, revocation that also drops live sockets, and health reports.
 * Secrets are 32+ random bytes, so a fast hash is enough; passwords use scrypt.
 */
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Socket } from 'socket.io';
import type { Db } from '../db/types.ts';
import type { EnrolledDevice, ServerContext } from '../context.ts';
import { HttpError, parse } from '../http.ts';
import { isLauncherToken, LAUNCHER_TOKEN_HEADER } from './launcher-token.ts';
import { DeviceAuth, EnrollRequest, HealthReport, EVENTS, PROTOCOL_VERSION, summarizeIssues, type EnrollResponse, type SyncError } from '../../protocol/sync.ts';

export const DEVICE_MIGRATIONS = [
  `CREATE TABLE devices (
     id TEXT PRIMARY KEY,
     kind TEXT NOT NULL,
     hall_id TEXT NOT NULL,
     name TEXT NOT NULL,
     secret_hash TEXT NOT NULL,
     enrolled_at TEXT NOT NULL,
     enrolled_with TEXT,
     revoked_at TEXT,
     last_seq BIGINT NOT NULL DEFAULT 0,
     seq_gaps INTEGER NOT NULL DEFAULT 0,
     last_seen TEXT,
     config_version INTEGER NOT NULL DEFAULT 0,
     config_error TEXT,
     pending INTEGER NOT NULL DEFAULT 0,
     software TEXT,
     health TEXT,
     health_at TEXT
   );
   CREATE TABLE enrollment_codes (
     code_hash TEXT PRIMARY KEY,
     hint TEXT NOT NULL,
     kind TEXT NOT NULL,
     device_id TEXT,
     name TEXT,
     uses_left INTEGER NOT NULL,
     uses INTEGER NOT NULL DEFAULT 0,
     created_by TEXT NOT NULL,
     created_at TEXT NOT NULL,
     expires_at TEXT NOT NULL,
     revoked INTEGER NOT NULL DEFAULT 0
   );`,
  // Where older installs kept the ID key; server/keys.ts moves it to the key file and deletes the row.
  `CREATE TABLE hall_secrets (
     name TEXT PRIMARY KEY,
     value TEXT NOT NULL,
     created_at TEXT NOT NULL
   );`,
  // Every secret a device has given up (revoked or replaced): never accepted again for it.
  `CREATE TABLE device_retired_secrets (
     device_id TEXT NOT NULL,
     secret_hash TEXT NOT NULL,
     retired_at TEXT NOT NULL,
     PRIMARY KEY (device_id, secret_hash)
   );`,
  // Transactions applied below the device's highest seq (out of order, filling a gap).
  `ALTER TABLE devices ADD COLUMN seq_late INTEGER NOT NULL DEFAULT 0;`,
  // A lobby robot's guide (state, battery, position) from its health reports.
  `ALTER TABLE devices ADD COLUMN robot TEXT;`,
];

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Codes staff read out or type: no 0/O/1/I, grouped in fours. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export function newEnrollmentCode(): string {
  let s = '';
  for (let i = 0; i < 12; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8)}`;
}
const normalizeCode = (code: string) => code.toUpperCase().replace(/[^A-Z0-9]/g, '');

export interface DeviceRow {
  id: string;
  kind: EnrolledDevice['kind'];
  hall_id: string;
  name: string;
  secret_hash: string;
  revoked_at: string | null;
  last_seq: number;
  last_seen: string | null;
  config_version: number;
  config_error: string | null;
  pending: number;
  software: string | null;
  health: string | null;
  robot: string | null;
  health_at: string | null;
  enrolled_at: string;
  seq_gaps: number;
  seq_late: number;
}

export class EnrollError extends HttpError {}

export interface CreateCodeInput {
  kind: EnrolledDevice['kind'];
  deviceId?: string;
  name?: string;
  uses?: number;
  ttlHours?: number;
  createdBy: string;
}

export async function createEnrollmentCode(db: Db, input: CreateCodeInput): Promise<{ code: string; expiresAt: string }> {
  const code = newEnrollmentCode();
  const now = new Date();
  const expires = new Date(now.getTime() + (input.ttlHours ?? 24) * 3600_000);
  await db.run(
    `INSERT INTO enrollment_codes (code_hash, hint, kind, device_id, name, uses_left, created_by, created_at, expires_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [sha256(normalizeCode(code)), code.slice(-4), input.kind, input.deviceId ?? null, input.name ?? null, input.uses ?? 1, input.createdBy, now.toISOString(), expires.toISOString()],
  );
  return { code, expiresAt: expires.toISOString() };
}

/** Why a guarded use of a code changed no row: told apart only after the fact, for the message. */
async function codeRefusal(t: Db, codeHash: string): Promise<EnrollError> {
  const code = (await t.query<{ uses_left: number; expires_at: string; revoked: number }>('SELECT uses_left, expires_at, revoked FROM enrollment_codes WHERE code_hash = ?', [codeHash]))[0];
  if (!code || Number(code.revoked)) return new EnrollError('unauthorized', 'unknown enrollment code');
  if (Number(code.uses_left) <= 0) return new EnrollError('gone', 'this enrollment code has been used');
  return new EnrollError('gone', 'this enrollment code has expired');
}

async function secretWasRetired(t: Db, deviceId: string, secretHash: string): Promise<boolean> {
  return (await t.query('SELECT 1 FROM device_retired_secrets WHERE device_id = ? AND secret_hash = ?', [deviceId, secretHash])).length > 0;
}

async function retireSecret(t: Db, deviceId: string, secretHash: string, at: string): Promise<void> {
  await t.run('INSERT INTO device_retired_secrets (device_id, secret_hash, retired_at) VALUES (?, ?, ?) ON CONFLICT (device_id, secret_hash) DO NOTHING', [deviceId, secretHash, at]);
}

/**
 * Exchange a code for a credential. The device sends the secret it generated; asking
 * again with the same code, id and secret (a retry after a crash) answers the same.
 *
 * The code's use is taken by one guarded UPDATE, so two enrolments racing for the last
 * use cannot both pass (PostgreSQL re-checks the guard after the row lock); a device id
 * inserted by a racing enrolment makes this one a conflict, not a unique-key failure.
 * A revoked device comes back only through a code staff made for that very id after the
 * revocation, and only with a secret it never had.
 */
export async function enroll(db: Db, hallId: string, req: EnrollRequest): Promise<EnrollResponse> {
  const codeHash = sha256(normalizeCode(req.code));
  const secretHash = sha256(req.secret);
  return db.tx(async (t) => {
    const code = (await t.query<{ kind: string; device_id: string | null; name: string | null; uses_left: number; created_at: string; expires_at: string; revoked: number }>(
      'SELECT kind, device_id, name, uses_left, created_at, expires_at, revoked FROM enrollment_codes WHERE code_hash = ?',
      [codeHash],
    ))[0];
    if (!code || Number(code.revoked)) throw new EnrollError('unauthorized', 'unknown enrollment code');
    if (code.kind !== req.kind) throw new EnrollError('forbidden', `this code enrols a ${code.kind}, not a ${req.kind}`);
    const deviceId = code.device_id ?? req.deviceId ?? `${req.kind}-${randomBytes(5).toString('hex')}`;
    const existing = (await t.query<DeviceRow & { enrolled_with: string | null }>('SELECT * FROM devices WHERE id = ?', [deviceId]))[0];
    if (existing && existing.enrolled_with === codeHash && sameHash(existing.secret_hash, secretHash) && !existing.revoked_at) {
      return { deviceId, hallId: existing.hall_id, kind: existing.kind };
    }
    const now = new Date().toISOString();
    // Read without a lock, so only for the message: the guarded UPDATE below decides.
    if (Number(code.uses_left) <= 0 || code.expires_at < now) throw await codeRefusal(t, codeHash);
    if (existing && !existing.revoked_at) throw new EnrollError('conflict', `device ${deviceId} is already enrolled; revoke it first to enrol it again`);
    if (existing && !(code.device_id === deviceId && code.created_at >= existing.revoked_at!)) {
      throw new EnrollError('forbidden', `device ${deviceId} was revoked; staff must make a new code for this device to enrol it again`);
    }
    if (existing && (sameHash(existing.secret_hash, secretHash) || (await secretWasRetired(t, deviceId, secretHash)))) {
      throw new EnrollError('forbidden', `device ${deviceId} must present a new secret, not one it had before`);
    }
    const used = await t.run('UPDATE enrollment_codes SET uses_left = uses_left - 1, uses = uses + 1 WHERE code_hash = ? AND uses_left > 0 AND revoked = 0 AND expires_at >= ?', [codeHash, now]);
    if (used.changes !== 1) throw await codeRefusal(t, codeHash);
    if (existing) {
      // Re-enrolling a revoked device keeps its sequence so its history stays ordered.
      const res = await t.run('UPDATE devices SET kind = ?, hall_id = ?, name = ?, secret_hash = ?, enrolled_at = ?, enrolled_with = ?, revoked_at = NULL WHERE id = ? AND revoked_at IS NOT NULL', [
        req.kind,
        hallId,
        req.name ?? code.name ?? existing.name,
        secretHash,
        now,
        codeHash,
        deviceId,
      ]);
      if (res.changes !== 1) throw new EnrollError('conflict', `device ${deviceId} was enrolled again by another request`);
    } else {
      const res = await t.run('INSERT INTO devices (id, kind, hall_id, name, secret_hash, enrolled_at, enrolled_with) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING', [
        deviceId,
        req.kind,
        hallId,
        req.name ?? code.name ?? deviceId,
        secretHash,
        now,
        codeHash,
      ]);
      if (res.changes !== 1) throw new EnrollError('conflict', `device ${deviceId} is already enrolled; revoke it first to enrol it again`);
    }
    return { deviceId, hallId, kind: req.kind };
  });
}

/**
 * Enrol a device of this very machine without a human (the one-machine hall). It never
 * takes over an enrolled device: `replace` (the launcher recovering a terminal whose
 * credential file was lost) retires the old secret first, and a revoked device stays
 * revoked until staff enrol it again.
 */
export async function enrollLocal(
  ctx: ServerContext,
  deviceId: string,
  kind: EnrolledDevice['kind'],
  name?: string,
  opts: { replace?: boolean } = {},
): Promise<{ deviceId: string; secret: string; hallId: string }> {
  const secret = randomBytes(32).toString('base64url');
  const now = new Date().toISOString();
  const hallId = ctx.config.config.hall.id;
  const secretHash = sha256(secret);
  await ctx.db.tx(async (t) => {
    const existing = (await t.query<DeviceRow>('SELECT id, secret_hash, revoked_at FROM devices WHERE id = ?', [deviceId]))[0];
    if (existing?.revoked_at) throw new EnrollError('forbidden', `device ${deviceId} was revoked; staff must make a new code for this device to enrol it again`);
    if (existing && !opts.replace) throw new EnrollError('conflict', `device ${deviceId} is already enrolled; local enrollment does not replace an enrolled device`);
    if (existing) {
      await retireSecret(t, deviceId, existing.secret_hash, now);
      await t.run('UPDATE devices SET secret_hash = ?, kind = ?, hall_id = ?, enrolled_at = ?, enrolled_with = ? WHERE id = ?', [secretHash, kind, hallId, now, 'local', deviceId]);
    } else {
      const res = await t.run('INSERT INTO devices (id, kind, hall_id, name, secret_hash, enrolled_at, enrolled_with) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING', [deviceId, kind, hallId, name ?? deviceId, secretHash, now, 'local']);
      if (res.changes !== 1) throw new EnrollError('conflict', `device ${deviceId} was enrolled by another request`);
    }
  });
  // A replaced secret must take its sockets with it.
  if (opts.replace) ctx.io.in(`device:${deviceId}`).disconnectSockets(true);
  ctx.log.info({ device: deviceId, kind, replaced: !!opts.replace }, 'device enrolled locally');
  return { deviceId, secret, hallId };
}

export class AuthError extends Error {
  data: SyncError;
  constructor(code: 'unauthorized' | 'revoked' | 'unsupported-protocol' | 'bad-request' | 'internal', message: string) {
    super(message);
    this.data = { code, message, retry: code === 'internal' };
  }
}

/** Check a handshake; throws AuthError with the code the client sees in connect_error. */
export async function authenticate(db: Db, auth: unknown): Promise<EnrolledDevice> {
  // A malformed handshake is the client's bug, told as such: "unauthorized" would send it re-enrolling.
  const expected = `send auth {deviceId, secret, protocol: ${PROTOCOL_VERSION}} (protocol a number)`;
  const protocol = (auth as { protocol?: unknown } | null)?.protocol;
  if (typeof protocol !== 'number') throw new AuthError('bad-request', `auth.protocol is missing or not a number; ${expected}`);
  if (protocol !== PROTOCOL_VERSION) throw new AuthError('unsupported-protocol', `this platform speaks sync protocol ${PROTOCOL_VERSION}, not ${protocol}; ${expected}`);
  const parsed = DeviceAuth.safeParse(auth);
  if (!parsed.success) throw new AuthError('bad-request', `malformed auth: ${summarizeIssues(parsed.error)}; ${expected}`);
  const row = (await db.query<DeviceRow>('SELECT * FROM devices WHERE id = ?', [parsed.data.deviceId]))[0];
  if (!row || !sameHash(row.secret_hash, sha256(parsed.data.secret))) throw new AuthError('unauthorized', 'unknown device or wrong secret');
  if (row.revoked_at) throw new AuthError('revoked', 'this device has been revoked; enrol it again with a new code');
  return { deviceId: row.id, kind: row.kind, hallId: row.hall_id };
}

export async function revokeDevice(ctx: ServerContext, deviceId: string): Promise<boolean> {
  const now = new Date().toISOString();
  const res = await ctx.db.tx(async (t) => {
    const row = (await t.query<{ secret_hash: string }>('SELECT secret_hash FROM devices WHERE id = ? AND revoked_at IS NULL', [deviceId]))[0];
    if (row) await retireSecret(t, deviceId, row.secret_hash, now);
    return t.run('UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [now, deviceId]);
  });
  const err: SyncError = { code: 'revoked', message: 'this device has been revoked', retry: false };
  ctx.io.in(`device:${deviceId}`).emit(EVENTS.error, err);
  ctx.io.in(`device:${deviceId}`).disconnectSockets(true);
  return res.changes > 0;
}

/** Device ids with a live socket on any node (through the adapter when there are several). */
export async function onlineDevices(ctx: ServerContext): Promise<Set<string>> {
  return (await onlineDevicesScoped(ctx)).ids;
}

/**
 * The same, saying whose sockets were counted: with Redis down only this node's can be
 * listed, at once, rather than after the adapter's request to the other nodes times out.
 */
export async function onlineDevicesScoped(ctx: ServerContext): Promise<{ ids: Set<string>; scope: 'all-nodes' | 'this-node' }> {
  const ids = (sockets: { data: unknown }[]) => new Set(sockets.map((s) => (s.data as { device?: EnrolledDevice }).device?.deviceId).filter((x): x is string => !!x));
  if (!ctx.redis || ctx.redis.ready()) {
    try {
      return { ids: ids(await ctx.io.in('devices').fetchSockets()), scope: 'all-nodes' };
    } catch (err) {
      ctx.log.warn({ err: (err as Error).message }, 'could not list sockets on every node');
    }
  }
  // Read from this node's own room: even a local fetchSockets asks the Redis adapter for the node count.
  const local = [...(ctx.io.sockets.adapter.rooms.get('devices') ?? [])].map((id) => ctx.io.sockets.sockets.get(id)).filter((s) => s !== undefined);
  return { ids: ids(local), scope: 'this-node' };
}

export function registerDevices(ctx: ServerContext, opts: { localEnrollment?: boolean; launcherToken?: string }): void {
  const { app, db, log } = ctx;

  app.post('/api/enroll', async (request) => {
    const body = parse(EnrollRequest, request.body);
    try {
      const res = await enroll(db, ctx.config.config.hall.id, body);
      log.info({ device: res.deviceId, kind: res.kind }, 'device enrolled');
      return res;
    } catch (err) {
      if (err instanceof EnrollError) log.warn({ code: err.code, kind: body.kind }, `enrollment refused: ${err.message}`);
      throw err;
    }
  });

  if (opts.localEnrollment && opts.launcherToken) {
    const token = opts.launcherToken;
    // Only for the one-machine hall: the launcher on this host enrols its own kiosk and robot.
    const Local = z
      .object({ deviceId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/), kind: z.enum(['kiosk', 'teller', 'robot']), name: z.string().max(100).optional(), replace: z.boolean().optional() })
      .strict();
    app.post('/api/enroll/local', async (request) => {
      const ip = request.socket.remoteAddress ?? '';
      if (!['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(ip)) throw new HttpError('forbidden', 'local enrollment is only open to this machine');
      if (!isLauncherToken(token, request.headers[LAUNCHER_TOKEN_HEADER])) {
        log.warn({ code: 'unauthorized' }, 'local enrollment refused: no launcher token');
        throw new HttpError('unauthorized', `local enrollment needs the launcher token (header ${LAUNCHER_TOKEN_HEADER}, from the platform's data directory)`);
      }
      const body = parse(Local, request.body);
      return enrollLocal(ctx, body.deviceId, body.kind, body.name, { replace: body.replace });
    });
  }

  const NewCode = z
    .object({
      kind: z.enum(['kiosk', 'teller', 'robot', 'load']),
      deviceId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/).optional(),
      name: z.string().max(100).optional(),
      uses: z.number().int().min(1).max(10_000).default(1),
      ttlHours: z.number().min(0.01).max(24 * 30).default(24),
    })
    .strict();
  app.post('/api/enrollment-codes', { preHandler: ctx.requireStaff(['hall-manager']) }, async (request) => {
    const body = parse(NewCode, request.body);
    const staff = (await ctx.staffOf(request))!;
    const res = await createEnrollmentCode(db, { ...body, createdBy: staff.id });
    log.info({ staff: staff.id, kind: body.kind, uses: body.uses }, 'enrollment code created');
    return { ...res, kind: body.kind, deviceId: body.deviceId ?? null, uses: body.uses };
  });

  app.get('/api/enrollment-codes', { preHandler: ctx.requireStaff(['hall-manager']) }, async () => {
    const rows = await db.query<Record<string, unknown>>(
      `SELECT c.hint, c.kind, c.device_id, c.name, c.uses_left, c.uses, c.created_at, c.expires_at, c.revoked, u.username AS created_by
         FROM enrollment_codes c LEFT JOIN staff_users u ON u.id = c.created_by ORDER BY c.created_at DESC LIMIT 100`,
    );
    const now = new Date().toISOString();
    return {
      codes: rows.map((r) => ({
        hint: `…${r.hint}`,
        kind: r.kind,
        deviceId: r.device_id,
        name: r.name,
        usesLeft: Number(r.uses_left),
        uses: Number(r.uses),
        createdAt: r.created_at,
        expiresAt: r.expires_at,
        createdBy: r.created_by,
        state: Number(r.revoked) ? 'revoked' : Number(r.uses_left) <= 0 ? 'used' : String(r.expires_at) < now ? 'expired' : 'open',
      })),
    };
  });

  app.get('/api/devices', { preHandler: ctx.requireStaff() }, async () => {
    const rows = await db.query<DeviceRow>('SELECT * FROM devices ORDER BY kind, id');
    const { ids: online, scope } = await onlineDevicesScoped(ctx);
    return {
      currentConfigVersion: ctx.config.version,
      onlineScope: scope,
      devices: rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        name: r.name,
        hallId: r.hall_id,
        online: online.has(r.id),
        revoked: !!r.revoked_at,
        revokedAt: r.revoked_at,
        enrolledAt: r.enrolled_at,
        lastSeen: r.last_seen,
        lastSeq: Number(r.last_seq),
        seqGaps: Number(r.seq_gaps),
        seqLate: Number(r.seq_late),
        configVersion: Number(r.config_version),
        configError: r.config_error,
        pending: Number(r.pending),
        software: r.software,
        health: r.health ? JSON.parse(r.health) : [],
        robot: r.robot ? JSON.parse(r.robot) : null,
        healthAt: r.health_at,
      })),
    };
  });

  app.post('/api/devices/:id/revoke', { preHandler: ctx.requireStaff(['hall-manager']) }, async (request) => {
    const { id } = parse(z.object({ id: z.string().min(1).max(64) }), request.params, 'path');
    const changed = await revokeDevice(ctx, id);
    if (!changed) {
      const exists = await db.query('SELECT id FROM devices WHERE id = ?', [id]);
      if (!exists.length) throw new HttpError('not-found', `no device ${id}`);
    }
    const staff = await ctx.staffOf(request);
    log.info({ device: id, staff: staff?.id }, 'device revoked');
    return { ok: true, revoked: id };
  });

  ctx.onDeviceSocket((socket: Socket, device: EnrolledDevice) => {
    socket.on(EVENTS.health, async (raw: unknown, ack?: (r: unknown) => void) => {
      const parsed = HealthReport.safeParse(raw);
      if (!parsed.success) {
        log.warn({ device: device.deviceId, code: 'bad-request', event: EVENTS.health }, 'malformed health report');
        return typeof ack === 'function' && ack({ ok: false, error: { code: 'bad-request', message: summarizeIssues(parsed.error), retry: false } });
      }
      const h = parsed.data;
      const now = new Date().toISOString();
      await db
        .run('UPDATE devices SET health = ?, health_at = ?, pending = ?, software = ?, robot = COALESCE(?, robot), last_seen = ? WHERE id = ?', [
          JSON.stringify(h.devices),
          now,
          h.pending,
          h.software ?? null,
          h.robot ? JSON.stringify(h.robot) : null,
          now,
          device.deviceId,
        ])
        .catch((err: Error) => log.error({ device: device.deviceId, err: err.message }, 'could not store health'));
      if (typeof ack === 'function') ack({ ok: true });
    });
  });
}
