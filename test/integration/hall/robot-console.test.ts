/**
 * Staff stop a robot from the console: on the one-machine hall (real platform, real robot
 * terminal, the simulated base over rosbridge), 急停 at the platform reaches the robot over
 * its device socket, the base's goal is canceled, the robot stands stopped with the
 * console's reason, the console sees it and the press is audited; resume sends it back to
 * its post. A robot that is not connected, a malformed command and a staff member without
 * the right each get a clear refusal.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHall, type RunningHall } from '../../../cli/hall.ts';
import { createLogger } from '../../../electron/services/log.ts';
import { enrollDevice } from '../../../electron/services/sync-credential.ts';
import { CONSOLE_STOP_REASON } from '../../../electron/services/robot-commands.ts';
import { ROBOT_COMMAND_EVENT } from '../../../protocol/robot-command.ts';
import type { DevicesAnswer, RobotCommandsAnswer } from '../../../protocol/platform-http.ts';
import { Staff } from '../server/helpers.ts';

let dataDir: string;
let hall: RunningHall;
let admin: Staff;

interface BaseState {
  speed: number;
  goal: { action: string } | null;
  pose: { x: number; y: number };
}

const baseState = async () => (await (await fetch(`${hall.urls.robotBase}/state`)).json()) as BaseState;
const robotRow = async () => (await admin.call<DevicesAnswer>('GET', '/api/devices')).body.devices.find((d) => d.id === 'robot-1')?.robot ?? null;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'xj-robot-console-'));
  hall = await startHall({ dataDir, ports: { central: 0, kiosk: 0, robot: 0 }, log: createLogger('it-robot-console', 'silent') });
  const password = /password: (\S+)/.exec(readFileSync(hall.adminPasswordFile, 'utf8'))![1];
  admin = await Staff.login(hall.urls.central, { username: 'admin', password });
}, 120_000);

afterAll(async () => {
  await hall?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

it('stops a guiding robot from the console at once, shows it stopped, audits the press, and resumes it', { timeout: 120_000 }, async () => {
  await expect.poll(async () => (await robotRow())?.state, { timeout: 30_000 }).toBe('at-post');
  const post = (await baseState()).pose;
  await hall.robot.router.dispatch('robot.guide', { target: 'B05', confirmed: true });
  await expect.poll(async () => (await baseState()).goal?.action, { timeout: 15_000 }).toBe('/navigate_to_pose');
  await expect.poll(async () => Math.hypot((await baseState()).pose.x - post.x, (await baseState()).pose.y - post.y), { timeout: 15_000 }).toBeGreaterThan(0.5);

  const stop = await admin.call('POST', '/api/robots/robot-1/estop');
  expect(stop.status).toBe(200);
  expect(stop.body).toMatchObject({ command: 'estop', robot: { state: 'stopped', reason: CONSOLE_STOP_REASON } });
  // The goal is gone the moment the robot answered; the wheels come to rest.
  expect((await baseState()).goal).toBeNull();
  await expect.poll(async () => Math.abs((await baseState()).speed), { timeout: 15_000 }).toBeLessThan(0.01);
  expect(hall.robot.get('robot')!.robotState).toMatchObject({ state: 'stopped', reason: CONSOLE_STOP_REASON });
  // The console's device list shows it stopped, and it stays so while the robot reports.
  expect(await robotRow()).toMatchObject({ state: 'stopped', reason: CONSOLE_STOP_REASON });
  const stoppedAt = (await baseState()).pose;
  expect(Math.hypot(stoppedAt.x - post.x, stoppedAt.y - post.y)).toBeGreaterThan(0.5);

  const audit = await admin.call<RobotCommandsAnswer>('GET', '/api/robot-commands?device=robot-1');
  expect(audit.status).toBe(200);
  expect(audit.body.entries[0]).toMatchObject({ deviceId: 'robot-1', command: 'estop', username: 'admin', outcome: 'done', address: '127.0.0.1' });

  const resume = await admin.call('POST', '/api/robots/robot-1/resume');
  expect(resume.status).toBe(200);
  expect(resume.body.robot.state).toBe('returning');
  await expect.poll(async () => (await robotRow())?.state, { timeout: 30_000 }).toBe('at-post');
  const back = (await baseState()).pose;
  expect(Math.hypot(back.x - post.x, back.y - post.y)).toBeLessThan(0.3);
  expect((await admin.call<RobotCommandsAnswer>('GET', '/api/robot-commands?device=robot-1')).body.entries.map((e) => e.command)).toEqual(['resume', 'estop']);
});

it('refuses staff who are not signed in, and a resume by staff who are not managers', async () => {
  const anonymous = await fetch(`${hall.urls.central}/api/robots/robot-1/estop`, { method: 'POST' });
  expect(anonymous.status).toBe(401);
  const made = await admin.call('POST', '/api/staff', { username: 'window1', password: 'window staff password', displayName: '窗口一', role: 'window-staff' });
  expect(made.status, JSON.stringify(made.body)).toBeLessThan(300);
  const clerk = await Staff.login(hall.urls.central, { username: 'window1', password: 'window staff password' });
  expect((await clerk.call('POST', '/api/robots/robot-1/resume')).status).toBe(403);
  // Anyone on the staff may stop it.
  expect((await clerk.call('POST', '/api/robots/robot-1/estop')).status).toBe(200);
  expect((await admin.call('POST', '/api/robots/robot-1/resume')).status).toBe(200);
  await expect.poll(async () => (await robotRow())?.state, { timeout: 30_000 }).toBe('at-post');
});

it('tells staff at once when the robot is not connected, and audits that too', async () => {
  const code = await admin.code('robot', 1, 'robot-9');
  await enrollDevice({ dataDir: join(dataDir, 'robot-9'), url: hall.urls.central, code, kind: 'robot', deviceId: 'robot-9' });
  const res = await admin.call('POST', '/api/robots/robot-9/estop');
  expect(res.status).toBe(503);
  expect(res.body.error.message).toMatch(/robot-9 is not connected.*stop button on the robot/);
  expect((await admin.call<RobotCommandsAnswer>('GET', '/api/robot-commands?device=robot-9')).body.entries[0]).toMatchObject({ command: 'estop', outcome: 'offline' });
  expect((await admin.call('POST', '/api/robots/kiosk-1/estop')).status).toBe(404);
  expect((await admin.call('POST', '/api/robots/nobody/estop')).status).toBe(404);
});

it('checks a command on arrival at the robot: a malformed one changes nothing', async () => {
  await expect.poll(async () => (await robotRow())?.state, { timeout: 30_000 }).toBe('at-post');
  const replies = await hall.central.ctx.io.in('device:robot-1').timeout(5000).emitWithAck(ROBOT_COMMAND_EVENT, { command: 'self-destruct', by: 'admin' });
  expect(replies).toEqual([{ ok: false, error: { code: 'bad-request', message: expect.stringMatching(/id|command/) } }]);
  expect(hall.robot.get('robot')!.robotState.state).toBe('at-post');
});
