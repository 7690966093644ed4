/**
 * The robot service on the hall's simulated base (the one `npm start` runs): an answer
 * that offers to lead sends no goal; the visitor's yes walks to the window along the
 * aisle, names its waiting tickets and comes back; with a low battery "带我去" is
 * answered with the way instead of a walk.
 */
import { afterEach, expect, it } from 'vitest';
import { ConfigStore, loadConfigDir } from '../../../config/load.ts';
import { BaseLink } from '../../../drivers/base/link.ts';
import { RobotService } from '../../../electron/services/robot.ts';
import { robotIntent } from '../../../electron/services/voice.ts';
import { hallBaseSimulator } from '../../../cli/sim.ts';
import type { GuideStatus, RobotSay } from '../../../protocol/ui/domains/robot.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(battery = 100) {
  const config = loadConfigDir();
  const { sim } = hallBaseSimulator(config, { timeScale: 20, battery });
  const { url } = await sim.start();
  cleanups.push(() => sim.stop());
  const goals: string[] = [];
  sim.on('goal', (action) => goals.push(action));
  const base = new BaseLink({ url, backoff: { baseMs: 20, maxMs: 100 } });
  base.start();
  cleanups.push(() => base.stop());
  const robot = new RobotService(new ConfigStore(config), { base, timeScale: 20, dwellSeconds: 1, waiting: async () => 4 });
  cleanups.push(() => robot.close());
  const says: RobotSay[] = [];
  const guides: GuideStatus[] = [];
  robot.on('robot.say', (s: RobotSay) => says.push(s));
  // A visitor who keeps up: the follow check (您还跟着我吗?) is answered with a tap.
  robot.on('robot.say', (s: RobotSay) => s.kind === 'follow-check' && void robot.handlers['robot.following']());
  robot.on('robot.guide', (s: GuideStatus) => guides.push(s));
  await robot.ready();
  return { sim, robot, goals, says, guides };
}

it('offers without walking, walks on the yes, names the waiting tickets and comes back', { timeout: 60_000 }, async () => {
  const { robot, goals, says, guides, sim } = await setup();
  // It leaves its dock for its post by itself once charged.
  await expect.poll(() => robot.robotState.state, { timeout: 20_000 }).toBe('at-post');
  const post = { ...sim.state.pose };
  const walksBefore = goals.filter((g) => g === '/navigate_to_pose').length;
  const offer = await robot.handlers['robot.ask']({ text: 'B05窗口在哪' });
  expect(offer.guide?.id).toBe('B05');
  expect(offer.lead).toBeFalsy();
  expect(goals.filter((g) => g === '/navigate_to_pose')).toHaveLength(walksBefore);
  expect(robot.robotState.state).toBe('at-post');

  expect(await robot.handlers['robot.guide']({ target: 'B05', confirmed: true })).toMatchObject({ state: 'leading', target: 'B05' });
  expect(says.at(-1)?.text).toContain('请跟我来');
  await expect.poll(() => says.find((s) => s.kind === 'arrived')?.text, { timeout: 30_000 }).toContain('现在有4位在等候');
  expect(Math.hypot(sim.state.pose.x - 22, sim.state.pose.y - 34)).toBeLessThan(0.3);
  await expect.poll(() => robot.robotState.state, { timeout: 30_000 }).toBe('at-post');
  expect(Math.hypot(sim.state.pose.x - post.x, sim.state.pose.y - post.y)).toBeLessThan(0.3);
  expect(guides.map((g) => g.state)).toEqual(['leading', 'arrived', 'returning', 'docked']);
});

it('answers 带我去 with the way instead of a walk when the battery is low', { timeout: 60_000 }, async () => {
  const { robot, goals, says } = await setup(10);
  await expect.poll(() => robot.robotState.state, { timeout: 20_000 }).toBe('charging');
  const a = await robot.handlers['robot.ask']({ text: '带我去B01窗口' });
  expect(a.lead).toBe(false);
  expect(says.at(-1)).toMatchObject({ kind: 'refuse', text: expect.stringContaining('B01号窗口在一楼') });
  expect(goals).not.toContain('/navigate_to_pose');
  await expect(robot.handlers['robot.guide']({ target: 'B01', confirmed: true })).rejects.toMatchObject({ code: 'unavailable' });
});

it('walks on a spoken 带我去 only after the visitor says yes to the offer', { timeout: 60_000 }, async () => {
  const { robot, goals } = await setup();
  await expect.poll(() => robot.robotState.state, { timeout: 20_000 }).toBe('at-post');
  const walks = () => goals.filter((g) => g === '/navigate_to_pose').length;
  const before = walks();
  // The voice pipeline's intent stage, as command words arrive: 带我去 + B05号窗口.
  const voice = robotIntent(robot);
  const heard = await voice.ask('带我去B05号窗口', 'zh');
  expect(heard.speech).toMatch(/B05号窗口.*需要我带您过去吗？$/);
  expect(heard.speech).not.toContain('请跟我来');
  expect(heard.answer).toMatchObject({ lead: false, guide: { id: 'B05' } });
  // A walk would have begun before the answer came back (the guide turns to 'guiding' as it sends the goal).
  expect(robot.robotState.state).toBe('at-post');
  expect(walks()).toBe(before);

  // A spoken request for another place is a new offer, not a yes.
  const other = await voice.ask('带我去B01号窗口', 'zh');
  expect(other.answer).toMatchObject({ lead: false, guide: { id: 'B01' } });
  expect(walks()).toBe(before);

  // The yes to the offer just made walks there.
  const yes = await voice.ask('好的', 'zh');
  expect(yes.answer).toMatchObject({ lead: true, guide: { id: 'B01' } });
  await expect.poll(walks).toBe(before + 1);
  expect(robot.robotState).toMatchObject({ state: 'guiding', target: { id: 'B01' } });
});
