/**
 * The guide over a real BaseLink against the simulated base on a free port, with the
 * controls the tests pull (block the aisle, drop the link, set the battery).
 */
import { expect } from 'vitest';
import { BaseLink } from '../../../drivers/base/link.ts';
import { BaseSimulator, type BaseSimulatorOptions } from '../../../drivers/base/simulator.ts';
import { Guide, type GuideOptions, type GuideTarget, type Trip } from '../../../electron/services/guide.ts';
import type { RobotSay, RobotStateView } from '../../../protocol/ui/domains/robot.ts';

export interface GuideRig {
  sim: BaseSimulator;
  base: BaseLink;
  guide: Guide;
  says: RobotSay[];
  states: RobotStateView[];
  ended: { target: string; ended: string }[];
  /** Every drive the guide recorded for the robot's history. */
  trips: Trip[];
  control(path: string, body: unknown): Promise<number>;
  close(): Promise<void>;
}

export const target = (id: string, x: number, y: number): GuideTarget => ({
  id,
  name: `${id}窗口`,
  kind: 'window',
  floor: 'F1',
  goal: { x, y, theta: 0 },
  directions: `${id}窗口在一楼：从这里沿大厅中间通道走约${Math.round(Math.hypot(x, y))}米就到。`,
});

export async function guideRig(sim: BaseSimulatorOptions, guide: Omit<GuideOptions, 'base'>): Promise<GuideRig> {
  const s = new BaseSimulator(sim);
  const { url, controlUrl } = await s.start();
  const base = new BaseLink({ url, backoff: { baseMs: 20, maxMs: 100 }, answerTimeoutMs: 5000 });
  const g = new Guide({ base, ...guide });
  const says: RobotSay[] = [];
  const states: RobotStateView[] = [];
  const ended: { target: string; ended: string }[] = [];
  const trips: Trip[] = [];
  g.on('trip', (x) => trips.push(x));
  g.on('say', (x) => says.push(x));
  g.on('state', (x) => states.push(x));
  g.on('request', (x) => ended.push(x));
  base.start();
  await expect.poll(() => g.state, { timeout: 10_000 }).toMatch(/at-post|charging/);
  return {
    sim: s,
    base,
    guide: g,
    says,
    states,
    ended,
    trips,
    async control(path, body) {
      const res = await fetch(`${controlUrl}/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      await res.arrayBuffer();
      return res.status;
    },
    async close() {
      g.close();
      await base.stop();
      await s.stop();
    },
  };
}
