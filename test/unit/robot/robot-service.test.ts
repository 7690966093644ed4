import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigStore, loadConfigDir } from '../../../config/load.ts';
import type { HallConfig } from '../../../config/schema.ts';
import { RobotService } from '../../../electron/services/robot.ts';
import type { GuideStatus } from '../../../protocol/ui/domains/robot.ts';
import { planRoute } from '../../../models/navigation/route.ts';
import { ManualTime } from '../../helpers/manual-time.ts';

let base: HallConfig;
let service: RobotService | null = null;
beforeAll(() => {
  base = loadConfigDir();
});
afterEach(() => service?.close());

function start() {
  const time = new ManualTime();
  const store = new ConfigStore(base);
  const events: GuideStatus[] = [];
  service = new RobotService(store, { schedule: time.schedule, now: () => time.now, dwellSeconds: 5 });
  service.on('robot.guide', (s: GuideStatus) => events.push(s));
  return { time, store, events, robot: service };
}

describe('routes', () => {
  it('walks along the aisle on one floor and through the lift to another', () => {
    const same = planRoute(base.hall, 'robot-dock', 'B01');
    expect(same.lift).toBe(false);
    expect(same.legs).toHaveLength(1);
    expect(same.legs[0].points[0]).toEqual({ x: 50, y: 16 });
    expect(same.legs[0].points.at(-1)).toEqual({ x: 6, y: 34 });
    expect(same.metres).toBeCloseTo(4 + 44 + 14, 5);
    const up = planRoute(base.hall, 'robot-dock', 'C02');
    expect(up.lift).toBe(true);
    expect(up.legs.map((l) => l.floor)).toEqual(['F1', 'F2']);
    expect(up.legs[0].points.at(-1)).toEqual({ x: 40, y: 20 });
    expect(() => planRoute(base.hall, 'robot-dock', 'Z99')).toThrow(/Z99/);
  });
});

describe('RobotService', () => {
  it('answers robot.ask from the hall configuration', async () => {
    const { robot } = start();
    await robot.ready();
    const a = await robot.handlers['robot.ask']({ text: '护士执业证书重新注册在哪办?' });
    expect(a.match?.id).toBe('GZ-WJ-001');
    expect(a.answer).toContain('B01、B10');
  });

  it('leads, arrives, returns and docks over simulated time from robot.speed', async () => {
    const { robot, time, events } = start();
    await robot.ready();
    const a = await robot.handlers['robot.ask']({ text: '带我去B01窗口' });
    expect(a.lead).toBe(true);
    expect(events.map((e) => e.state)).toEqual(['leading']);
    const seconds = 62 / base.robot.speed;
    expect(events[0].seconds).toBeCloseTo(seconds, 0);
    expect(events[0].target).toBe('B01');
    time.advance(seconds * 1000 - 100);
    expect(events.map((e) => e.state)).toEqual(['leading']);
    time.advance(200);
    expect(events.map((e) => e.state)).toEqual(['leading', 'arrived']);
    time.advance(5000);
    expect(events.at(-1)?.state).toBe('returning');
    time.advance(seconds * 1000);
    expect(events.map((e) => e.state)).toEqual(['leading', 'arrived', 'returning', 'docked']);
    expect(robot.home('zh').guide).toBeNull();
  });

  it('goes upstairs by lift and comes back early when told to stop', async () => {
    const { robot, time, events } = start();
    await robot.ready();
    const s = robot.guide('C02');
    expect(s.route.map((l) => l.floor)).toEqual(['F1', 'F2']);
    time.advance(10_000);
    const answer = await robot.handlers['robot.ask']({ text: '停下' });
    expect(answer.intent).toBe('stop');
    expect(events.at(-1)?.state).toBe('returning');
    expect(events.at(-1)?.seconds).toBeCloseTo(10, 0);
    time.advance(10_000);
    expect(events.at(-1)?.state).toBe('docked');
  });

  it('rejects unknown targets with not-found', async () => {
    const { robot } = start();
    await robot.ready();
    await expect(robot.handlers['robot.guide']({ target: 'Z99', confirmed: true })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('never walks on a guide call without the visitor\'s yes', async () => {
    const { robot, events } = start();
    await robot.ready();
    await expect(robot.handlers['robot.guide']({ target: 'B01' })).rejects.toMatchObject({ code: 'bad-input' });
    expect(events).toEqual([]);
    expect(robot.robotState.state).toBe('at-post');
  });

  it('rebuilds its knowledge when the configuration changes', async () => {
    const { robot, store } = start();
    await robot.ready();
    expect((await robot.ask({ text: '大厅可以寄存行李吗' })).intent).toBe('out-of-scope');
    const next = structuredClone(base);
    next.faq = [...next.faq, { id: 'luggage', question: '大厅可以寄存行李吗？', answer: '导办台可以免费寄存小件行李。', keywords: ['寄存', '行李'] }];
    expect(store.apply(next)).toBeNull();
    await robot.ready();
    const a = await robot.ask({ text: '大厅可以寄存行李吗' });
    expect(a.match).toMatchObject({ kind: 'faq', id: 'luggage' });
  });

  it('keeps the conversation until reset', async () => {
    const { robot } = start();
    await robot.ready();
    await robot.ask({ text: '护照在哪办' });
    expect((await robot.ask({ text: '要带什么材料' })).match?.id).toBe('GZ-CRJ-002');
    await robot.handlers['robot.reset']();
    expect((await robot.ask({ text: '要带什么材料' })).match).toBeNull();
    const home = robot.home('en');
    expect(home.map.windows.length).toBe(base.hall.windows.length);
    expect(home.suggestions.length).toBeGreaterThan(0);
  });
});
