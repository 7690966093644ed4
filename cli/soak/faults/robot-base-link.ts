/**
 * robot-base-link: the link between the robot and its base drops (the simulated base
 * closes every connection and refuses new ones for holdMs, as a base rebooting its
 * rosbridge or a loose cable does). The link comes back by itself when the refusal ends;
 * the robot must reconnect without a person. Recovered when the robot's health shows
 * the base linked again.
 */
import type { FaultClass } from '../contract.ts';
import { terminalHealth } from './terminal-health.ts';

export interface RobotBaseLinkOptions {
  /** The robot terminal's id in the hall. */
  terminal: string;
  /** The simulated base's control endpoint (HallUrls.robotBase: http://host:port/sim/base). */
  baseControlUrl: string;
  holdMs?: number;
}

export function robotBaseLink(opts: RobotBaseLinkOptions): FaultClass {
  const holdMs = opts.holdMs ?? 5000;
  return {
    name: 'robot-base-link',
    target: opts.terminal,
    holdMs,
    async inject(hall) {
      const res = await fetch(`${opts.baseControlUrl}/link/drop`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refuseMs: holdMs }), signal: AbortSignal.timeout(5000) });
      if (!res.ok) throw new Error(`robot-base-link: the base simulator refused the drop: HTTP ${res.status} ${await res.text()}`);
      hall.note('robot-base-link', { terminal: opts.terminal, refuseMs: holdMs });
    },
    async restore() {
      // The base takes connections again when its refusal ends; nothing to undo by hand.
    },
    async noticed(hall) {
      const robot = (await terminalHealth(hall, opts.terminal))?.robot;
      return !!robot && (robot.link !== 'up' || !robot.base);
    },
    async recovered(hall) {
      const robot = (await terminalHealth(hall, opts.terminal))?.robot;
      // Linked is not enough: a robot left in fault after the link returned needs a person.
      return !!robot && robot.base && robot.link === 'up' && robot.state !== 'fault';
    },
  };
}
