/**
 * The guide's behaviour on the simulated base over real WebSockets: it leads and comes
 * back, says 请让一让 and apologises with directions on a blocked aisle, faults and gives
 * directions when the link drops, refuses walks and docks on a low battery and leaves the
 * dock charged, stops at once on an emergency stop, and never walks without a yes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { guideRig, target, type GuideRig } from './guide-harness.ts';

const POST = { x: 50, y: 20, theta: Math.PI };
const B05 = target('B05', 44, 20);
let rig: GuideRig | null = null;

afterEach(async () => {
  await rig?.close();
  rig = null;
});

async function setup(sim: Parameters<typeof guideRig>[0] = {}, guide: Partial<Parameters<typeof guideRig>[1]> = {}) {
  rig = await guideRig(
    { timeScale: 20, start: POST, docks: { 'robot-dock': { x: 50, y: 16, theta: -Math.PI / 2 } }, recoverySeconds: 1, maxRecoveries: 2, ...sim },
    { dockId: 'robot-dock', floor: 'F1', post: POST, dwellMs: 50, retryMs: 50, waiting: async () => 3, ...guide },
  );
  return rig;
}

const near = (r: GuideRig, x: number, y: number) => Math.hypot(r.sim.state.pose.x - x, r.sim.state.pose.y - y);

describe('the guide on the simulated base', () => {
  it('leads to the window, names it and its waiting tickets, and comes back to its post', async () => {
    const r = await setup();
    expect(r.guide.request(B05, true)).toEqual({ walking: true });
    expect(r.says[0]).toMatchObject({ kind: 'follow', text: expect.stringContaining('请跟我来') });
    await expect.poll(() => r.states.some((s) => s.state === 'guiding' && s.distanceRemaining !== null && s.distanceRemaining < 5)).toBe(true);
    await expect.poll(() => r.says.find((s) => s.kind === 'arrived')?.text, { timeout: 15_000 }).toBe('B05窗口到了，现在有3位在等候。请在这里办理。');
    expect(near(r, 44, 20)).toBeLessThan(0.2);
    await expect.poll(() => r.states.some((s) => s.state === 'returning')).toBe(true);
    await expect.poll(() => r.guide.state, { timeout: 15_000 }).toBe('at-post');
    expect(near(r, POST.x, POST.y)).toBeLessThan(0.2);
    expect(r.ended).toEqual([{ target: 'B05', ended: 'arrived' }]);
  });

  it('skips the waiting count when the terminal does not know it', async () => {
    const r = await setup({}, { waiting: async () => null });
    r.guide.request(B05, true);
    await expect.poll(() => r.says.find((s) => s.kind === 'arrived')?.text, { timeout: 15_000 }).toBe('B05窗口到了。请在这里办理。');
  });

  it('never walks without the visitor\'s yes', async () => {
    const r = await setup();
    const goals: string[] = [];
    r.sim.on('goal', (action) => goals.push(action));
    expect(() => r.guide.request(B05, false)).toThrow(/not said yes/);
    // A walk asked for afterwards proves the link carried goals all along.
    r.guide.request(target('B04', 46, 20), true);
    await expect.poll(() => goals.length).toBeGreaterThan(0);
    expect(r.says.filter((s) => s.kind === 'follow').map((s) => s.text)).toEqual(['请跟我来，我带您去B04窗口。']);
  });

  it('asks to pass on a blocked aisle, then apologises with directions and returns', async () => {
    const r = await setup();
    expect(await r.control('aisle', { blocked: true })).toBe(200);
    r.guide.request(B05, true);
    await expect.poll(() => r.says.map((s) => s.kind), { timeout: 15_000 }).toContain('make-way');
    await expect.poll(() => r.says.find((s) => s.kind === 'apology')?.text, { timeout: 15_000 }).toContain(B05.directions);
    expect(r.says.findIndex((s) => s.kind === 'make-way')).toBeLessThan(r.says.findIndex((s) => s.kind === 'apology'));
    expect(r.ended).toEqual([{ target: 'B05', ended: 'apologised' }]);
    await r.control('aisle', { blocked: false });
    await expect.poll(() => r.guide.state, { timeout: 15_000 }).toBe('at-post');
    expect(near(r, POST.x, POST.y)).toBeLessThan(0.2);
  });

  it('goes into fault with the reason when the link drops, gives directions, and returns once it is back', async () => {
    const r = await setup();
    const mark = r.states.length;
    r.guide.request(target('B01', 20, 20), true);
    await expect.poll(() => r.sim.state.speed).toBeGreaterThan(0.3);
    expect(await r.control('link/drop', { refuseMs: 300 })).toBe(200);
    await expect.poll(() => r.states.slice(mark).find((s) => s.state === 'fault')?.reason).toMatch(/closed|cannot open/);
    expect(r.says.find((s) => s.kind === 'directions')?.text).toContain('B01窗口在一楼');
    expect(r.ended).toEqual([{ target: 'B01', ended: 'apologised' }]);
    await expect.poll(() => r.guide.state, { timeout: 20_000 }).toBe('at-post');
    expect(near(r, POST.x, POST.y)).toBeLessThan(0.2);
  });

  it('on a low battery finishes the walk, refuses new ones politely, docks, and leaves the dock charged', async () => {
    const r = await setup({ battery: { percent: 50 } }, { lowBattery: 20, resumeBattery: 40 });
    r.guide.request(B05, true);
    await expect.poll(() => r.guide.state).toBe('guiding');
    await r.control('battery', { percent: 15 });
    await expect.poll(() => r.guide.lowBattery).toBe(true);
    await expect.poll(() => r.ended, { timeout: 15_000 }).toEqual([{ target: 'B05', ended: 'arrived' }]);
    expect(r.guide.request(target('B04', 46, 20), true)).toEqual({ walking: false });
    expect(r.says.at(-1)).toMatchObject({ kind: 'refuse', text: expect.stringContaining('电量不足') });
    expect(r.says.at(-1)!.text).toContain('B04窗口在一楼');
    await expect.poll(() => r.guide.state, { timeout: 20_000 }).toBe('charging');
    expect(r.sim.state.docked).toBe(true);
    await r.control('battery', { percent: 45 });
    await expect.poll(() => r.guide.state, { timeout: 20_000 }).toBe('at-post');
    expect(r.sim.state.docked).toBe(false);
    expect(r.guide.request(B05, true)).toEqual({ walking: true });
  });

  it('stops at once on an emergency stop and stays until resumed', async () => {
    const r = await setup();
    r.guide.request(target('B01', 20, 20), true);
    await expect.poll(() => r.sim.state.speed).toBeGreaterThan(0.3);
    const view = r.guide.estop();
    expect(view.state).toBe('stopped');
    await expect.poll(() => r.sim.state.goal).toBeNull();
    await expect.poll(() => r.sim.state.speed).toBe(0);
    expect(r.guide.request(B05, true)).toEqual({ walking: false });
    expect(r.guide.state).toBe('stopped');
    r.guide.resumeDuty();
    await expect.poll(() => r.guide.state, { timeout: 20_000 }).toBe('at-post');
    expect(near(r, POST.x, POST.y)).toBeLessThan(0.2);
  });
});
