/**
 * The hall map and the robot's map frame. A hall's map coordinates (metres, per floor)
 * are the robot's map frame unless the robot was mapped elsewhere; then the hall gives
 * where its own origin sits in the robot's map and how far it is turned. Pure functions.
 */
import type { Pose2D } from './messages.ts';

/** Where the hall's origin lies in the robot's map frame, and the hall's x axis heading there. */
export interface MapTransform {
  x: number;
  y: number;
  /** Radians, counter-clockwise. */
  theta: number;
}

export const IDENTITY: MapTransform = { x: 0, y: 0, theta: 0 };

/** Wraps an angle into (-π, π]. */
export function normalizeAngle(a: number): number {
  const t = Math.atan2(Math.sin(a), Math.cos(a));
  return t === -Math.PI ? Math.PI : t;
}

export function hallToMap(p: Pose2D, t: MapTransform = IDENTITY): Pose2D {
  const c = Math.cos(t.theta);
  const s = Math.sin(t.theta);
  return { x: t.x + c * p.x - s * p.y, y: t.y + s * p.x + c * p.y, theta: normalizeAngle(p.theta + t.theta) };
}

export function mapToHall(p: Pose2D, t: MapTransform = IDENTITY): Pose2D {
  const c = Math.cos(t.theta);
  const s = Math.sin(t.theta);
  const dx = p.x - t.x;
  const dy = p.y - t.y;
  return { x: c * dx + s * dy, y: -s * dx + c * dy, theta: normalizeAngle(p.theta - t.theta) };
}
