/**
 * 我的材料办好了吗: the robot hears a question about the visitor's own case. With nobody
 * signed in it says how to look a case up at a kiosk; with a citizen signed in it says
 * how their cases stand, with the window to collect at and the materials to bring.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigStore, loadConfigDir } from '../../../config/load.ts';
import type { HallConfig } from '../../../config/schema.ts';
import { RobotService } from '../../../electron/services/robot.ts';
import type { CaseView } from '../../../protocol/cases.ts';

let base: HallConfig;
let service: RobotService;
/** What the platform answers for the citizen at the terminal; each test sets it. */
let answerCases: () => Promise<CaseView[] | null> = async () => null;
// One engine for the file: building it is the slow part, and the cases come through answerCases.
beforeAll(async () => {
  base = loadConfigDir();
  service = new RobotService(new ConfigStore(base), { myCases: () => answerCases() });
  await service.ready();
});
afterAll(() => service.close());

const at = '2026-11-03T02:00:00.000Z';
function aCase(over: Partial<CaseView>): CaseView {
  return {
    id: 'c1',
    number: '20261103-0001',
    lookupCode: 'AB23CD45EF',
    itemCode: 'GZ-GA-001',
    itemName: '居住证办理',
    itemNameEn: 'Residence permit',
    windowId: 'B02',
    state: 'ready',
    bound: true,
    acceptedAt: at,
    updatedAt: at,
    dueBy: '2026-11-12',
    overdue: false,
    timeline: [{ state: 'accepted', at }],
    ...over,
  };
}

function robot(cases: () => Promise<CaseView[] | null>): RobotService {
  answerCases = cases;
  return service;
}

describe('the robot on case progress', () => {
  it('says how to look a case up when nobody is signed in', async () => {
    const r = robot(async () => null);
    for (const text of ['我的材料办好了吗', '我的证办好了没有']) {
      const a = await r.handlers['robot.ask']({ text });
      expect(a.intent).toBe('case.progress');
      expect(a.answer).toContain('办件进度');
      expect(a.answer).toContain('受理回执');
    }
  });

  it('says how the signed-in citizen\'s cases stand, in Chinese and English', async () => {
    const cases = [aCase({}), aCase({ id: 'c2', itemName: '户口迁入', itemNameEn: null, state: 'returned', timeline: [{ state: 'returned', at, missing: ['居民户口簿'] }] })];
    const r = robot(async () => cases);
    const a = await r.handlers['robot.ask']({ text: '我的证办好了没有' });
    expect(a.answer).toBe('您名下的办件：居住证办理：待领取（B02窗口领取）和户口迁入：退回补正（请补交居民户口簿）。');
    const en = await r.handlers['robot.ask']({ text: '我的材料办好了吗', lang: 'en' });
    expect(en.answer).toBe('Your cases: Residence permit: ready for collection (window B02) and 户口迁入: returned for more materials (bring 居民户口簿).');
  });

  it('says so when the citizen has no case, and falls back to the how-to when the platform does not answer', async () => {
    expect((await robot(async () => []).handlers['robot.ask']({ text: '我的材料办好了吗' })).answer).toContain('您名下还没有办件');
    const cut = robot(async () => {
      throw new Error('platform unreachable');
    });
    expect((await cut.handlers['robot.ask']({ text: '我的材料办好了吗' })).answer).toContain('请到自助服务终端');
  });

  it('leaves a question about an item\'s facts to the item', async () => {
    const r = robot(async () => [aCase({})]);
    expect((await r.handlers['robot.ask']({ text: '营业执照多久能办好' })).intent).toBe('item.duration');
    expect((await r.handlers['robot.ask']({ text: '护照办好了能邮寄吗' })).intent).not.toBe('case.progress');
  });
});
