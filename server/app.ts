/**
 * The central platform: one HTTP server carrying fastify (the API and the staff pages)
 * and socket.io (the kiosks). startServer builds the ServerContext, brings the storage
 * schema up to date, makes the stored configuration the one in force (the folder's
 * configuration becomes version 1 on first start), registers the modules and listens.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { Server as IoServer, type Socket } from 'socket.io';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { connectRedis, type RedisLink } from './cluster/redis-link.ts';
import { registerReady } from './cluster/ready.ts';
import type { AppliedTransaction, EnrolledDevice, PlatformIo, ServerContext } from './context.ts';
import type { Db } from './db/types.ts';
import { openDb } from './db/open.ts';
import { createLogger } from './log.ts';
import { clientErrorHandler, frameworkErrors, installErrorHandler, installRequestBounds } from './http.ts';
import { addSecurityHeaders } from '../common/security-headers.ts';
import { OWNER_ONLY, restrictToOwner } from '../common/private-files.ts';
import { ConfigStore, loadConfigDir } from '../config/load.ts';
import { STAFF_MIGRATIONS, createStaffUser, registerStaffRoutes, staffAuth } from './staff/index.ts';
import { LoginThrottle, type ThrottlePolicy } from './staff/throttle.ts';
import { DEVICE_MIGRATIONS, authenticate, AuthError, registerDevices, enrollLocal } from './devices/index.ts';
import { issueLauncherToken } from './devices/launcher-token.ts';
import { CONFIG_MIGRATIONS, bootstrapConfig, registerConfigs } from './configs/index.ts';
import { TRANSACTION_MIGRATIONS, type TxHandler } from './sync/ingest.ts';
import { registerSync } from './sync/index.ts';
import { registerConsoleApi } from './console/index.ts';
import { ROBOT_COMMAND_MIGRATIONS, registerRobotCommands } from './robots/commands.ts';
import { registerFaults } from './faults/index.ts';
import { registerRobotHistory } from './robots/history.ts';
import { registerStatic } from './static.ts';
import { registerQueue } from './queue/index.ts';
import { registerCases } from './cases/index.ts';
import { registerHelp } from './help/index.ts';
import { DATASHARE_MIGRATIONS, registerDataShare, type DataShareOption } from './datashare/index.ts';
import { guardDeviceSocket } from './socket-guard.ts';
import { LIMITS, type TransactionTypes } from '../protocol/sync.ts';
import { HttpError } from './http.ts';
import { loadIdKey } from './keys.ts';
import { loadSigningKey } from './certificates/signing-key.ts';
import { registerCertificates } from './certificates/index.ts';
import { registerPending } from './pending/index.ts';
import { runClosers, type Closer } from '../common/closers.ts';

export { enrollLocal };

export const DEFAULT_STATIC_DIR = resolve(fileURLToPath(new URL('../dist/renderer', import.meta.url)));

export interface StartServerOptions {
  port: number;
  host?: string;
  dataDir: string;
  /** SQLite file path (default dataDir/central.db) or a postgres:// URL. */
  db?: string;
  /** How often a PostgreSQL platform checks its database for the fault history, ms (default 5 s). */
  dbProbeMs?: number;
  /** redis:// URL: enables the Redis Streams adapter so several nodes share their sockets. */
  redis?: string;
  configDir?: string;
  /** Built renderer to serve (default dist/renderer). */
  staticDir?: string;
  logLevel?: string;
  /** Creates this admin account if no account of that name exists. */
  seedAdmin?: { username: string; password: string };
  /** Opens POST /api/enroll/local to loopback callers: the one-machine hall enrols its own kiosk and robot. */
  localEnrollment?: boolean;
  nodeId?: string;
  /** How often a node re-reads the newest configuration version in case it missed an announcement. */
  configPollMs?: number;
  /** Serve HTTPS and WSS with this PEM certificate chain and key. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /**
   * Reverse-proxy mode: addresses (or CIDR ranges) of the proxies whose X-Forwarded-For and
   * X-Forwarded-Proto are believed; request.ip and request.protocol then describe the client.
   */
  trustProxy?: string[];
  /** Sign-in throttling (failures before a lockout, lock lengths); defaults in staff/throttle.ts. */
  loginThrottle?: Partial<ThrottlePolicy>;
  /** The ID key file (else XIAOJIN_ID_KEY_FILE, else dataDir/keys/id-key, made on first start); every node of a cluster needs the same one. */
  idKeyFile?: string;
  /** The certificate signing key file (else XIAOJIN_CERT_KEY_FILE, else dataDir/keys/certificate-signing.pem, made on first start); every node needs the same one. */
  certificateKeyFile?: string;
  /** The address citizens reach this platform at, for the verify page's QR codes (default: the address it listens on). */
  publicUrl?: string;
  /** Accept test.* transaction types, stored unchecked: for the platform's own tests only. */
  testTransactions?: boolean;
  /** Payload schemas by transaction type, the same the kiosks are given (default: the standard types). */
  transactionTypes?: TransactionTypes;
  /** Batch commits run at once on PostgreSQL (default 4; SQLite always 1). */
  commitStreams?: number;
  /** The province's data-sharing gateway (its URL and limits, or an adapter); without it records queries are refused. */
  dataShare?: DataShareOption;
}

export interface RunningServer {
  url: string;
  ctx: ServerContext;
  /** With localEnrollment: this start's token for POST /api/enroll/local (also in dataDir/launcher-token). */
  launcherToken?: string;
  close(): Promise<void>;
}

export async function startServer(opts: StartServerOptions): Promise<RunningServer> {
  const dataDir = resolve(opts.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const nodeId = opts.nodeId ?? `node-${randomBytes(3).toString('hex')}`;
  const log = createLogger(opts.logLevel ?? 'info', nodeId, opts.nodeId);
  const closers: Closer[] = [];
  const stopAll = () => runClosers(closers, (err) => log.error({ err: err.message }, 'error while stopping'));

  let db: Db | undefined;
  try {
    db = openDb(opts.db, dataDir);
    const openedDb = db;
    closers.push(() => openedDb.close());
    await db.migrate('staff', STAFF_MIGRATIONS);
    await db.migrate('devices', DEVICE_MIGRATIONS);
    await db.migrate('configs', CONFIG_MIGRATIONS);
    await db.migrate('sync', TRANSACTION_MIGRATIONS);
    await db.migrate('robots', ROBOT_COMMAND_MIGRATIONS);
    await db.migrate('datashare', DATASHARE_MIGRATIONS);
    const idKey = await loadIdKey(db, { dataDir, idKeyFile: opts.idKeyFile, log });
    const signingKey = loadSigningKey({ dataDir, file: opts.certificateKeyFile, log });
    const boot = await bootstrapConfig(db, () => loadConfigDir(opts.configDir));
    const config = new ConfigStore(boot.config, boot.version);

    const app = Fastify({
      loggerInstance: log,
      logController: new LogController({ disableRequestLogging: true }),
      bodyLimit: 1024 * 1024,
      trustProxy: opts.trustProxy?.length ? opts.trustProxy : false,
      frameworkErrors,
      clientErrorHandler,
      ...(opts.tls ? { https: { cert: opts.tls.cert, key: opts.tls.key } } : {}),
    }) as unknown as FastifyInstance;
    installErrorHandler(app);
    installRequestBounds(app);
    addSecurityHeaders(app);

    const io: PlatformIo = new IoServer(app.server, {
      maxHttpBufferSize: LIMITS.maxFrameBytes,
      pingInterval: 10_000,
      pingTimeout: 10_000,
      serveClient: false,
    });
    let redis: RedisLink | undefined;
    if (opts.redis) {
      const link = await connectRedis(opts.redis, log);
      redis = link;
      closers.push(() => link.close());
      io.adapter(createAdapter(link.adapterClient));
    }
    closers.push(
      () =>
        new Promise<void>((r) => {
          io.close(() => r());
        }),
    );

    const handlers = new Map<string, TxHandler[]>();
    const socketHandlers: ((socket: Socket, device: EnrolledDevice) => void)[] = [];
    const auth = staffAuth(db);
    const ctx: ServerContext = {
      app,
      io,
      db,
      log,
      config,
      nodeId,
      idKey,
      redis,
      requireStaff: auth.requireStaff,
      staffOf: auth.staffOf,
      staffOfHeaders: auth.staffOfHeaders,
      onTransaction(type: string, handler: (tx: AppliedTransaction, db: Db) => Promise<void>) {
        handlers.set(type, [...(handlers.get(type) ?? []), handler]);
      },
      onDeviceSocket(handler) {
        socketHandlers.push(handler);
      },
      onClose(fn) {
        closers.push(fn);
      },
    };

    if (opts.seedAdmin) {
      try {
        await createStaffUser(db, { ...opts.seedAdmin, role: 'admin', displayName: 'Administrator' });
      } catch (err) {
        if (!(err instanceof HttpError && err.code === 'conflict')) throw err;
      }
    } else {
      await ensureSomeAdmin(db, dataDir, log);
    }

    io.use((socket, next) => {
      authenticate(ctx.db, socket.handshake.auth)
        .then((device) => {
          socket.data.device = device;
          next();
        })
        .catch((err: unknown) => {
          const e = err instanceof AuthError ? err : new AuthError('internal', 'the platform could not check the credential');
          if (!(err instanceof AuthError)) log.error({ err: (err as Error).message }, 'handshake check failed');
          log.warn({ code: e.data.code, address: socket.handshake.address }, 'device connection refused');
          next(e);
        });
    });
    io.on('connection', (socket) => {
      const { device } = socket.data;
      guardDeviceSocket(socket, device, ctx);
      socket.join(['devices', `device:${device.deviceId}`, `hall:${device.hallId}`]);
      log.info({ device: device.deviceId, kind: device.kind, socket: socket.id }, 'device connected');
      for (const h of socketHandlers) h(socket, device);
      socket.on('disconnect', (reason) => {
        log.info({ device: device.deviceId, reason }, 'device disconnected');
        ctx.db.run('UPDATE devices SET last_seen = ? WHERE id = ?', [new Date().toISOString(), device.deviceId]).catch(() => {});
      });
    });

    registerStaffRoutes(app, db, auth, new LoginThrottle(db, opts.loginThrottle));
    const launcherToken = opts.localEnrollment ? issueLauncherToken(dataDir) : undefined;
    registerDevices(ctx, { localEnrollment: opts.localEnrollment, launcherToken });
    registerConfigs(ctx, { pollMs: opts.configPollMs, clustered: !!opts.redis });
    registerSync(ctx, (type) => handlers.get(type) ?? [], { testTypes: opts.testTransactions, commitStreams: opts.commitStreams, types: opts.transactionTypes });
    registerConsoleApi(ctx);
    registerRobotCommands(ctx);
    registerRobotHistory(ctx);
    await registerFaults(ctx, { dbProbeMs: opts.dbProbeMs });
    app.get('/api/health', async () => ({ ok: true, nodeId, db: ctx.db.kind, configVersion: ctx.config.version, redis: !!opts.redis }));
    registerReady(app, { db, redis, nodeId });
    await registerQueue(ctx);
    // After the queue: a case reads the pseudonym off the queue's tickets.
    await registerCases(ctx);
    await registerHelp(ctx);
    await registerPending(ctx);
    registerDataShare(ctx, opts.dataShare);
    let listeningUrl = '';
    await registerCertificates(ctx, { key: signingKey, publicUrl: () => (opts.publicUrl ?? listeningUrl).replace(/\/$/, '') });
    const staticDir = resolve(opts.staticDir ?? DEFAULT_STATIC_DIR);
    const served = await registerStatic(app, staticDir);
    if (!served) log.warn({ staticDir }, 'no built renderer: pages answer 503 until `npm run build`');

    closers.push(() => app.close());
    const host = opts.host ?? '127.0.0.1';
    const exposed = plainHttpWarning(host, opts);
    if (exposed) log.warn({ host }, exposed);
    await app.listen({ port: opts.port, host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : opts.port;
    const url = `${opts.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
    listeningUrl = url;
    log.info({ url, db: db.kind, configVersion: config.version, redis: !!opts.redis }, 'central platform listening');

    let closing: Promise<void> | null = null;
    return {
      url,
      ctx,
      launcherToken,
      close: () => (closing ??= stopAll()),
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/**
 * Passwords, session cookies and device secrets cross the network: listening beyond this
 * machine without TLS and without a TLS-terminating proxy in front sends them in clear.
 */
export function plainHttpWarning(host: string, opts: Pick<StartServerOptions, 'tls' | 'trustProxy'>): string | null {
  if (opts.tls || opts.trustProxy?.length || LOOPBACK.test(host)) return null;
  return `WARNING: listening on ${host} over plain HTTP: staff passwords, session cookies and device secrets travel in clear. Use --tls-cert/--tls-key, or --trust-proxy behind a TLS-terminating proxy, or --host 127.0.0.1.`;
}

/**
 * A platform nobody can sign in to is useless: with no account at all, make an admin
 * with a random password and leave it in a file only root can read, never in the log.
 */
async function ensureSomeAdmin(db: Db, dataDir: string, log: ReturnType<typeof createLogger>): Promise<void> {
  const rows = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM staff_users');
  if (Number(rows[0]?.n ?? 0) > 0) return;
  const password = randomBytes(12).toString('base64url');
  try {
    await createStaffUser(db, { username: 'admin', password, role: 'admin', displayName: 'Administrator' });
  } catch (err) {
    if (err instanceof HttpError && err.code === 'conflict') return;
    throw err;
  }
  const file = join(dataDir, 'initial-admin.txt');
  writeFileSync(file, `username: admin\npassword: ${password}\n`, { mode: OWNER_ONLY });
  restrictToOwner(file);
  log.warn({ file }, 'created the first admin account; its password is in this file');
}

