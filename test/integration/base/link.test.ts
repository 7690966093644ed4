/**
 * BaseLink (roslib) against the simulated base over real WebSockets: goals run to
 * arrival, are canceled, abort on a blocked aisle, fail when the link drops and the link
 * comes back; docking fails and succeeds; the battery drains and charges; a bad frame
 * gets a rosbridge status error.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Ros, Topic } from 'roslib';
import { BaseLink, type GoalProgress } from '../../../drivers/base/link.ts';
import { BaseSimulator, type BaseSimulatorOptions } from '../../../drivers/base/simulator.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(options: BaseSimulatorOptions = {}, link: Partial<ConstructorParameters<typeof BaseLink>[0]> = {}) {
  const sim = new BaseSimulator({ timeScale: 20, start: { x: 50, y: 20, theta: Math.PI }, docks: { 'robot-dock': { x: 50, y: 16, theta: -Math.PI / 2 } }, ...options });
  const { url, controlUrl } = await sim.start();
  cleanups.push(() => sim.stop());
  const base = new BaseLink({ url, backoff: { baseMs: 50, maxMs: 200 }, ...link });
  base.start();
  cleanups.push(() => base.stop());
  await expect.poll(() => base.snapshot.link).toBe('up');
  await expect.poll(() => base.snapshot.pose).not.toBeNull();
  const control = async (path: string, body: unknown) => {
    const res = await fetch(`${controlUrl}/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  return { sim, base, url, control };
}

describe('base link against the simulated base', () => {
  it('drives to a goal with feedback and arrives', async () => {
    const { base, sim } = await setup();
    const progress: GoalProgress[] = [];
    base.on('progress', (p) => progress.push(p));
    const outcome = await base.navigateTo({ x: 44, y: 20, theta: 0 });
    expect(outcome).toEqual({ ok: true, kind: 'navigate', recoveries: 0 });
    expect(progress.length).toBeGreaterThan(5);
    const remaining = progress.map((p) => p.distanceRemaining ?? Infinity);
    expect(remaining[0]).toBeGreaterThan(5);
    expect(remaining.at(-1)).toBeLessThan(0.1);
    expect(Math.hypot(sim.state.pose.x - 44, sim.state.pose.y - 20)).toBeLessThan(0.1);
    await expect.poll(() => Math.abs((base.snapshot.pose?.x ?? 0) - 44)).toBeLessThan(0.1);
  });

  it('cancels a goal and the base stops', async () => {
    const { base, sim } = await setup();
    const outcome = base.navigateTo({ x: 10, y: 20, theta: 0 });
    await expect.poll(() => sim.state.speed).toBeGreaterThan(0.3);
    base.cancel('visitor pressed stop');
    expect(await outcome).toMatchObject({ ok: false, reason: 'canceled', message: 'visitor pressed stop' });
    await expect.poll(() => sim.state.goal).toBeNull();
    await expect.poll(() => sim.state.speed).toBe(0);
    expect(sim.state.pose.x).toBeGreaterThan(10.5);
  });

  it('aborts with the recoveries count when the aisle is blocked', async () => {
    const { base, control } = await setup({ recoverySeconds: 2, maxRecoveries: 3 });
    expect((await control('aisle', { blocked: true })).status).toBe(200);
    const outcome = await base.navigateTo({ x: 40, y: 20, theta: 0 });
    expect(outcome).toMatchObject({ ok: false, reason: 'aborted', recoveries: 3, errorCode: 105 });
    expect(outcome.ok === false && outcome.message).toMatch(/blocked after 3 recoveries/);
  });

  it('reports a stalled base as stuck and cancels its goal', async () => {
    const { base, sim, control } = await setup({}, { stuckSeconds: 1 });
    await control('stall', { stalled: true });
    const outcome = await base.navigateTo({ x: 40, y: 20, theta: 0 });
    expect(outcome).toMatchObject({ ok: false, reason: 'stuck' });
    await expect.poll(() => sim.state.goal).toBeNull();
  });

  it('refuses a goal while docked, with the reason', async () => {
    const { base } = await setup({ start: { x: 50, y: 16.7, theta: -Math.PI / 2 } });
    expect(await base.dock('robot-dock')).toMatchObject({ ok: true, kind: 'dock' });
    const outcome = await base.navigateTo({ x: 40, y: 20, theta: 0 });
    expect(outcome).toMatchObject({ ok: false, reason: 'refused' });
    expect(outcome.ok === false && outcome.message).toMatch(/undock first/);
  });

  it('fails the running goal when the link drops, then reconnects', async () => {
    const { base, sim, control } = await setup();
    const states: string[] = [];
    base.on('link', (s) => states.push(s));
    const outcome = base.navigateTo({ x: 10, y: 20, theta: 0 });
    await expect.poll(() => sim.state.speed).toBeGreaterThan(0.1);
    await control('link/drop', { refuseMs: 500 });
    expect(await outcome).toMatchObject({ ok: false, reason: 'link-lost' });
    expect(await base.navigateTo({ x: 48, y: 20, theta: 0 })).toMatchObject({ ok: false, reason: 'link-lost' });
    await expect.poll(() => base.snapshot.link).toBe('up');
    expect(states).toContain('down');
    // Subscriptions come back with the link: the pose moves again under a new goal.
    expect(await base.navigateTo({ x: 48, y: 20, theta: 0 })).toMatchObject({ ok: true });
    await expect.poll(() => Math.abs((base.snapshot.pose?.x ?? 0) - 48)).toBeLessThan(0.1);
  });

  it('reports a docking failure, then docks and charges', async () => {
    const { base, control } = await setup({ battery: { percent: 50, chargePerHour: 3600 } });
    await control('dock', { fail: true });
    const failed = await base.dock('robot-dock');
    expect(failed).toMatchObject({ ok: false, reason: 'aborted', errorCode: 904 });
    await control('dock', { fail: false });
    expect(await base.dock('robot-dock')).toMatchObject({ ok: true, kind: 'dock' });
    await expect.poll(() => base.snapshot.battery?.charging).toBe(true);
    const at = base.snapshot.battery!.percent;
    await expect.poll(() => base.snapshot.battery!.percent).toBeGreaterThan(at + 1);
    expect(await base.undock()).toMatchObject({ ok: true, kind: 'undock' });
    await expect.poll(() => base.snapshot.battery?.charging).toBe(false);
  });

  it('drains the battery while moving and takes a level set from the control endpoint', async () => {
    const { base, control } = await setup({ battery: { drainMovingPerHour: 600, drainIdlePerHour: 0 } });
    expect((await control('battery', { percent: 40 })).status).toBe(200);
    await expect.poll(() => base.snapshot.battery?.percent).toBe(40);
    expect(await base.navigateTo({ x: 30, y: 20, theta: 0 })).toMatchObject({ ok: true });
    await expect.poll(() => base.snapshot.battery!.percent).toBeLessThan(39);
    expect((await control('battery', { percent: 140 })).status).toBe(400);
  });

  it('answers a malformed rosbridge frame with a status error', async () => {
    const { url } = await setup();
    const ws = new WebSocket(url);
    cleanups.push(() => ws.close());
    const replies: Record<string, unknown>[] = [];
    ws.on('message', (d) => replies.push(JSON.parse(d.toString()) as Record<string, unknown>));
    await new Promise((r) => ws.once('open', r));
    ws.send('{"op":"publish", "topic": ');
    ws.send(JSON.stringify({ op: 'send_action_goal', id: 'g1', action: '/navigate_to_pose' }));
    ws.send(JSON.stringify({ op: 'fly', id: 'x' }));
    await expect.poll(() => replies.filter((r) => r.op === 'status').length).toBe(3);
    const msgs = replies.filter((r) => r.op === 'status').map((r) => String(r.msg));
    expect(msgs[0]).toMatch(/Unable to load the following json/);
    expect(msgs[1]).toMatch(/action_type/);
    expect(msgs[2]).toMatch(/Unknown operation: fly/);
  });

  it('relays a stock roslib topic round trip', async () => {
    const { url } = await setup();
    const ros = new Ros({});
    await ros.connect(url);
    cleanups.push(() => ros.close());
    const topic = new Topic<{ data: string }>({ ros, name: '/chatter', messageType: 'std_msgs/msg/String' });
    const got: string[] = [];
    topic.subscribe((m) => got.push(m.data));
    topic.publish({ data: '你好' });
    await expect.poll(() => got).toEqual(['你好']);
  });
});
