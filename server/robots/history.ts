/**
 * Each robot's history for the console's figures, per robot and hall day: walks, metres
 * driven and what went wrong. It is read from the robot-trip transactions the robots sync
 * like every other transaction, so a robot that was offline all day still counts in full
 * once its outbox has caught up.
 */
import type { ServerContext } from '../context.ts';
import { parseDayRange } from '../day-range.ts';
import { hallDay } from '../../protocol/clock.ts';
import type { RobotDayFigures, RobotHistoryAnswer } from '../../protocol/platform-http.ts';
import type { RobotTrip } from '../../protocol/sync.ts';

export interface TripRow {
  deviceId: string;
  at: string;
  trip: RobotTrip;
}

const empty = (deviceId: string, day: string): RobotDayFigures => ({
  deviceId,
  day,
  guidance: 0,
  arrived: 0,
  metres: 0,
  failures: { blocked: 0, aborted: 0, linkLost: 0, docking: 0 },
  notFollowed: 0,
  stops: 0,
});

/** Adds trips up per robot and hall day, newest day first. */
export function robotHistory(rows: Iterable<TripRow>): RobotDayFigures[] {
  const days = new Map<string, RobotDayFigures>();
  for (const { deviceId, at, trip } of rows) {
    const day = hallDay(Date.parse(at));
    const key = `${day}|${deviceId}`;
    const d = days.get(key) ?? empty(deviceId, day);
    days.set(key, d);
    d.metres += trip.metres;
    if (trip.outcome === 'stopped') d.stops++;
    if (trip.kind === 'guide') {
      d.guidance++;
      if (trip.outcome === 'ok') d.arrived++;
      if (trip.outcome === 'not-followed') d.notFollowed++;
    }
    // A docking that failed is a docking failure, whatever the base said; a stop or a new plan is none.
    if (trip.kind === 'dock') {
      if (!['ok', 'canceled', 'stopped'].includes(trip.outcome)) d.failures.docking++;
    } else if (trip.outcome === 'blocked') d.failures.blocked++;
    else if (trip.outcome === 'aborted') d.failures.aborted++;
    else if (trip.outcome === 'link-lost') d.failures.linkLost++;
  }
  return [...days.values()]
    .map((d) => ({ ...d, metres: Math.round(d.metres * 10) / 10 }))
    .sort((a, b) => b.day.localeCompare(a.day) || a.deviceId.localeCompare(b.deviceId));
}

export function registerRobotHistory(ctx: ServerContext): void {
  const { app, db } = ctx;
  app.get('/api/robots/history', { preHandler: ctx.requireStaff() }, async (request) => {
    const { from, to, startIso, endIso } = parseDayRange(request.query, 7);
    const rows = await db.query<{ device_id: string; at: string; payload: string }>("SELECT device_id, at, payload FROM transactions WHERE type = 'robot-trip' AND at >= ? AND at < ? LIMIT 500000", [startIso, endIso]);
    const answer: RobotHistoryAnswer = {
      from,
      to,
      days: robotHistory(rows.map((r) => ({ deviceId: r.device_id, at: r.at, trip: JSON.parse(r.payload) as RobotTrip }))),
    };
    return answer;
  });
}
