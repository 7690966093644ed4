/**
 * Security headers on every answer of the platform and the kiosk host, the kiosk host's
 * WebSocket refusing pages of other origins, and the files holding secrets or personal
 * data written owner-only whatever the umask.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { composeTerminal, type KioskServices } from '../../../electron/services/kiosk-services.ts';
import { startKioskHost, type RunningHost } from '../../../electron/host/kiosk-host.ts';
import { createLogger } from '../../../electron/services/log.ts';
import { Outbox } from '../../../electron/services/outbox.ts';
import { enrollDevice } from '../../../electron/services/sync-credential.ts';
import type { RunningServer } from '../../../server/app.ts';
import { removeTempDirs, Staff, tempDir, testServer } from './helpers.ts';

const closers: (() => Promise<void>)[] = [];
let umask: number;

beforeAll(() => {
  // The widest umask: modes must come from the code, not the environment.
  umask = process.umask(0);
});

afterAll(async () => {
  process.umask(umask);
  for (const c of closers.reverse()) await c();
  removeTempDirs();
});

function expectSecurityHeaders(headers: Headers, what: string): void {
  expect(headers.get('content-security-policy'), what).toMatch(/frame-ancestors 'none'/);
  expect(headers.get('content-security-policy'), what).toMatch(/default-src 'self'/);
  expect(headers.get('x-frame-options'), what).toBe('DENY');
  expect(headers.get('x-content-type-options'), what).toBe('nosniff');
  expect(headers.get('referrer-policy'), what).toBe('no-referrer');
}

const mode = (file: string) => statSync(file).mode & 0o777;

describe('the platform', () => {
  let server: RunningServer;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = tempDir();
    server = await testServer({ dataDir, seedAdmin: undefined });
    closers.push(() => server.close());
  });

  it('sends the security headers on pages, API answers, errors and unknown routes', async () => {
    for (const path of ['/console/', '/api/health', '/api/devices', '/no-such-page', '/']) {
      const res = await fetch(`${server.url}${path}`, { redirect: 'manual' });
      expectSecurityHeaders(res.headers, path);
    }
  });

  it('writes central.db, its WAL and shared memory, and the initial admin file owner-only', async () => {
    const db = join(dataDir, 'central.db');
    for (const f of [db, `${db}-wal`, `${db}-shm`, join(dataDir, 'initial-admin.txt')]) {
      expect(existsSync(f), f).toBe(true);
      expect(mode(f), f).toBe(0o600);
    }
  });
});

describe('a kiosk', () => {
  it('keeps its credential and outbox owner-only', async () => {
    const server = await testServer();
    closers.push(() => server.close());
    const staff = await Staff.login(server.url);
    const dataDir = tempDir();
    await enrollDevice({ dataDir, url: server.url, code: await staff.code('kiosk'), kind: 'kiosk' });
    const outbox = new Outbox({ dataDir });
    closers.push(() => outbox.close());
    await outbox.append('rating', { level: 5 });
    for (const f of ['device-credential.json', 'outbox.db', 'outbox.db-wal']) expect(mode(join(dataDir, f)), f).toBe(0o600);
  });
});

describe('the kiosk host', () => {
  let services: KioskServices;
  let host: RunningHost;

  beforeAll(async () => {
    services = await composeTerminal({ kioskId: 'kiosk-1', dataDir: tempDir(), log: createLogger('it-host', 'silent') }, []);
    host = await startKioskHost(services, { port: 0, home: 'kiosk', staticDir: join(tempDir(), 'no-build') });
    closers.push(async () => {
      await host.close();
      await services.close();
    });
  });

  it('sends the security headers', async () => {
    for (const path of ['/healthz', '/kiosk/', '/']) expectSecurityHeaders((await fetch(`${host.url}${path}`, { redirect: 'manual' })).headers, path);
  });

  const upgrade = (origin?: string) =>
    new Promise<number | 'open'>((resolve) => {
      const ws = new WebSocket(`${host.url.replace('http', 'ws')}/api`, origin ? { origin } : {});
      ws.once('open', () => (ws.close(), resolve('open')));
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('error', () => {});
    });

  it('refuses a WebSocket opened by a page of another origin, and accepts its own pages', async () => {
    expect(await upgrade('http://evil.example')).toBe(403);
    expect(await upgrade(`http://evil.example:${new URL(host.url).port}`)).toBe(403);
    expect(await upgrade(host.url)).toBe('open');
    expect(await upgrade(host.url.replace('127.0.0.1', 'localhost'))).toBe('open');
  });
});
