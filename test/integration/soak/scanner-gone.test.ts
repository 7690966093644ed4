/**
 * scanner-gone against a kiosk with its simulated devices and its host, as the hall
 * runs it: the scanner unplugged through the host's simulator controls shows absent in
 * the terminal's health, a scan cannot reach it, and plugged back the device manager
 * finds it again by itself and scans go through.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeTerminal, type KioskServices } from '../../../electron/services/kiosk-services.ts';
import { terminalParts } from '../../../electron/services/modules.ts';
import { startKioskHost, type RunningHost } from '../../../electron/host/kiosk-host.ts';
import { simRoutes } from '../../../electron/host/sim-routes.ts';
import { createLogger } from '../../../electron/services/log.ts';
import { scannerGone } from '../../../cli/soak/faults/scanner-gone.ts';
import { deviceOf, terminalHealth } from '../../../cli/soak/faults/terminal-health.ts';
import { soakHall } from '../../helpers/soak-hall.ts';

let dataDir: string;
let services: KioskServices;
let host: RunningHost;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'xj-soak-scanner-'));
  services = await composeTerminal({ kioskId: 'kiosk-1', dataDir, log: createLogger('soak-scanner', 'silent') }, terminalParts());
  host = await startKioskHost(services, { port: 0, home: 'kiosk', routes: simRoutes(() => services.get('devices').manager) });
});

afterAll(async () => {
  await host?.close();
  await services?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const scan = (data: string) => fetch(`${host.url}/sim/scanner/scan`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data }) });

describe('scanner-gone', () => {
  it('unplugs the scanner and the terminal finds it again once it is back', async () => {
    const hall = soakHall('http://127.0.0.1:1', { 'kiosk-1': { url: host.url, dataDir, pid: () => process.pid } });
    const fault = scannerGone({ terminal: 'kiosk-1', holdMs: 1000 });
    const scanner = () => terminalHealth(hall, 'kiosk-1').then((h) => deviceOf(h, 'scanner')?.state);
    await expect.poll(scanner).toBe('ok');

    await fault.inject(hall);
    await expect.poll(scanner).toBe('absent');
    expect((await scan('A001')).status).toBe(409);
    expect(await fault.recovered(hall)).toBe(false);

    await fault.restore(hall);
    await expect.poll(() => fault.recovered(hall), { timeout: 20_000 }).toBe(true);
    expect((await scan('A002')).status).toBe(200);
    expect(hall.notes.map((n) => n.event)).toEqual(['scanner-gone', 'scanner-back']);
  });
});
