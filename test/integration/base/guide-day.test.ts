/**
 * A simulated day: 200 visitor requests to the guide on the simulated base, with random
 * blocked aisles, some requests the visitor never confirmed, and a battery that runs
 * down fast enough to send it to charge. Every request ends (arrived, apologised or
 * refused with directions), after each the robot is back at its post or on its dock,
 * and no goal towards a window was ever sent without a yes. The seed is printed;
 * GUIDE_DAY_SEED=n replays a day.
 */
import { afterAll, expect, it } from 'vitest';
import { guideRig, target, type GuideRig } from './guide-harness.ts';
import { rng as prng } from '../../../server/queue/simulate.ts';

const REQUESTS = 200;
const POST = { x: 0, y: 0, theta: 0 };


let rig: GuideRig | null = null;
afterAll(async () => rig?.close());

it('runs a day of 200 guidance requests: each ends, the robot always returns or docks, nobody is walked without a yes', { timeout: 120_000 }, async () => {
  const seed = Number(process.env.GUIDE_DAY_SEED ?? Date.now() % 1_000_000);
  console.log(`guide day seed ${seed} (GUIDE_DAY_SEED=${seed} replays it)`);
  const random = prng(seed);
  rig = await guideRig(
    {
      timeScale: 100,
      start: POST,
      docks: { dock: { x: -1.5, y: 0, theta: Math.PI } },
      recoverySeconds: 0.5,
      maxRecoveries: 2,
      // A quick base with a thirsty battery: the day's walks fit in seconds and drain it.
      limits: { maxSpeed: 1.5, maxAccel: 1.5, maxTurnRate: 3, maxTurnAccel: 6, tolerance: 0.05 },
      battery: { percent: 60, drainMovingPerHour: 400, drainIdlePerHour: 20, chargePerHour: 6000 },
    },
    { dockId: 'dock', floor: 'F1', post: POST, dwellMs: 1, retryMs: 20, lowBattery: 20, resumeBattery: 50, waiting: async () => 2 },
  );
  const r = rig;
  const windowGoals: string[] = [];
  r.sim.on('goal', (action, args) => {
    const p = (args as { pose?: { pose?: { position?: { x: number; y: number } } } }).pose?.pose?.position;
    if (action === '/navigate_to_pose' && p && Math.hypot(p.x - POST.x, p.y - POST.y) > 0.5) windowGoals.push(`${p.x.toFixed(2)},${p.y.toFixed(2)}`);
  });
  const confirmedWalks: string[] = [];
  const tally = { arrived: 0, apologised: 0, refused: 0, unconfirmed: 0, blocked: 0, docked: 0 };
  let refusedOnDock = false;
  for (let i = 0; i < REQUESTS; i++) {
    // Visitors keep coming while it charges: one is refused, the next finds it back at its post.
    if (r.guide.state === 'charging' && refusedOnDock) {
      await expect.poll(() => r.guide.state, { timeout: 20_000 }).toBe('at-post');
      refusedOnDock = false;
    }
    const t = target(`W${i}`, Math.round((1.5 + random() * 2.5) * 100) / 100, Math.round((random() * 2 - 1) * 100) / 100);
    if (random() < 0.1) {
      expect(() => r.guide.request(t, false)).toThrow(/not said yes/);
      tally.unconfirmed++;
      continue;
    }
    const blocked = random() < 0.15 && r.guide.state === 'at-post';
    if (blocked) {
      await r.control('aisle', { blocked: true });
      tally.blocked++;
    }
    const before = r.ended.length;
    const { walking } = r.guide.request(t, true);
    if (walking) confirmedWalks.push(`${t.goal.x.toFixed(2)},${t.goal.y.toFixed(2)}`);
    await expect.poll(() => r.ended.length, { timeout: 10_000 }).toBe(before + 1);
    const end = r.ended.at(-1)!;
    expect(end.target).toBe(t.id);
    tally[end.ended as 'arrived' | 'apologised' | 'refused']++;
    if (end.ended === 'refused') refusedOnDock = true;
    if (end.ended !== 'arrived') expect(r.says.at(-1)!.text).toContain(t.directions);
    if (blocked) await r.control('aisle', { blocked: false });
    // After every request the robot is back at its post or on its dock.
    await expect.poll(() => r.guide.state, { timeout: 10_000 }).toMatch(/^(at-post|charging)$/);
    if (r.guide.state === 'charging') {
      if (end.ended !== 'refused') tally.docked++;
      expect(r.sim.state.docked).toBe(true);
    } else expect(Math.hypot(r.sim.state.pose.x - POST.x, r.sim.state.pose.y - POST.y)).toBeLessThan(0.2);
  }
  console.log(`guide day: ${JSON.stringify(tally)}`);
  expect(tally.arrived + tally.apologised + tally.refused + tally.unconfirmed).toBe(REQUESTS);
  expect(windowGoals).toEqual(confirmedWalks);
  expect(tally.arrived).toBeGreaterThan(100);
  expect(tally.refused).toBeGreaterThan(0);
  expect(tally.docked).toBeGreaterThan(0);
});
