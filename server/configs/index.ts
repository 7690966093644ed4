/**
 * Configuration versions. Every staff edit or restore is a new, numbered version in the
 * database, validated by the same schemas the kiosks use. The node that makes it tells
 * its own kiosks (`config:available`) and the other nodes (`serverSideEmit`), which tell
 * theirs; a node that missed the word (Redis down) catches up from the database when
 * Redis returns, or at the latest on its poll. Kiosks fetch the body and report the version they run.
 * Bodies are stored gzip+base64, exactly as they are sent.
 */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import type { Db } from '../db/types.ts';
import type { EnrolledDevice, ServerContext } from '../context.ts';
import { ConfigError, upgradeStoredConfig, validateConfig } from '../../config/load.ts';
import type { HallConfig } from '../../config/schema.ts';
import { HttpError, parse } from '../http.ts';
import { ConfigApplied, ConfigFetch, EVENTS, summarizeIssues, type ConfigFetchAck } from '../../protocol/sync.ts';

export const CONFIG_MIGRATIONS = [
  `CREATE TABLE config_versions (
     version INTEGER PRIMARY KEY,
     body TEXT NOT NULL,
     sha256 TEXT NOT NULL,
     bytes INTEGER NOT NULL,
     created_at TEXT NOT NULL,
     created_by TEXT,
     note TEXT,
     restored_from INTEGER
   );`,
];

export interface EncodedConfig {
  body: string;
  sha256: string;
  bytes: number;
}

export function encodeConfig(config: HallConfig): EncodedConfig {
  const json = JSON.stringify(config);
  return { body: gzipSync(json).toString('base64'), sha256: createHash('sha256').update(json).digest('hex'), bytes: Buffer.byteLength(json) };
}

export function decodeConfig(body: string): unknown {
  return JSON.parse(gunzipSync(Buffer.from(body, 'base64')).toString('utf8'));
}

interface VersionRow {
  version: number;
  body: string;
  sha256: string;
  bytes: number;
  created_at: string;
  created_by: string | null;
  note: string | null;
  restored_from: number | null;
}

export async function latestVersion(db: Db): Promise<number> {
  const rows = await db.query<{ v: number | null }>('SELECT MAX(version) AS v FROM config_versions');
  return Number(rows[0]?.v ?? 0);
}

export async function readVersion(db: Db, version: number): Promise<VersionRow | null> {
  const rows = await db.query<VersionRow>('SELECT * FROM config_versions WHERE version = ?', [version]);
  return rows[0] ?? null;
}

/** Insert a validated configuration as the next version; concurrent writers on other nodes retry. */
export async function insertVersion(db: Db, config: HallConfig, meta: { createdBy?: string; note?: string; restoredFrom?: number; baseVersion?: number }): Promise<number> {
  const enc = encodeConfig(config);
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.tx(async (t) => {
        const current = await latestVersion(t);
        if (meta.baseVersion !== undefined && meta.baseVersion !== current) {
          throw new HttpError('conflict', `the configuration changed since version ${meta.baseVersion} (now ${current}); reload and edit again`, { currentVersion: current });
        }
        const version = current + 1;
        await t.run('INSERT INTO config_versions (version, body, sha256, bytes, created_at, created_by, note, restored_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
          version,
          enc.body,
          enc.sha256,
          enc.bytes,
          new Date().toISOString(),
          meta.createdBy ?? null,
          meta.note ?? null,
          meta.restoredFrom ?? null,
        ]);
        return version;
      });
    } catch (err) {
      if (err instanceof HttpError || attempt >= 5) throw err;
      const msg = (err as Error).message;
      if (!/unique|duplicate|constraint/i.test(msg)) throw err;
    }
  }
}

/** The configuration in force at start: the newest stored version, or `initial` as version 1. */
export async function bootstrapConfig(db: Db, initial: () => HallConfig): Promise<{ config: HallConfig; version: number }> {
  let version = await latestVersion(db);
  if (version === 0) {
    const config = initial();
    try {
      await db.run('INSERT INTO config_versions (version, body, sha256, bytes, created_at, created_by, note) VALUES (1, ?, ?, ?, ?, NULL, ?)', [
        ...Object.values(encodeConfig(config)),
        new Date().toISOString(),
        'initial configuration',
      ]);
    } catch (err) {
      // Another node inserted version 1 at the same moment; use the stored one.
      if (!/unique|duplicate|constraint/i.test((err as Error).message)) throw err;
    }
    version = await latestVersion(db);
  }
  const row = (await readVersion(db, version))!;
  const stored = upgradeStoredConfig(decodeConfig(row.body));
  const config = validateConfig(stored.value, `configuration version ${version}`);
  if (!stored.dropped.length) return { config, version };
  // Stored before the rule: the upgraded one becomes the newest version, so kiosks fetch
  // a config they accept and staff see in the version list what changed and why. A node
  // starting alongside with the same upgrade just adds an identical version.
  const upgraded = await insertVersion(db, config, {
    note: `upgraded version ${version}: removed ${stored.dropped.join(', ')} (an address phones cannot reach; no QR code until one is set)`,
    baseVersion: version,
  }).catch((err: unknown) => {
    if (err instanceof HttpError && err.code === 'conflict') return null;
    throw err;
  });
  return upgraded === null ? bootstrapConfig(db, initial) : { config, version: upgraded };
}

export function registerConfigs(ctx: ServerContext, opts: { pollMs?: number; clustered?: boolean } = {}): void {
  const { app, db, io, log } = ctx;
  let cached: { version: number; row: VersionRow } | null = null;

  async function rowFor(version: number): Promise<VersionRow | null> {
    if (cached?.version === version) return cached.row;
    const row = await readVersion(db, version);
    if (row && version === ctx.config.version) cached = { version, row };
    return row;
  }

  /**
   * Each node tells its own devices; the other nodes hear of a version through Redis, or
   * (Redis down) when it returns, or at the latest from the poll. Telling is keyed on the
   * version this node last announced, so whichever path brings a version tells once.
   */
  let told = ctx.config.version;
  function tellLocal(): void {
    if (ctx.config.version <= told) return;
    told = ctx.config.version;
    io.local.to('devices').emit(EVENTS.configAvailable, { version: told });
  }

  /** Bring this node's ConfigStore up to the newest stored version and tell its devices. */
  let refreshing: Promise<void> | null = null;
  function refresh(): Promise<void> {
    refreshing ??= (async () => {
      try {
        const latest = await latestVersion(db);
        if (latest > ctx.config.version) {
          const row = (await readVersion(db, latest))!;
          const err = ctx.config.apply(decodeConfig(row.body), latest, `configuration version ${latest}`);
          if (err) log.error({ version: latest }, 'stored configuration failed validation on this node');
          else log.info({ version: latest }, 'configuration version in force');
        }
        tellLocal();
      } finally {
        refreshing = null;
      }
    })();
    return refreshing;
  }

  function announce(version: number): void {
    tellLocal();
    // The in-memory adapter of a single node has no other nodes to tell.
    if (!opts.clustered) return;
    if (!ctx.redis?.ready()) {
      log.warn({ version }, 'redis is down: other nodes learn this version when it returns');
      return;
    }
    try {
      io.serverSideEmit('xj:config', version);
    } catch (err) {
      log.warn({ err: (err as Error).message, version }, 'could not tell the other nodes of a configuration version');
    }
  }

  io.on('xj:config', (version) => {
    refresh().catch((err: Error) => log.error({ err: err.message, version }, 'could not load configuration announced by another node'));
  });

  // Announcements sent while Redis was down are lost; the database has what they said.
  ctx.redis?.onReconnect(() => refresh());

  // A node that missed an announcement still converges.
  const poll = setInterval(() => {
    refresh().catch((err: Error) => log.warn({ err: err.message }, 'configuration poll failed'));
  }, opts.pollMs ?? 5000);
  poll.unref();
  ctx.onClose(() => clearInterval(poll));

  async function publish(config: unknown, meta: { createdBy: string; note?: string; restoredFrom?: number; baseVersion?: number }): Promise<number> {
    let valid: HallConfig;
    try {
      valid = validateConfig(config);
    } catch (err) {
      if (err instanceof ConfigError) throw new HttpError('invalid-config', 'the configuration is not valid', { problems: err.problems.slice(0, 50) });
      throw err;
    }
    const version = await insertVersion(db, valid, meta);
    ctx.config.apply(valid, version);
    cached = null;
    log.info({ version, staff: meta.createdBy, restoredFrom: meta.restoredFrom }, 'configuration version created');
    announce(version);
    return version;
  }

  app.get('/api/config', { preHandler: ctx.requireStaff() }, async () => ({ version: ctx.config.version, config: ctx.config.config }));

  app.get('/api/config/versions', { preHandler: ctx.requireStaff() }, async () => {
    const rows = await db.query<Omit<VersionRow, 'body'> & { username: string | null }>(
      `SELECT v.version, v.sha256, v.bytes, v.created_at, v.note, v.restored_from, u.username
         FROM config_versions v LEFT JOIN staff_users u ON u.id = v.created_by ORDER BY v.version DESC LIMIT 200`,
    );
    const running = await db.query<{ config_version: number; n: number }>('SELECT config_version, COUNT(*) AS n FROM devices WHERE revoked_at IS NULL GROUP BY config_version');
    const runningBy = new Map(running.map((r) => [Number(r.config_version), Number(r.n)]));
    return {
      current: ctx.config.version,
      versions: rows.map((r) => ({
        version: Number(r.version),
        sha256: r.sha256,
        bytes: Number(r.bytes),
        createdAt: r.created_at,
        createdBy: r.username,
        note: r.note,
        restoredFrom: r.restored_from === null ? null : Number(r.restored_from),
        devices: runningBy.get(Number(r.version)) ?? 0,
      })),
    };
  });

  const VersionParam = z.object({ version: z.coerce.number().int().positive() });
  app.get('/api/config/versions/:version', { preHandler: ctx.requireStaff() }, async (request) => {
    const { version } = parse(VersionParam, request.params, 'path');
    const row = await readVersion(db, version);
    if (!row) throw new HttpError('not-found', `no configuration version ${version}`);
    return { version, config: decodeConfig(row.body) };
  });

  const Publish = z.object({ config: z.unknown(), baseVersion: z.number().int().positive().optional(), note: z.string().max(500).optional() }).strict();
  app.post('/api/config', { preHandler: ctx.requireStaff(['hall-manager']), bodyLimit: 32 * 1024 * 1024 }, async (request) => {
    const body = parse(Publish, request.body);
    const staff = (await ctx.staffOf(request))!;
    const version = await publish(body.config, { createdBy: staff.id, note: body.note, baseVersion: body.baseVersion });
    return { version };
  });

  const Restore = z.object({ version: z.number().int().positive(), note: z.string().max(500).optional() }).strict();
  app.post('/api/config/restore', { preHandler: ctx.requireStaff(['hall-manager']) }, async (request) => {
    const body = parse(Restore, request.body);
    const row = await readVersion(db, body.version);
    if (!row) throw new HttpError('not-found', `no configuration version ${body.version}`);
    const staff = (await ctx.staffOf(request))!;
    const version = await publish(upgradeStoredConfig(decodeConfig(row.body)).value, { createdBy: staff.id, note: body.note ?? `restored version ${body.version}`, restoredFrom: body.version });
    return { version, restoredFrom: body.version };
  });

  ctx.onDeviceSocket((socket, device: EnrolledDevice) => {
    socket.on(EVENTS.configFetch, async (raw: unknown, ack?: (r: unknown) => void) => {
      if (typeof ack !== 'function') return;
      const parsed = ConfigFetch.safeParse(raw ?? {});
      if (!parsed.success) return ack({ ok: false, error: { code: 'bad-request', message: summarizeIssues(parsed.error), retry: false } });
      try {
        await refresh();
        const version = parsed.data.version ?? ctx.config.version;
        const row = await rowFor(version);
        if (!row) return ack({ ok: false, error: { code: 'not-found', message: `no configuration version ${version}`, retry: false } });
        ack({ ok: true, version, sha256: row.sha256, encoding: 'gzip+base64', body: row.body } satisfies ConfigFetchAck);
      } catch (err) {
        log.error({ device: device.deviceId, err: (err as Error).message }, 'config fetch failed');
        ack({ ok: false, error: { code: 'internal', message: 'could not read the configuration', retry: true } });
      }
    });
    socket.on(EVENTS.configApplied, async (raw: unknown, ack?: (r: unknown) => void) => {
      const parsed = ConfigApplied.safeParse(raw);
      if (!parsed.success) {
        log.warn({ device: device.deviceId, code: 'bad-request', event: EVENTS.configApplied }, 'malformed config report');
        return typeof ack === 'function' && ack({ ok: false, error: { code: 'bad-request', message: summarizeIssues(parsed.error), retry: false } });
      }
      const r = parsed.data;
      if (r.ok) await db.run('UPDATE devices SET config_version = ?, config_error = NULL, last_seen = ? WHERE id = ?', [r.version, new Date().toISOString(), device.deviceId]);
      else await db.run('UPDATE devices SET config_error = ? WHERE id = ?', [`version ${r.version}: ${r.error ?? 'refused'}`.slice(0, 2000), device.deviceId]);
      log.info({ device: device.deviceId, version: r.version, ok: r.ok }, 'device reported its configuration');
      if (typeof ack === 'function') ack({ ok: true });
    });
  });
}
