/**
 * The robot base's state as the kiosk host and the platform console both see it: the
 * link to the base, where it stands on the hall map, its battery and the goal it is on.
 * drivers/base/link.ts produces it (BaseLink.snapshot); this file imports nothing.
 */

export type RobotBaseLink = 'connecting' | 'up' | 'down';
export type RobotBaseGoalKind = 'navigate' | 'dock' | 'undock';
export type RobotBaseFailure = 'link-lost' | 'refused' | 'aborted' | 'stuck' | 'timeout' | 'canceled' | 'busy';

/** Hall-map metres and a heading in radians, counter-clockwise from +x. */
export interface RobotBasePose {
  x: number;
  y: number;
  theta: number;
}

export interface RobotBaseBattery {
  /** 0…100. */
  percent: number;
  charging: boolean;
  voltage: number;
}

export interface RobotBaseGoal {
  kind: RobotBaseGoalKind;
  pose: RobotBasePose | null;
  distanceRemaining: number | null;
  recoveries: number;
  navigationSeconds: number;
  etaSeconds: number | null;
  /** opennav_docking's DockRobot feedback state while docking. */
  dockState?: number;
}

export interface RobotBaseState {
  link: RobotBaseLink;
  pose: RobotBasePose | null;
  battery: RobotBaseBattery | null;
  goal: RobotBaseGoal | null;
}

export type RobotBaseOutcome =
  | { ok: true; kind: RobotBaseGoalKind; recoveries: number }
  | { ok: false; kind: RobotBaseGoalKind; reason: RobotBaseFailure; message: string; recoveries: number; errorCode?: number };
