/**
 * Enrollment under attack and under races: a one-use code raced by twenty requests over
 * two nodes on one PostgreSQL, the same device id raced, revocation that a device cannot
 * undo with its old code or secret, and the loopback enrollment that takes over nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { RunningServer } from '../../../server/app.ts';
import { composeTerminal, type KioskServices } from '../../../electron/services/kiosk-services.ts';
import { syncPart } from '../../../electron/services/sync.ts';
import { createLogger } from '../../../electron/services/log.ts';
import { createDatabase, idKeyFileFor, removeTempDirs, Staff, startPostgres, tempDir, testServer, waitFor, type Service } from './helpers.ts';

const secret = () => randomBytes(32).toString('base64url');

async function enrol(url: string, body: { code: string; secret: string; deviceId?: string; kind?: string }): Promise<{ status: number; body: { error: { code: string; message: string } } & Record<string, unknown> }> {
  const res = await fetch(`${url}/api/enroll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'kiosk', ...body }) });
  return { status: res.status, body: await res.json() };
}

async function localEnrol(url: string, body: Record<string, unknown>, token?: string): Promise<{ status: number; body: { error: { code: string; message: string } } & Record<string, unknown> }> {
  const res = await fetch(`${url}/api/enroll/local`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { 'x-xiaojin-launcher': token }) },
    body: JSON.stringify({ kind: 'kiosk', ...body }),
  });
  return { status: res.status, body: await res.json() };
}

afterAll(() => removeTempDirs());

describe('on two nodes sharing PostgreSQL', () => {
  let postgres: Service;
  let dbUrl: string;
  let nodes: RunningServer[] = [];
  let staff: Staff;

  beforeAll(async () => {
    postgres = await startPostgres();
    dbUrl = await createDatabase(postgres.url, 'enrol_race');
    const idKeyFile = idKeyFileFor(tempDir());
    nodes = [await testServer({ db: dbUrl, nodeId: 'n1', idKeyFile }), await testServer({ db: dbUrl, nodeId: 'n2', idKeyFile })];
    staff = await Staff.login(nodes[0].url);
  });

  afterAll(async () => {
    for (const n of nodes) await n.close();
    await postgres?.stop();
  });

  async function usesLeft(hint: string): Promise<number> {
    const c = new pg.Client({ connectionString: dbUrl });
    await c.connect();
    try {
      return Number((await c.query('SELECT uses_left FROM enrollment_codes WHERE hint = $1', [hint])).rows[0].uses_left);
    } finally {
      await c.end();
    }
  }

  it('lets exactly one of twenty simultaneous enrolments use a one-use code', async () => {
    const code = await staff.code('kiosk', 1);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => enrol(nodes[i % 2].url, { code, secret: secret(), deviceId: `race-${i}` })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 410)).toHaveLength(19);
    expect(await usesLeft(code.slice(-4))).toBe(0);
  });

  it('answers the losers of a race for one device id with 409, never 500', async () => {
    const code = await staff.code('kiosk', 20);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => enrol(nodes[i % 2].url, { code, secret: secret(), deviceId: 'same-id' })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(9);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.error.code).toBe('conflict');
    expect(await usesLeft(code.slice(-4))).toBe(19);
  });
});

describe('on SQLite with local enrollment open', () => {
  let server: RunningServer;
  let staff: Staff;

  beforeAll(async () => {
    server = await testServer({ localEnrollment: true });
    staff = await Staff.login(server.url);
  });

  afterAll(async () => {
    await server?.close();
  });

  describe('revocation and local enrollment', () => {
    const deviceRow = async (id: string) => (await staff.call('GET', '/api/devices')).body.devices.find((d: { id: string }) => d.id === id);

    it('keeps a revoked device out through its old code and its old secret', async () => {
      const code = await staff.code('kiosk', 10);
      const old = secret();
      expect((await enrol(server.url, { code, secret: old, deviceId: 'kiosk-rev' })).status).toBe(200);
      expect((await staff.call('POST', '/api/devices/kiosk-rev/revoke')).status).toBe(200);

      // The old multi-use code, with the old secret or a fresh one: refused.
      expect((await enrol(server.url, { code, secret: old, deviceId: 'kiosk-rev' })).status).toBe(403);
      expect((await enrol(server.url, { code, secret: secret(), deviceId: 'kiosk-rev' })).status).toBe(403);
      // A code made before the revocation for this very id does not help either.
      expect((await deviceRow('kiosk-rev')).revoked).toBe(true);

      // Staff make a new code for this device: the old secret is still refused, a new one passes.
      const fresh = await staff.code('kiosk', 1, 'kiosk-rev');
      const reused = await enrol(server.url, { code: fresh, secret: old });
      expect(reused.status).toBe(403);
      expect(reused.body.error.message).toMatch(/new secret/);
      expect((await enrol(server.url, { code: fresh, secret: secret() })).status).toBe(200);
      expect((await deviceRow('kiosk-rev')).revoked).toBe(false);
    });

    it('does not re-enrol a revoked device with a code for its id made before the revocation', async () => {
      const early = await staff.code('kiosk', 5, 'kiosk-early');
      expect((await enrol(server.url, { code: early, secret: secret() })).status).toBe(200);
      expect((await staff.call('POST', '/api/devices/kiosk-early/revoke')).status).toBe(200);
      expect((await enrol(server.url, { code: early, secret: secret() })).status).toBe(403);
    });

    it('refuses local enrollment without the launcher token, and never takes over an enrolled device', async () => {
      const token = server.launcherToken!;
      expect(token).toBeTruthy();
      const none = await localEnrol(server.url, { deviceId: 'kiosk-local' });
      expect(none.status).toBe(401);
      expect((await localEnrol(server.url, { deviceId: 'kiosk-local' }, 'wrong')).status).toBe(401);
      const first = await localEnrol(server.url, { deviceId: 'kiosk-local' }, token);
      expect(first.status).toBe(200);

      // Someone on this machine asking again for the same id gets 409, with or without the token.
      const again = await localEnrol(server.url, { deviceId: 'kiosk-local' }, token);
      expect(again.status).toBe(409);
      expect(again.body.error.message).toMatch(/already enrolled/);
      expect((await localEnrol(server.url, { deviceId: 'kiosk-local', replace: true })).status).toBe(401);

      // A device enrolled with a code by staff is not taken over either.
      const code = await staff.code('kiosk', 1, 'kiosk-staffed');
      expect((await enrol(server.url, { code, secret: secret() })).status).toBe(200);
      expect((await localEnrol(server.url, { deviceId: 'kiosk-staffed' }, token)).status).toBe(409);

      // A revoked device stays revoked even for the launcher.
      expect((await staff.call('POST', '/api/devices/kiosk-local/revoke')).status).toBe(200);
      expect((await localEnrol(server.url, { deviceId: 'kiosk-local', replace: true }, token)).status).toBe(403);
    });
  });

  describe('the one-machine hall enrolling its own kiosk', () => {
    const startKiosk = (dataDir: string): Promise<KioskServices> =>
      composeTerminal({ kioskId: 'kiosk-1', dataDir, centralUrl: server.url, log: createLogger('it-enrol', 'silent') }, [
        syncPart({ localEnrollment: true, launcherToken: server.launcherToken, reconnectDelayMs: 50, reconnectDelayMaxMs: 500 }),
      ]);

    async function runOnce(dataDir: string): Promise<void> {
      const k = await startKiosk(dataDir);
      try {
        await waitFor('kiosk-1 online', () => k.get('central')?.online, 15_000);
      } finally {
        await k.close();
      }
    }

    it('starts twice on its stored credential and recovers a lost credential file through the launcher', async () => {
      const dataDir = tempDir('xj-hall-kiosk-');
      await runOnce(dataDir);
      const enrolledAt = (await staff.call('GET', '/api/devices')).body.devices.find((d: { id: string }) => d.id === 'kiosk-1').enrolledAt;
      await runOnce(dataDir);
      // The second start used the stored credential: no new enrolment.
      expect((await staff.call('GET', '/api/devices')).body.devices.find((d: { id: string }) => d.id === 'kiosk-1').enrolledAt).toBe(enrolledAt);
      rmSync(join(dataDir, 'device-credential.json'));
      await runOnce(dataDir);
    });
  });
});
