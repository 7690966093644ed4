/**
 * The fault history end to end on both databases: a terminal built through the real root
 * records a printer fault, a screen crash and a cut link through its outbox; the platform
 * turns them into episodes and GET /api/console/faults shows them with their recovery.
 * On PostgreSQL, the platform's own lost database connections are an episode of 'central'.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { composeTerminal, type KioskServices } from '../../../electron/services/kiosk-services.ts';
import { syncPart } from '../../../electron/services/sync.ts';
import { screenFaultsPart } from '../../../electron/services/screen-faults.ts';
import { createLogger } from '../../../electron/services/log.ts';
import type { FaultEpisode, FaultHistoryAnswer } from '../../../protocol/platform-http.ts';
import type { RunningServer } from '../../../server/app.ts';
import { createDatabase, kiosk, removeTempDirs, Staff, startPostgres, tempDir, testServer, waitFor, type Service } from './helpers.ts';

let cluster: Service | undefined;
let databases = 0;

beforeAll(async () => {
  cluster = await startPostgres();
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
  removeTempDirs();
});

async function faults(staff: Staff, query = ''): Promise<FaultHistoryAnswer> {
  const res = await staff.call<FaultHistoryAnswer>('GET', `/api/console/faults${query}`);
  if (res.status !== 200) throw new Error(`faults: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

const recovered = (episodes: FaultEpisode[], terminal: string, device: string) => episodes.find((e) => e.terminal === terminal && e.device === device && e.recoveredAt);

describe.each(['sqlite', 'postgres'] as const)('fault history on %s', (kind) => {
  let server: RunningServer;
  let staff: Staff;
  let dbUrl: string | undefined;

  beforeAll(async () => {
    dbUrl = kind === 'postgres' ? await createDatabase(cluster!.url, `faults_${++databases}`) : undefined;
    server = await testServer({ db: dbUrl, localEnrollment: true, dbProbeMs: 200 });
    staff = await Staff.login(server.url);
  }, 60_000);

  afterAll(async () => {
    await server?.close();
  });

  it("records a terminal's printer fault, screen crash and cut link as episodes with their recovery", async () => {
    const k: KioskServices = await composeTerminal({ kioskId: 'kiosk-1', dataDir: tempDir('xj-faults-kiosk-'), centralUrl: server.url, log: createLogger('it-faults', 'silent') }, [
      syncPart({ localEnrollment: true, launcherToken: server.launcherToken, reconnectDelayMs: 50, reconnectDelayMaxMs: 300, linkFaultMinSeconds: 0 }),
      screenFaultsPart,
    ]);
    try {
      await waitFor('kiosk-1 online', () => k.get('central')?.online, 15_000);
      const tx = k.get('transactions');
      await tx.append('device-fault', { device: 'printer', kind: 'printer', state: 'faulty', paper: 'out', detail: '缺纸 (paper out)' });
      await tx.append('device-fault', { device: 'printer', kind: 'printer', state: 'ok', paper: 'ok' });

      const dog = k.context.watchdog;
      dog.beat('home');
      dog.crashed('renderer crashed');
      dog.reset();
      dog.beat('home');

      // The platform drops the kiosk's socket; the kiosk comes back by itself and reports the outage.
      const seen: boolean[] = [];
      const off = k.hub.on('kiosk.online', ({ online }) => void seen.push(online));
      server.ctx.io.in('device:kiosk-1').disconnectSockets(true);
      await waitFor('kiosk-1 offline and back', () => seen.join() === 'false,true', 15_000);
      off();

      const h = await waitFor('three recovered episodes', async () => {
        const a = await faults(staff);
        return ['printer', 'screen', 'central-link'].every((d) => recovered(a.episodes, 'kiosk-1', d)) ? a : null;
      });
      const printer = recovered(h.episodes, 'kiosk-1', 'printer')!;
      expect(printer).toMatchObject({ kind: 'printer', detail: '缺纸 (paper out)' });
      expect(printer.recoverSeconds).toBeGreaterThanOrEqual(0);
      expect(recovered(h.episodes, 'kiosk-1', 'screen')).toMatchObject({ kind: 'screen', detail: 'renderer crashed' });
      const link = recovered(h.episodes, 'kiosk-1', 'central-link')!;
      expect(link.kind).toBe('link');
      // Recorded once it was over: noticed when back, started when lost.
      expect(Date.parse(link.startedAt)).toBeLessThanOrEqual(Date.parse(link.recoveredAt!));
      expect(Date.parse(link.noticedAt)).toBeGreaterThanOrEqual(Date.parse(link.recoveredAt!));
      expect(h.days).toHaveLength(30);
      for (const device of ['printer', 'screen', 'central-link']) {
        const row = h.byDevice.find((r) => r.terminal === 'kiosk-1' && r.device === device)!;
        expect(row.perDay.at(-1)).toBe(1);
        expect(row.perDay.reduce((a, b) => a + b)).toBe(1);
      }
    } finally {
      await k.close();
    }
  });

  it("takes an older kiosk's device-fault records, and answers only signed-in staff", async () => {
    const old = await kiosk(server.url, await staff.code('kiosk', 1, 'kiosk-old'), { deviceId: 'kiosk-old' });
    try {
      await old.outbox.append('device-fault', { device: 'idcard', kind: 'idcard', state: 'absent' });
      await old.outbox.drained();
      const h = await faults(staff);
      expect(h.episodes.find((e) => e.terminal === 'kiosk-old')).toMatchObject({ device: 'idcard', kind: 'idcard', recoveredAt: null, recoverSeconds: null, detail: 'absent' });
    } finally {
      await old.close();
    }
    expect((await fetch(`${server.url}/api/console/faults`)).status).toBe(401);
    const bad = await staff.call('GET', '/api/console/faults?from=2026-12-05&to=2026-12-01');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/after/);
  });

  it.runIf(kind === 'postgres')("records the platform's lost database connections as a fault of 'central'", async () => {
    await faults(staff);
    const admin = new pg.Client({ connectionString: cluster!.url });
    await admin.connect();
    try {
      const name = new URL(dbUrl!).pathname.slice(1);
      // What a PostgreSQL restart does to the platform's open connections.
      const cut = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
      expect(cut.rowCount).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    const episode = await waitFor('a central database episode', async () => {
      const a = await faults(staff).catch(() => null);
      return a?.episodes.find((e) => e.terminal === 'central' && e.kind === 'database' && e.recoveredAt);
    });
    expect(episode.device).toBe(`database@${server.ctx.nodeId}`);
    expect(episode.detail).toMatch(/^database unreachable: /);
  });
});
