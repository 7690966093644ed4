/**
 * A differential-drive base following a path of waypoints under speed and acceleration
 * limits: it turns on the spot when the next waypoint is well off its heading, drives
 * with the heading corrected as it goes, slows so it can stop at each corner and at the
 * goal, then turns to the goal's heading. Pure: the simulator owns time and calls step().
 */
import { normalizeAngle } from './frame.ts';
import type { Pose2D } from './messages.ts';

export interface Point {
  x: number;
  y: number;
}

export interface MotionLimits {
  /** Metres per second; lobby robots are held to walking pace. */
  maxSpeed: number;
  /** Metres per second squared. */
  maxAccel: number;
  /** Radians per second. */
  maxTurnRate: number;
  /** Radians per second squared. */
  maxTurnAccel: number;
  /** How close to a waypoint counts as there, metres. */
  tolerance: number;
}

export const DEFAULT_LIMITS: MotionLimits = { maxSpeed: 0.6, maxAccel: 0.5, maxTurnRate: 1.0, maxTurnAccel: 2.0, tolerance: 0.05 };

export interface DriveState {
  pose: Pose2D;
  /** Forward speed, m/s. */
  v: number;
  /** Turn rate, rad/s. */
  w: number;
}

/** Beyond this heading error the base turns on the spot rather than arcing. */
const TURN_IN_PLACE = 0.5;
const HEADING_GAIN = 2.5;
const HEADING_TOLERANCE = 0.03;

export const distance = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);

export function pathLength(points: Point[]): number {
  let m = 0;
  for (let i = 1; i < points.length; i++) m += distance(points[i - 1], points[i]);
  return m;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
const approach = (from: number, to: number, maxStep: number) => from + clamp(to - from, -maxStep, maxStep);

export class PathFollower {
  private index = 0;
  private arrived = false;

  /** `path` starts anywhere; the base heads for its first waypoint. */
  constructor(
    private readonly path: Point[],
    private readonly finalHeading: number | null,
    private readonly limits: MotionLimits = DEFAULT_LIMITS,
  ) {
    if (path.length === 0) throw new Error('a path needs at least one waypoint');
  }

  get done(): boolean {
    return this.arrived;
  }

  /** Distance still to drive along the path from `pose`, metres. */
  remaining(pose: Point): number {
    if (this.index >= this.path.length) return 0;
    return distance(pose, this.path[this.index]) + pathLength(this.path.slice(this.index));
  }

  /**
   * Advances `dt` seconds. `hold` asks the base to brake and stand (something in the
   * way); it keeps its place on the path.
   */
  step(state: DriveState, dt: number, hold = false): DriveState {
    const { maxSpeed, maxAccel, maxTurnRate, maxTurnAccel, tolerance } = this.limits;
    while (this.index < this.path.length && distance(state.pose, this.path[this.index]) < tolerance) this.index++;
    let vWanted = 0;
    let wWanted = 0;
    if (this.index < this.path.length) {
      const target = this.path[this.index];
      const toTarget = distance(state.pose, target);
      const error = normalizeAngle(Math.atan2(target.y - state.pose.y, target.x - state.pose.x) - state.pose.theta);
      wWanted = clamp(HEADING_GAIN * error, -maxTurnRate, maxTurnRate);
      // Stop at every waypoint: the hall's aisles turn at right angles. The profile is the
      // discrete one (speed falls by maxAccel·dt per step), so braking ends on the point.
      const brake = maxAccel * dt;
      const stopping = Math.sqrt(2 * maxAccel * toTarget + (brake / 2) ** 2) - brake / 2;
      vWanted = Math.abs(error) > TURN_IN_PLACE ? 0 : Math.min(maxSpeed, stopping, toTarget / dt) * Math.cos(error);
    } else if (this.finalHeading !== null) {
      const error = normalizeAngle(this.finalHeading - state.pose.theta);
      if (Math.abs(error) < HEADING_TOLERANCE && Math.abs(state.w) < 0.05 && Math.abs(state.v) < 1e-6) this.arrived = true;
      else wWanted = clamp(HEADING_GAIN * error, -maxTurnRate, maxTurnRate);
    } else {
      this.arrived = Math.abs(state.v) < 1e-6;
    }
    if (hold) {
      vWanted = 0;
      wWanted = 0;
    }
    if (this.arrived) return { pose: state.pose, v: 0, w: 0 };
    const v = approach(state.v, vWanted, maxAccel * dt);
    const w = approach(state.w, wWanted, maxTurnAccel * dt);
    const theta = normalizeAngle(state.pose.theta + w * dt);
    // Integrate along the mean heading of the step: exact for straight runs, close on arcs.
    const mid = state.pose.theta + (w * dt) / 2;
    return { pose: { x: state.pose.x + v * Math.cos(mid) * dt, y: state.pose.y + v * Math.sin(mid) * dt, theta }, v, w };
  }
}
