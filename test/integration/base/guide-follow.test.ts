/**
 * The follow check, on the guide's state machine with a clock the test moves: the base is
 * the simulated one over real WebSockets, but the guide's own waits (when to ask, how long
 * to wait for the tap, the dwell at the window) run only when the test advances them, so
 * each step happens exactly when the test says. Also the drives it records for the
 * robot's history.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FOLLOW_QUESTION } from '../../../electron/services/guide.ts';
import { ManualTime } from '../../helpers/manual-time.ts';
import { guideRig, target, type GuideRig } from './guide-harness.ts';

const POST = { x: 50, y: 20, theta: Math.PI };
const B01 = target('B01', 10, 20);
const CHECK = { everyMs: 30_000, answerMs: 15_000 };
let rig: GuideRig | null = null;

afterEach(async () => {
  await rig?.close();
  rig = null;
});

async function setup(sim: Parameters<typeof guideRig>[0] = {}) {
  const time = new ManualTime();
  rig = await guideRig(
    { timeScale: 20, start: POST, docks: { 'robot-dock': { x: 50, y: 16, theta: -Math.PI / 2 } }, recoverySeconds: 1, maxRecoveries: 2, ...sim },
    { dockId: 'robot-dock', floor: 'F1', post: POST, dwellMs: 10_000, retryMs: 50, waiting: async () => null, followCheck: () => CHECK, schedule: time.schedule, now: () => time.now },
  );
  // Its way from where the simulator put it to its post is not what these tests are about.
  rig.trips.length = 0;
  return { r: rig, time };
}

const near = (r: GuideRig, x: number, y: number) => Math.hypot(r.sim.state.pose.x - x, r.sim.state.pose.y - y);
const walkedFromPost = (r: GuideRig) => near(r, POST.x, POST.y) > 3;

describe('the follow check', () => {
  it('pauses the walk to ask, and walks on to the window when the visitor taps', async () => {
    const { r, time } = await setup();
    r.guide.request(B01, true);
    await expect.poll(() => walkedFromPost(r)).toBe(true);
    expect(r.guide.view.followCheck).toBeNull();

    time.advance(CHECK.everyMs);
    expect(r.says.at(-1)).toEqual({ kind: 'follow-check', text: FOLLOW_QUESTION });
    expect(r.guide.view).toMatchObject({ state: 'guiding', followCheck: { question: FOLLOW_QUESTION, secondsLeft: 15 } });
    await expect.poll(() => r.sim.state.goal).toBeNull();
    await expect.poll(() => r.sim.state.speed).toBe(0);
    time.advance(CHECK.answerMs - 1000);
    expect(r.guide.view.followCheck?.secondsLeft).toBe(1);

    r.guide.stillFollowing();
    expect(r.says.at(-1)).toEqual({ kind: 'follow', text: '好的，请跟我来。' });
    expect(r.guide.view.followCheck).toBeNull();
    // The old deadline is void: passing it changes nothing.
    time.advance(1000);
    expect(r.says.some((s) => s.kind === 'apology')).toBe(false);
    await expect.poll(() => r.ended, { timeout: 20_000 }).toEqual([{ target: 'B01', ended: 'arrived' }]);
    expect(near(r, 10, 20)).toBeLessThan(0.2);
    // Arrived: no question at the window, and back to the post after the dwell.
    time.advance(CHECK.everyMs - 1);
    expect(r.says.filter((s) => s.kind === 'follow-check')).toHaveLength(1);
    time.advance(10_000);
    await expect.poll(() => r.guide.state, { timeout: 20_000 }).toBe('at-post');
    expect(r.trips.map((t) => [t.kind, t.target, t.outcome])).toEqual([
      ['guide', 'B01', 'ok'],
      ['return', null, 'ok'],
    ]);
    expect(r.trips[0].metres).toBeGreaterThan(38);
    expect(r.trips[0].metres).toBeLessThan(42);
  });

  it('ends the walk when nobody answers: apology, directions, and back to its post', async () => {
    const { r, time } = await setup();
    r.guide.request(B01, true);
    await expect.poll(() => walkedFromPost(r)).toBe(true);
    time.advance(CHECK.everyMs);
    expect(r.guide.view.followCheck).not.toBeNull();
    time.advance(CHECK.answerMs - 1);
    expect(r.says.some((s) => s.kind === 'apology')).toBe(false);
    expect(r.guide.state).toBe('guiding');

    time.advance(1);
    expect(r.says.at(-1)).toEqual({ kind: 'apology', text: `抱歉，您好像没有跟上，我先回去了。${B01.directions}` });
    expect(r.ended).toEqual([{ target: 'B01', ended: 'apologised' }]);
    expect(r.guide.view.followCheck).toBeNull();
    await expect.poll(() => r.guide.state, { timeout: 20_000 }).toBe('at-post');
    expect(near(r, POST.x, POST.y)).toBeLessThan(0.2);
    // A late tap walks nobody.
    const goals: string[] = [];
    r.sim.on('goal', (g) => goals.push(g));
    r.guide.stillFollowing();
    expect(r.guide.state).toBe('at-post');
    expect(goals).toEqual([]);
    expect(r.trips.map((t) => [t.kind, t.outcome])).toEqual([
      ['guide', 'not-followed'],
      ['return', 'ok'],
    ]);
  });

  it('an emergency stop during the question stops for good: no apology walk when the time runs out', async () => {
    const { r, time } = await setup();
    r.guide.request(B01, true);
    await expect.poll(() => walkedFromPost(r)).toBe(true);
    time.advance(CHECK.everyMs);
    r.guide.estop();
    time.advance(CHECK.answerMs);
    expect(r.guide.state).toBe('stopped');
    expect(r.says.some((s) => s.kind === 'apology')).toBe(false);
    expect(r.trips.map((t) => [t.kind, t.outcome])).toEqual([['guide', 'stopped']]);
  });
});

describe('the drives it records for the history', () => {
  it('a blocked aisle is a blocked walk, then a way back', async () => {
    const { r } = await setup();
    await r.control('aisle', { blocked: true });
    r.guide.request(target('B05', 44, 20), true);
    await expect.poll(() => r.trips.length, { timeout: 15_000 }).toBeGreaterThan(0);
    expect(r.trips[0]).toMatchObject({ kind: 'guide', target: 'B05', outcome: 'blocked' });
    await r.control('aisle', { blocked: false });
    await expect.poll(() => r.guide.state, { timeout: 20_000 }).toBe('at-post');
    expect(r.trips.map((t) => [t.kind, t.outcome])).toEqual([
      ['guide', 'blocked'],
      ['return', 'ok'],
    ]);
  });

  it('a failed docking is recorded as such, each attempt', async () => {
    const { r, time } = await setup({ battery: { percent: 50 } });
    await r.control('dock', { fail: true });
    await r.control('battery', { percent: 5 });
    await expect.poll(() => r.trips.length, { timeout: 20_000 }).toBeGreaterThan(0);
    expect(r.trips[0]).toMatchObject({ kind: 'dock', target: 'robot-dock' });
    expect(r.trips[0].outcome).not.toBe('ok');
    // The retry waits on the guide's clock.
    await r.control('dock', { fail: false });
    time.advance(50);
    await expect.poll(() => r.guide.state, { timeout: 20_000 }).toBe('charging');
    expect(r.trips.at(-1)).toMatchObject({ kind: 'dock', outcome: 'ok' });
  });
});
