/**
 * Routes on the hall map for the guide robot. Halls lay windows along the walls with
 * an open aisle through the middle, so a route leaves along the aisle (the floor's
 * middle line), runs to the target's column and turns in; a target on another floor is
 * reached through the lift on both floors. Distances are in metres, like the map.
 */
import type { Hall, Point } from '../../config/schema.ts';

export interface RouteLeg {
  floor: string;
  points: Point[];
  metres: number;
}

export interface Route {
  from: { id: string; floor: string; position: Point };
  to: { id: string; name: string; floor: string; position: Point; kind: 'window' | 'place' };
  legs: RouteLeg[];
  metres: number;
  /** True when the route takes the lift. */
  lift: boolean;
}

export class RouteError extends Error {}

const dist = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);

function length(points: Point[]): number {
  let m = 0;
  for (let i = 1; i < points.length; i++) m += dist(points[i - 1], points[i]);
  return m;
}

/** Points from a to b on one floor via its aisle; duplicate points dropped. */
export function legOnFloor(hall: Hall, floorId: string, a: Point, b: Point): RouteLeg {
  const floor = hall.floors.find((f) => f.id === floorId);
  const aisle = (floor?.height ?? Math.max(a.y, b.y) * 2) / 2;
  const raw: Point[] = Math.abs(a.y - b.y) < 0.01 || Math.abs(a.x - b.x) < 0.01 ? [a, b] : [a, { x: a.x, y: aisle }, { x: b.x, y: aisle }, b];
  const points = raw.filter((p, i) => i === 0 || dist(p, raw[i - 1]) > 0.01);
  return { floor: floorId, points, metres: length(points) };
}

/** Where a target id points: a window (B01) or a place (toilet-1). */
export function locate(hall: Hall, id: string): Route['to'] | null {
  const w = hall.windows.find((x) => x.id === id);
  if (w) return { id: w.id, name: w.name, floor: w.floor, position: w.position, kind: 'window' };
  const p = hall.places.find((x) => x.id === id);
  if (p) return { id: p.id, name: p.name, floor: p.floor, position: p.position, kind: 'place' };
  return null;
}

/** Route from a place (the robot's dock) to a window or place. */
export function planRoute(hall: Hall, fromPlaceId: string, targetId: string): Route {
  const from = hall.places.find((p) => p.id === fromPlaceId);
  if (!from) throw new RouteError(`unknown start place ${fromPlaceId}`);
  const to = locate(hall, targetId);
  if (!to) throw new RouteError(`unknown target ${targetId}`);
  const start = { id: from.id, floor: from.floor, position: from.position };
  if (from.floor === to.floor) {
    const leg = legOnFloor(hall, from.floor, from.position, to.position);
    return { from: start, to, legs: [leg], metres: leg.metres, lift: false };
  }
  const liftOn = (floor: string) => hall.places.find((p) => p.kind === 'lift' && p.floor === floor);
  const down = liftOn(from.floor);
  const up = liftOn(to.floor);
  if (!down || !up) throw new RouteError(`no lift connects ${from.floor} and ${to.floor}`);
  const legs = [legOnFloor(hall, from.floor, from.position, down.position), legOnFloor(hall, to.floor, up.position, to.position)];
  return { from: start, to, legs, metres: legs.reduce((m, l) => m + l.metres, 0), lift: true };
}

/** The same route walked back. */
export function reverseRoute(r: Route): RouteLeg[] {
  return [...r.legs].reverse().map((l) => ({ ...l, points: [...l.points].reverse() }));
}
