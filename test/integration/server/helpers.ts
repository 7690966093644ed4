/** Shared pieces of the platform's integration tests: servers, staff sessions, kiosks, databases. */
import { freePort, startPostgres as startPostgresIn, startRedis as startRedisIn, type RestartableService } from '../../../cli/soak/local-services.ts';
import { afterAll, beforeAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { startServer, type RunningServer, type StartServerOptions } from '../../../server/app.ts';
import { Outbox } from '../../../electron/services/outbox.ts';
import { SyncClient } from '../../../electron/services/sync-client.ts';
import { enrollDevice } from '../../../electron/services/sync-credential.ts';
import { ConfigStore, loadConfigDir } from '../../../config/load.ts';
import type { HallConfig } from '../../../config/schema.ts';
import { vi } from 'vitest';
import { io as connectSocket, type Socket } from 'socket.io-client';

export const ADMIN = { username: 'admin', password: 'correct horse battery' };

const dirs: string[] = [];
export function tempDir(prefix = 'xj-test-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}
export function removeTempDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export { freePort };

let defaultConfig: HallConfig | null = null;
/** The bundled hall, loaded once per test file (it is large). */
export function hallConfig(): HallConfig {
  defaultConfig ??= loadConfigDir();
  return structuredClone(defaultConfig);
}

export async function testServer(extra: Partial<StartServerOptions> = {}): Promise<RunningServer> {
  return startServer({ port: 0, dataDir: tempDir(), logLevel: 'silent', seedAdmin: ADMIN, staticDir: join(tempDir(), 'no-build'), testTransactions: true, ...extra });
}

/** A hall ID key file (mode 0600) to hand to several platform nodes that share one database. */
export function idKeyFileFor(dir: string): string {
  const file = join(dir, 'id-key');
  writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
  return file;
}

/**
 * One platform and a signed-in admin for a whole test file, stopped after it. The returned
 * object is filled in before the first test runs.
 */
export function platformForFile(extra: Partial<StartServerOptions> = {}): { server: RunningServer; staff: Staff } {
  const h = {} as { server: RunningServer; staff: Staff };
  beforeAll(async () => {
    h.server = await testServer(extra);
    h.staff = await Staff.login(h.server.url);
  });
  afterAll(async () => {
    await h.server?.close();
    removeTempDirs();
  });
  return h;
}

export class Staff {
  constructor(
    readonly url: string,
    readonly token: string,
  ) {}

  static async login(url: string, who = ADMIN): Promise<Staff> {
    const res = await fetch(`${url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(who) });
    if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
    return new Staff(url, ((await res.json()) as { token: string }).token);
  }

  async call<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  async code(kind = 'kiosk', uses = 1, deviceId?: string): Promise<string> {
    const r = await this.call<{ code: string }>('POST', '/api/enrollment-codes', { kind, uses, deviceId });
    if (r.status !== 200) throw new Error(`code: ${JSON.stringify(r.body)}`);
    return r.body.code;
  }
}

export interface TestKiosk {
  deviceId: string;
  secret: string;
  dataDir: string;
  outbox: Outbox;
  client: SyncClient;
  config?: ConfigStore;
  close(): Promise<void>;
}

export async function kiosk(url: string, code: string, opts: { deviceId?: string; withConfig?: boolean; dataDir?: string; start?: boolean } = {}): Promise<TestKiosk> {
  const dataDir = opts.dataDir ?? tempDir('xj-kiosk-');
  const cred = await enrollDevice({ dataDir, url, code, kind: 'kiosk', deviceId: opts.deviceId });
  const outbox = new Outbox({ dataDir, backoffBaseMs: 50, backoffMaxMs: 1000 });
  const config = opts.withConfig ? new ConfigStore(hallConfig(), 1) : undefined;
  const client = new SyncClient({ url, credential: cred, outbox, config, reconnectDelayMs: 100, reconnectDelayMaxMs: 1000, ackTimeoutMs: 10_000 });
  if (opts.start !== false) client.start();
  return {
    deviceId: cred.deviceId,
    secret: cred.secret,
    dataDir,
    outbox,
    client,
    config,
    async close() {
      await client.stop();
      await outbox.close();
    },
  };
}

/**
 * vi.waitFor with what these tests need on top: it settles on any value the probe returns,
 * so a probe that answers "not yet" with false or undefined would pass at once; here only
 * a truthy answer counts, the failure names what was awaited, and the answer comes back.
 */
export function waitFor<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 20_000, everyMs = 50): Promise<NonNullable<T>> {
  return vi.waitFor(
    async () => {
      let answer: T;
      try {
        answer = await probe();
      } catch (err) {
        throw new Error(`timed out waiting for ${what} (last: ${(err as Error).message})`, { cause: err });
      }
      if (!answer) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(answer)})`);
      return answer;
    },
    { timeout: timeoutMs, interval: everyMs },
  );
}

export function online(client: SyncClient): Promise<void> {
  if (client.online) return Promise.resolve();
  return new Promise((resolve) => {
    const f = (v: boolean) => {
      if (v) {
        client.off('online', f);
        resolve();
      }
    };
    client.on('online', f);
  });
}

// ---------------------------------------------------------------- the platform as a child process

const ROOT = resolvePath(import.meta.dirname, '../../..');

export interface PlatformProcess {
  url: string;
  proc: ChildProcess;
  /** Resolves when the process has exited, with its exit code (null after a signal). */
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * `xiaojin server` in its own process, for tests where the platform must be able to die
 * (kill -9, or a crash the test is looking for) without taking the test runner with it.
 * `args` are extra command-line options; the port is chosen here unless given.
 */
export async function spawnPlatform(opts: { dataDir?: string; port?: number; args?: string[]; env?: NodeJS.ProcessEnv } = {}): Promise<PlatformProcess> {
  const dataDir = opts.dataDir ?? tempDir('xj-platform-');
  const port = opts.port ?? (await freePort());
  const args = ['bin/xiaojin.mjs', 'server', '--port', String(port), '--host', '127.0.0.1', '--data', dataDir, '--log-level', 'warn', '--admin-user', ADMIN.username, '--static', join(dataDir, 'none'), '--test-transactions', ...(opts.args ?? [])];
  const proc = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, XIAOJIN_ADMIN_PASSWORD: ADMIN.password, ...opts.env } });
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const onData = (c: Buffer) => {
      out += c.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m) {
        proc.stdout!.off('data', onData);
        proc.stdout!.resume();
        resolve(m[1]);
      }
    };
    proc.stdout!.on('data', onData);
    void exited.then((code) => reject(new Error(`platform exited before listening (${code})`)));
  });
  return {
    url,
    proc,
    exited,
    async kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill(signal);
      await exited;
    },
  };
}

// ---------------------------------------------------------------- PostgreSQL and Redis on loopback

export interface Service {
  url: string;
  stop(): Promise<void>;
}

/** A throwaway PostgreSQL cluster (cli/soak/local-services.ts) in a folder removed with the test's temp dirs. */
export async function startPostgres(): Promise<RestartableService> {
  return startPostgresIn(tempDir('xj-pg-'));
}

/** A fresh database on a running cluster, so tests do not see each other's rows. */
export async function createDatabase(clusterUrl: string, name: string): Promise<string> {
  const pg = (await import('pg')).default;
  const c = new pg.Client({ connectionString: clusterUrl });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  return clusterUrl.replace(/\/postgres$/, `/${name}`);
}

export type { RestartableService };

export async function startRedis(): Promise<RestartableService> {
  return startRedisIn(tempDir('xj-redis-'));
}

/** A device's socket to the platform, connected with its credential (no reconnection, so a test sees every drop). */
export async function deviceSocket(url: string, cred: { deviceId: string; secret: string }): Promise<Socket> {
  const socket = connectSocket(url, { transports: ['websocket'], auth: { deviceId: cred.deviceId, secret: cred.secret, protocol: 1 }, reconnection: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}
