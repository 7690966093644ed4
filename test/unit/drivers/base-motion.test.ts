import { describe, expect, it } from 'vitest';
import { hallToMap, mapToHall, normalizeAngle } from '../../../drivers/base/frame.ts';
import { pose2D, poseStamped, quaternionToYaw, seconds, timeFromMs, yawToQuaternion } from '../../../drivers/base/messages.ts';
import { DEFAULT_LIMITS, PathFollower, pathLength, type DriveState } from '../../../drivers/base/motion.ts';
import { RosbridgeProtocolError, parseClientOp, sameType } from '../../../drivers/base/rosbridge.ts';

describe('poses and frames', () => {
  it('turns headings into quaternions and back', () => {
    for (const yaw of [0, 0.3, Math.PI / 2, -2.5, Math.PI]) expect(normalizeAngle(quaternionToYaw(yawToQuaternion(yaw)) - yaw)).toBeCloseTo(0, 9);
  });

  it('stamps times as sec + nanosec', () => {
    expect(timeFromMs(1500.25)).toEqual({ sec: 1, nanosec: 500_250_000 });
    expect(seconds({ sec: 3, nanosec: 500_000_000 })).toBe(3.5);
  });

  it('round-trips a pose through PoseStamped in the map frame', () => {
    const ps = poseStamped({ x: 3, y: -4, theta: 1 }, 2000);
    expect(ps.header).toEqual({ stamp: { sec: 2, nanosec: 0 }, frame_id: 'map' });
    const back = pose2D(ps.pose);
    expect(back.x).toBe(3);
    expect(back.theta).toBeCloseTo(1, 9);
  });

  it('maps hall coordinates into a turned, shifted robot map and back', () => {
    const t = { x: 10, y: 5, theta: Math.PI / 2 };
    const m = hallToMap({ x: 2, y: 0, theta: 0 }, t);
    expect(m.x).toBeCloseTo(10, 9);
    expect(m.y).toBeCloseTo(7, 9);
    expect(m.theta).toBeCloseTo(Math.PI / 2, 9);
    const h = mapToHall(m, t);
    expect(h.x).toBeCloseTo(2, 9);
    expect(h.y).toBeCloseTo(0, 9);
    expect(h.theta).toBeCloseTo(0, 9);
    expect(hallToMap({ x: 1, y: 2, theta: 3 })).toEqual({ x: 1, y: 2, theta: 3 });
  });
});

function run(follower: PathFollower, start: DriveState, dt = 0.1, maxSteps = 5000) {
  let s = start;
  const trace: DriveState[] = [s];
  for (let i = 0; i < maxSteps && !follower.done; i++) {
    s = follower.step(s, dt);
    trace.push(s);
  }
  return trace;
}

describe('differential-drive path following', () => {
  it('reaches the end of an L-shaped path within the limits and faces the goal heading', () => {
    const path = [
      { x: 0, y: 20 },
      { x: 20, y: 20 },
      { x: 20, y: 34 },
    ];
    const follower = new PathFollower(path, Math.PI / 2);
    const trace = run(follower, { pose: { x: 0, y: 20, theta: 0 }, v: 0, w: 0 });
    expect(follower.done).toBe(true);
    const end = trace.at(-1)!;
    expect(Math.hypot(end.pose.x - 20, end.pose.y - 34)).toBeLessThan(DEFAULT_LIMITS.tolerance + 0.01);
    expect(normalizeAngle(end.pose.theta - Math.PI / 2)).toBeCloseTo(0, 1);
    for (let i = 1; i < trace.length; i++) {
      expect(trace[i].v).toBeLessThanOrEqual(DEFAULT_LIMITS.maxSpeed + 1e-9);
      expect(Math.abs(trace[i].v - trace[i - 1].v)).toBeLessThanOrEqual(DEFAULT_LIMITS.maxAccel * 0.1 + 1e-9);
      expect(Math.abs(trace[i].w)).toBeLessThanOrEqual(DEFAULT_LIMITS.maxTurnRate + 1e-9);
    }
    // 34 m at 0.6 m/s with two stops and a turn: slower than cruising the whole way.
    expect(trace.length * 0.1).toBeGreaterThan(pathLength(path) / DEFAULT_LIMITS.maxSpeed);
  });

  it('turns on the spot towards a waypoint behind it before driving', () => {
    const follower = new PathFollower([{ x: -5, y: 0 }], null);
    const first = follower.step({ pose: { x: 0, y: 0, theta: 0 }, v: 0, w: 0 }, 0.1);
    expect(first.v).toBe(0);
    expect(Math.abs(first.w)).toBeGreaterThan(0);
  });

  it('brakes and stands while held, keeping its place on the path', () => {
    const follower = new PathFollower([{ x: 10, y: 0 }], null);
    let s: DriveState = { pose: { x: 0, y: 0, theta: 0 }, v: 0.6, w: 0 };
    for (let i = 0; i < 30; i++) s = follower.step(s, 0.1, true);
    expect(s.v).toBe(0);
    const x = s.pose.x;
    s = follower.step(s, 0.1, true);
    expect(s.pose.x).toBe(x);
    expect(follower.remaining(s.pose)).toBeCloseTo(10 - x, 9);
  });
});

describe('rosbridge frames', () => {
  it('parses a goal and names what a bad frame lacks', () => {
    expect(parseClientOp(JSON.stringify({ op: 'cancel_action_goal', id: 'a', action: '/x' }))).toEqual({ op: 'cancel_action_goal', id: 'a', action: '/x' });
    expect(() => parseClientOp('nope')).toThrow(/Unable to load the following json/);
    expect(() => parseClientOp('[1]')).toThrow(/not a JSON object/);
    expect(() => parseClientOp('{"id":"q"}')).toThrow(/without an 'op'/);
    try {
      parseClientOp(JSON.stringify({ op: 'subscribe', id: 's1' }));
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(RosbridgeProtocolError);
      expect((err as RosbridgeProtocolError).opId).toBe('s1');
      expect((err as Error).message).toMatch(/topic/);
    }
  });

  it('treats ROS 1 and ROS 2 type names alike', () => {
    expect(sameType('sensor_msgs/msg/BatteryState', 'sensor_msgs/BatteryState')).toBe(true);
    expect(sameType('sensor_msgs/msg/BatteryState', 'std_msgs/msg/String')).toBe(false);
  });
});
