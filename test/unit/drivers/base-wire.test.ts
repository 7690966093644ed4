import { describe, expect, it } from 'vitest';
import { BaseLink, type BaseSnapshot, type GoalOutcome } from '../../../drivers/base/link.ts';
import type { RobotBaseOutcome, RobotBaseState } from '../../../protocol/robot-base.ts';

describe('the base link speaks the wire shape', () => {
  it('gives a snapshot and outcomes that are the protocol types, JSON-safe', () => {
    const link = new BaseLink({ url: 'ws://127.0.0.1:1' });
    // The assignments are the check: tsc fails if the driver and the protocol drift apart.
    const state: RobotBaseState = link.snapshot satisfies BaseSnapshot;
    const outcome: RobotBaseOutcome = { ok: false, kind: 'navigate', reason: 'aborted', message: 'blocked', recoveries: 3, errorCode: 105 } satisfies GoalOutcome;
    expect(JSON.parse(JSON.stringify(state))).toEqual({ link: 'down', pose: null, battery: null, goal: null });
    expect(JSON.parse(JSON.stringify(outcome))).toEqual(outcome);
  });

  it('refuses a goal at once while the link is down, with the reason', async () => {
    const link = new BaseLink({ url: 'ws://127.0.0.1:1' });
    expect(await link.navigateTo({ x: 1, y: 2, theta: 0 })).toEqual({ ok: false, kind: 'navigate', reason: 'link-lost', message: 'the robot base is not connected', recoveries: 0 });
  });
});
