/**
 * Staff accounts and sessions. A login answers with a random token, kept only as its
 * SHA-256; browsers carry it in an HttpOnly cookie, tools send it as a bearer token.
 * Roles: admin (everything), hall-manager (configuration, devices, follow-ups),
 * window-staff (the window terminal and read-only views).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { z } from 'zod';
import type { Db } from '../db/types.ts';
import { STAFF_ROLES, type StaffAccount, type StaffRole, type StaffUser } from '../../protocol/platform-http.ts';
import { HttpError, parse } from '../http.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { THROTTLE_MIGRATIONS, type LoginThrottle } from './throttle.ts';

export const SESSION_COOKIE = 'xj_session';
const SESSION_HOURS = 12;

export const STAFF_MIGRATIONS = [
  `CREATE TABLE staff_users (
     id TEXT PRIMARY KEY,
     username TEXT NOT NULL UNIQUE,
     display_name TEXT NOT NULL,
     role TEXT NOT NULL,
     password_hash TEXT NOT NULL,
     disabled INTEGER NOT NULL DEFAULT 0,
     created_at TEXT NOT NULL
   );
   CREATE TABLE staff_sessions (
     token_hash TEXT PRIMARY KEY,
     user_id TEXT NOT NULL REFERENCES staff_users(id),
     created_at TEXT NOT NULL,
     expires_at TEXT NOT NULL
   );
   CREATE INDEX staff_sessions_user ON staff_sessions (user_id);`,
  ...THROTTLE_MIGRATIONS,
];

const Role = z.enum(STAFF_ROLES as [StaffRole, ...StaffRole[]]);
const Username = z.string().regex(/^[A-Za-z0-9._-]{2,40}$/, '2–40 letters, digits, . _ -');
const Password = z.string().min(8, 'at least 8 characters').max(200);

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  role: StaffRole;
  password_hash: string;
  disabled: number | boolean;
}

const toUser = (r: UserRow): StaffUser => ({ id: r.id, username: r.username, displayName: r.display_name, role: r.role });

export async function createStaffUser(db: Db, input: { username: string; password: string; role: StaffRole; displayName?: string }): Promise<StaffUser> {
  const user: StaffUser = { id: randomUUID(), username: input.username, displayName: input.displayName ?? input.username, role: input.role };
  const hash = await hashPassword(input.password);
  const res = await db.run(
    'INSERT INTO staff_users (id, username, display_name, role, password_hash, disabled, created_at) VALUES (?, ?, ?, ?, ?, 0, ?) ON CONFLICT (username) DO NOTHING',
    [user.id, user.username, user.displayName, user.role, hash, new Date().toISOString()],
  );
  if (res.changes === 0) throw new HttpError('conflict', `user ${input.username} already exists`);
  return user;
}

function tokenOf(headers: IncomingHttpHeaders): string | null {
  const auth = headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim() || null;
  const cookie = headers.cookie;
  if (!cookie) return null;
  for (const part of cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return decodeURIComponent(part.slice(eq + 1).trim()) || null;
  }
  return null;
}

export interface StaffAuth {
  staffOf(request: FastifyRequest): Promise<StaffUser | null>;
  requireStaff(roles?: StaffRole[]): preHandlerHookHandler;
  staffOfHeaders(headers: IncomingHttpHeaders): Promise<StaffUser | null>;
}

export function staffAuth(db: Db): StaffAuth {
  const cache = new WeakMap<FastifyRequest, StaffUser | null>();
  async function staffOf(request: FastifyRequest): Promise<StaffUser | null> {
    if (cache.has(request)) return cache.get(request)!;
    const user = await staffOfHeaders(request.headers);
    cache.set(request, user);
    return user;
  }
  async function staffOfHeaders(headers: IncomingHttpHeaders): Promise<StaffUser | null> {
    const token = tokenOf(headers);
    let user: StaffUser | null = null;
    if (token && token.length <= 200) {
      const rows = await db.query<UserRow & { expires_at: string }>(
        `SELECT u.id, u.username, u.display_name, u.role, u.password_hash, u.disabled, s.expires_at
           FROM staff_sessions s JOIN staff_users u ON u.id = s.user_id WHERE s.token_hash = ?`,
        [sha256(token)],
      );
      const row = rows[0];
      if (row && !Number(row.disabled) && row.expires_at > new Date().toISOString()) user = toUser(row);
    }
    return user;
  }
  function requireStaff(roles?: StaffRole[]): preHandlerHookHandler {
    return async (request: FastifyRequest) => {
      const user = await staffOf(request);
      if (!user) throw new HttpError('unauthorized', 'sign in first');
      if (roles && roles.length && user.role !== 'admin' && !roles.includes(user.role)) throw new HttpError('forbidden', `this needs one of the roles: ${roles.join(', ')}`);
    };
  }
  return { staffOf, requireStaff, staffOfHeaders };
}

/**
 * Session cookies are Secure whenever the browser reached us over HTTPS: directly, or
 * through a trusted reverse proxy that said so (request.protocol honours trustProxy).
 */
const cookieFlags = (request: FastifyRequest) => `Path=/; HttpOnly; SameSite=Strict${request.protocol === 'https' ? '; Secure' : ''}`;

export function registerStaffRoutes(app: FastifyInstance, db: Db, auth: StaffAuth, throttle: LoginThrottle): void {
  const Login = z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) }).strict();

  app.post('/api/login', async (request, reply: FastifyReply) => {
    const body = parse(Login, request.body);
    const retryAfter = await throttle.lockedFor(body.username, request.ip);
    if (retryAfter > 0) {
      request.log.info({ code: 'rate-limited' }, 'staff login refused: locked out');
      reply.header('retry-after', String(retryAfter));
      throw new HttpError('rate-limited', `too many failed sign-ins; try again in ${Math.ceil(retryAfter / 60)} min or ask an administrator to unlock`);
    }
    const rows = await db.query<UserRow>('SELECT * FROM staff_users WHERE username = ?', [body.username]);
    const row = rows[0];
    // Verify against a dummy hash for unknown users so timing does not reveal who exists.
    const ok = await verifyPassword(body.password, row?.password_hash ?? DUMMY_HASH);
    if (!row || !ok || Number(row.disabled)) {
      request.log.info({ code: 'unauthorized' }, 'staff login refused');
      await throttle.failed(body.username, request.ip);
      throw new HttpError('unauthorized', 'wrong username or password');
    }
    await throttle.succeeded(body.username);
    const token = randomBytes(32).toString('base64url');
    const now = new Date();
    const expires = new Date(now.getTime() + SESSION_HOURS * 3600_000);
    await db.run('INSERT INTO staff_sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)', [sha256(token), row.id, now.toISOString(), expires.toISOString()]);
    await db.run('DELETE FROM staff_sessions WHERE expires_at < ?', [now.toISOString()]);
    reply.header(
      'set-cookie',
      `${SESSION_COOKIE}=${token}; ${cookieFlags(request)}; Max-Age=${SESSION_HOURS * 3600}`,
    );
    request.log.info({ staff: row.id, role: row.role }, 'staff signed in');
    return { token, user: toUser(row), expiresAt: expires.toISOString() };
  });

  app.post('/api/logout', async (request, reply) => {
    const token = tokenOf(request.headers);
    if (token) await db.run('DELETE FROM staff_sessions WHERE token_hash = ?', [sha256(token)]);
    reply.header('set-cookie', `${SESSION_COOKIE}=; ${cookieFlags(request)}; Max-Age=0`);
    return { ok: true };
  });

  app.get('/api/auth-audit', { preHandler: auth.requireStaff(['hall-manager']) }, async (request) => {
    const { limit } = parse(z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }), request.query, 'query');
    const rows = await db.query<{ at: string; event: string; username: string | null; address: string | null; actor: string | null; detail: string | null }>(
      'SELECT at, event, username, address, actor, detail FROM auth_audit ORDER BY at DESC LIMIT ?',
      [limit],
    );
    return { entries: rows, locks: await throttle.locks() };
  });

  const Unlock = z.union([z.object({ account: z.string().min(1).max(100) }).strict(), z.object({ address: z.string().min(1).max(100) }).strict()]);
  app.post('/api/login-locks/unlock', { preHandler: auth.requireStaff(['hall-manager']) }, async (request) => {
    const body = parse(Unlock, request.body);
    const staff = (await auth.staffOf(request))!;
    const unlocked = await throttle.unlock(body, staff.username);
    request.log.info({ staff: staff.id }, 'sign-in lock lifted');
    return { ok: true, unlocked };
  });

  app.get('/api/me', { preHandler: auth.requireStaff() }, async (request) => ({ user: await auth.staffOf(request) }));

  app.get('/api/staff', { preHandler: auth.requireStaff(['admin']) }, async () => {
    const rows = await db.query<UserRow & { created_at: string }>('SELECT * FROM staff_users ORDER BY username');
    return { users: rows.map((r): StaffAccount => ({ ...toUser(r), disabled: !!Number(r.disabled), createdAt: r.created_at })) };
  });

  const NewUser = z.object({ username: Username, password: Password, role: Role, displayName: z.string().min(1).max(100).optional() }).strict();
  app.post('/api/staff', { preHandler: auth.requireStaff(['admin']) }, async (request) => {
    const body = parse(NewUser, request.body);
    return { user: await createStaffUser(db, body) };
  });

  const Patch = z.object({ role: Role.optional(), password: Password.optional(), disabled: z.boolean().optional(), displayName: z.string().min(1).max(100).optional() }).strict();
  app.patch('/api/staff/:id', { preHandler: auth.requireStaff(['admin']) }, async (request) => {
    const { id } = parse(z.object({ id: z.string().uuid() }), request.params, 'path');
    const body = parse(Patch, request.body);
    const rows = await db.query<UserRow>('SELECT * FROM staff_users WHERE id = ?', [id]);
    if (!rows[0]) throw new HttpError('not-found', 'no such staff member');
    // An administrator who locks themselves out may leave the hall with none.
    const actor = (await auth.staffOf(request))!;
    if (actor.id === id && (body.disabled || (body.role && body.role !== 'admin'))) throw new HttpError('conflict', 'you cannot disable your own account or take away your own administrator role; another administrator can');
    await db.tx(async (t) => {
      if (body.role) await t.run('UPDATE staff_users SET role = ? WHERE id = ?', [body.role, id]);
      if (body.displayName) await t.run('UPDATE staff_users SET display_name = ? WHERE id = ?', [body.displayName, id]);
      if (body.password) await t.run('UPDATE staff_users SET password_hash = ? WHERE id = ?', [await hashPassword(body.password), id]);
      if (body.disabled !== undefined) await t.run('UPDATE staff_users SET disabled = ? WHERE id = ?', [body.disabled ? 1 : 0, id]);
      if (body.password || body.disabled) await t.run('DELETE FROM staff_sessions WHERE user_id = ?', [id]);
    });
    request.log.info({ staff: actor.id, changed: id, fields: Object.keys(body).filter((k) => k !== 'password') }, 'staff account changed');
    return { ok: true };
  });
}

const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
