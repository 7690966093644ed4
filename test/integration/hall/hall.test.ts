/**
 * The one-machine hall as `npm start` wires it, without a browser: the kiosk enrols with
 * the central platform, reports its devices' health, records device faults and sign-ins
 * as transactions that reach the platform, takes a configuration change live, and after
 * a restart resumes with its credential, its configuration version and every
 * transaction it had not yet sent.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RobotHealth } from '../../../protocol/sync.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHall, type RunningHall } from '../../../cli/hall.ts';
import { createLogger } from '../../../electron/services/log.ts';

let dataDir: string;
let hall: RunningHall;
let token: string;

interface DeviceRow {
  id: string;
  online: boolean;
  configVersion: number;
  health: { id: string; kind: string; state: string; paper?: string }[];
  robot: RobotHealth | null;
}

async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(`${hall.urls.central}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers },
  });
  const body = (await res.json()) as T;
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${JSON.stringify(body)}`);
  return body;
}

async function sim(path: string, body: unknown): Promise<void> {
  const res = await fetch(`${new URL(hall.urls.kiosk).origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.ok, `${path} answered ${res.status}`).toBe(true);
}

async function login(): Promise<void> {
  const file = readFileSync(hall.adminPasswordFile, 'utf8');
  const password = /password: (\S+)/.exec(file)![1];
  const res = await fetch(`${hall.urls.central}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
  token = ((await res.json()) as { token: string }).token;
}

const kioskRow = async () => (await api<{ devices: DeviceRow[] }>('/api/devices')).devices.find((d) => d.id === 'kiosk-1');
const txOf = async (type: string) => (await api<{ transactions: { deviceId: string; payload: Record<string, unknown> }[] }>(`/api/transactions?type=${type}&limit=500`)).transactions;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'xj-hall-'));
  hall = await startHall({ dataDir, ports: { central: 0, kiosk: 0, robot: 0 }, log: createLogger('it-hall', 'silent') });
  await login();
});

afterAll(async () => {
  await hall?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('the one-machine hall', () => {
  it('enrols kiosk and robot and shows their device health at the platform', async () => {
    await expect
      .poll(async () => {
        const row = await kioskRow();
        return row?.online && row.health.map((h) => `${h.kind}:${h.state}`).sort().join(',');
      }, { timeout: 15_000 })
      .toBe('idcard:ok,printer:ok,scanner:ok');
    const robot = (await api<{ devices: DeviceRow[] }>('/api/devices')).devices.find((d) => d.id === 'robot-1');
    expect(robot?.online).toBe(true);
    // The hall's ID-number key reached the kiosk over its authenticated link, and only there.
    const secret = hall.central.ctx.idKey.secret;
    expect(hall.kiosk.get('central')?.idKeySecret()).toBe(secret);
  });

  it('shows the robot on its simulated base at the platform: state, battery and position, live', async () => {
    const robotRow = async () => (await api<{ devices: DeviceRow[] }>('/api/devices')).devices.find((d) => d.id === 'robot-1')?.robot ?? null;
    // On npm start the robot leaves its charged dock for its post by itself.
    await expect.poll(async () => (await robotRow())?.state, { timeout: 30_000 }).toBe('at-post');
    const row = await robotRow();
    expect(row).toMatchObject({ floor: 'F1', charging: false, reason: null });
    expect(row!.battery).toBeGreaterThan(90);
    expect(Math.hypot(row!.position!.x - 50, row!.position!.y - 16)).toBeLessThan(2);
    // An emergency stop at the robot reaches the console as the robot's state.
    expect(await hall.robot.router.dispatch('robot.estop', {})).toMatchObject({ ok: true });
    await expect.poll(async () => (await robotRow())?.state, { timeout: 15_000 }).toBe('stopped');
    expect(await hall.robot.router.dispatch('robot.resume', {})).toMatchObject({ ok: true });
  });

  it('reports paper out as health and as a device-fault transaction', async () => {
    await sim('/sim/printer/paper', { lines: 0 });
    await expect.poll(async () => (await kioskRow())?.health.find((h) => h.kind === 'printer')?.paper, { timeout: 15_000 }).toBe('out');
    await expect.poll(async () => (await txOf('device-fault')).some((t) => t.deviceId === 'kiosk-1' && t.payload.paper === 'out'), { timeout: 15_000 }).toBe(true);
    await sim('/sim/printer/paper', { lines: 2000 });
    await expect.poll(async () => (await kioskRow())?.health.find((h) => h.kind === 'printer')?.paper, { timeout: 15_000 }).toBe('ok');
  });

  it('jams the printer and pulls the reader\'s cable from the control panel, each seen as health and put right', async () => {
    const health = async (kind: string) => (await kioskRow())?.health.find((h) => h.kind === kind)?.state;
    await sim('/sim/printer/condition', { jammed: true });
    await expect.poll(() => health('printer'), { timeout: 15_000 }).toBe('faulty');
    await sim('/sim/printer/condition', { jammed: false });
    await expect.poll(() => health('printer'), { timeout: 15_000 }).toBe('ok');

    await sim('/sim/cable/unplug', { kind: 'idcard' });
    await expect.poll(() => health('idcard'), { timeout: 15_000 }).toBe('absent');
    await expect.poll(async () => (await txOf('device-fault')).some((t) => t.deviceId === 'kiosk-1' && t.payload.kind === 'idcard' && t.payload.state === 'absent'), { timeout: 15_000 }).toBe(true);
    await sim('/sim/cable/replug', { kind: 'idcard' });
    await expect.poll(() => health('idcard'), { timeout: 15_000 }).toBe('ok');

    const bad = await fetch(`${new URL(hall.urls.kiosk).origin}/sim/cable/unplug`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'toaster' }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/kind/);
  });

  it('syncs a sign-in with masked values only', async () => {
    await sim('/sim/idcard/insert', { card: 'resident' });
    await expect.poll(async () => (await txOf('signin')).length, { timeout: 15_000 }).toBe(1);
    const [signin] = await txOf('signin');
    expect(signin.payload).toMatchObject({ maskedName: '李*华', cardType: 'resident' });
    expect(JSON.stringify(signin)).not.toMatch(/440104196803150038|李今华/);
  });

  it('applies a configuration change at the kiosk live', async () => {
    const { version, config } = await api<{ version: number; config: { hall: { windows: { id: string; name: string }[] } } }>('/api/config');
    config.hall.windows[0].name = '综合受理一号（测试）';
    const published = await api<{ version: number }>('/api/config', { method: 'POST', body: JSON.stringify({ config, baseVersion: version, note: 'integration test' }) });
    expect(published.version).toBe(version + 1);
    await expect.poll(() => hall.kiosk.context.store.version, { timeout: 15_000 }).toBe(published.version);
    expect(hall.kiosk.context.store.config.hall.windows[0].name).toBe('综合受理一号（测试）');
    await expect.poll(async () => (await kioskRow())?.configVersion, { timeout: 15_000 }).toBe(published.version);
  });

  it('resumes after a restart with its credential, configuration and unsent transactions', async () => {
    const version = hall.kiosk.context.store.version;
    // Taking the card back and closing signs the citizen out: that transaction may still be unsent.
    await hall.close();
    hall = await startHall({ dataDir, ports: { central: 0, kiosk: 0, robot: 0 }, log: createLogger('it-hall', 'silent') });
    await login();
    expect(hall.kiosk.context.store.version).toBe(version);
    expect(hall.kiosk.context.store.config.hall.windows[0].name).toBe('综合受理一号（测试）');
    await expect.poll(async () => (await txOf('signout')).filter((t) => t.deviceId === 'kiosk-1').length, { timeout: 15_000 }).toBe(1);
    const devices = (await api<{ devices: DeviceRow[] }>('/api/devices')).devices.filter((d) => d.id === 'kiosk-1');
    expect(devices).toHaveLength(1);
  });
});
