import { describe, expect, it } from 'vitest';
import { robotHistory, type TripRow } from '../../../server/robots/history.ts';
import { checkPayload, type RobotTrip } from '../../../protocol/sync.ts';

const trip = (deviceId: string, at: string, t: Partial<RobotTrip> = {}): TripRow => ({ deviceId, at, trip: { kind: 'guide', target: 'B05', outcome: 'ok', metres: 10, seconds: 20, ...t } });

describe("the robots' history", () => {
  it('counts walks, arrivals and metres per robot and hall day, the hall day turning at midnight in China', () => {
    const days = robotHistory([
      // 23:59 and 00:00 hall time on either side of the turn of the day.
      trip('robot-1', '2026-03-01T15:59:00.000Z', { metres: 12.34 }),
      trip('robot-1', '2026-03-01T16:00:00.000Z'),
      trip('robot-1', '2026-03-01T16:05:00.000Z', { kind: 'return', target: null, metres: 10.01 }),
      trip('robot-2', '2026-03-01T02:00:00.000Z', { outcome: 'not-followed', metres: 4 }),
    ]);
    expect(days.map((d) => [d.day, d.deviceId, d.guidance, d.arrived, d.metres])).toEqual([
      ['2026-03-02', 'robot-1', 1, 1, 20],
      ['2026-03-01', 'robot-1', 1, 1, 12.3],
      ['2026-03-01', 'robot-2', 1, 0, 4],
    ]);
    expect(days[2].notFollowed).toBe(1);
  });

  it('sorts failures: a blocked aisle, other aborts and a lost link on a walk or a way back, and failed dockings', () => {
    const at = '2026-03-01T02:00:00.000Z';
    const [d] = robotHistory([
      trip('robot-1', at, { outcome: 'blocked' }),
      trip('robot-1', at, { kind: 'return', target: null, outcome: 'blocked' }),
      trip('robot-1', at, { outcome: 'aborted' }),
      trip('robot-1', at, { outcome: 'link-lost' }),
      trip('robot-1', at, { kind: 'dock', target: 'robot-dock', outcome: 'aborted' }),
      trip('robot-1', at, { kind: 'dock', target: 'robot-dock', outcome: 'link-lost' }),
      // Neither a docking canceled by a new plan nor one cut by an emergency stop failed.
      trip('robot-1', at, { kind: 'dock', target: 'robot-dock', outcome: 'canceled' }),
      trip('robot-1', at, { kind: 'dock', target: 'robot-dock', outcome: 'stopped' }),
      trip('robot-1', at, { outcome: 'stopped' }),
      trip('robot-1', at, { outcome: 'canceled' }),
    ]);
    expect(d.failures).toEqual({ blocked: 2, aborted: 1, linkLost: 1, docking: 2 });
    expect(d.guidance).toBe(5);
    expect(d.arrived).toBe(0);
    expect(d.stops).toBe(2);
  });

  it('is empty without trips', () => {
    expect(robotHistory([])).toEqual([]);
  });

  it('takes a trip as a transaction only in its strict shape', () => {
    expect(checkPayload('robot-trip', { kind: 'guide', target: 'B05', outcome: 'ok', metres: 41.5, seconds: 70 }).ok).toBe(true);
    const named = checkPayload('robot-trip', { kind: 'guide', target: 'B05', outcome: 'ok', metres: 1, seconds: 1, visitor: '张三' });
    expect(named).toMatchObject({ ok: false, code: 'bad-payload' });
    expect(JSON.stringify(named)).not.toContain('张三');
    expect(checkPayload('robot-trip', { kind: 'walk', target: null, outcome: 'ok', metres: -1, seconds: 1 })).toMatchObject({ ok: false, message: expect.stringMatching(/kind.*metres/s) });
  });
});
