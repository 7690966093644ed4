/**
 * robot-base-link against the one-machine hall (startHall: platform, kiosk, robot on the
 * simulated base): the base drops the robot's link and refuses it for the hold; the
 * robot's health shows the link down, and once the base takes connections again the
 * robot links up by itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { startHall, type RunningHall } from '../../../cli/hall.ts';
import { createLogger } from '../../../electron/services/log.ts';
import { robotBaseLink } from '../../../cli/soak/faults/robot-base-link.ts';
import { terminalHealth } from '../../../cli/soak/faults/terminal-health.ts';
import { removeTempDirs, tempDir } from '../server/helpers.ts';
import { soakHall } from '../../helpers/soak-hall.ts';

let hall: RunningHall;
let dataDir: string;

beforeAll(async () => {
  dataDir = tempDir('xj-soak-base-');
  hall = await startHall({ dataDir, ports: { central: 0, kiosk: 0, robot: 0 }, log: createLogger('soak-base', 'silent') });
}, 120_000);

afterAll(async () => {
  await hall?.close();
  removeTempDirs();
});

describe('robot-base-link', () => {
  it('drops the base link and the robot links up again by itself', async () => {
    const soak = soakHall(hall.urls.central, { 'robot-1': { url: hall.robotHost.url, dataDir: join(dataDir, 'robot-1'), pid: () => process.pid } });
    const fault = robotBaseLink({ terminal: 'robot-1', baseControlUrl: hall.urls.robotBase, holdMs: 3000 });
    const link = async () => (await terminalHealth(soak, 'robot-1'))?.robot?.link;
    await expect.poll(link, { timeout: 30_000 }).toBe('up');
    expect(await fault.recovered(soak)).toBe(true);

    await fault.inject(soak);
    await expect.poll(link).not.toBe('up');
    expect(await fault.recovered(soak)).toBe(false);
    const state = (await (await fetch(`${hall.urls.robotBase}/state`)).json()) as { linkRefused: boolean; clients: number };
    expect(state.linkRefused).toBe(true);

    await fault.restore(soak);
    await expect.poll(() => fault.recovered(soak), { timeout: 30_000 }).toBe(true);
  });
});
