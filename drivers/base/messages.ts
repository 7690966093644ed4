/**
 * The ROS 2 messages the robot base speaks through rosbridge, as plain JSON shapes, and
 * pure conversions to and from them. Field names and constants follow the .msg/.action
 * definitions (geometry_msgs, sensor_msgs/BatteryState, action_msgs/GoalStatus,
 * nav2_msgs/action/NavigateToPose, opennav_docking_msgs/action/DockRobot and UndockRobot),
 * since a real rosbridge fills in and checks exactly those.
 */

export interface Time {
  sec: number;
  nanosec: number;
}
export type Duration = Time;

export interface Header {
  stamp: Time;
  frame_id: string;
}

export interface Quaternion {
  x: number;
  y: number;
  z: number;
  w: number;
}

export interface RosPose {
  position: { x: number; y: number; z: number };
  orientation: Quaternion;
}

export interface PoseStamped {
  header: Header;
  pose: RosPose;
}

export interface PoseWithCovarianceStamped {
  header: Header;
  pose: { pose: RosPose; covariance: number[] };
}

export interface Twist {
  linear: { x: number; y: number; z: number };
  angular: { x: number; y: number; z: number };
}

/** sensor_msgs/BatteryState; percentage is 0…1. */
export interface BatteryState {
  header: Header;
  voltage: number;
  temperature: number;
  current: number;
  charge: number;
  capacity: number;
  design_capacity: number;
  percentage: number;
  power_supply_status: number;
  power_supply_health: number;
  power_supply_technology: number;
  present: boolean;
  cell_voltage: number[];
  cell_temperature: number[];
  location: string;
  serial_number: string;
}

export const PowerSupplyStatus = { UNKNOWN: 0, CHARGING: 1, DISCHARGING: 2, NOT_CHARGING: 3, FULL: 4 } as const;

/** action_msgs/GoalStatus. */
export const GoalStatus = { UNKNOWN: 0, ACCEPTED: 1, EXECUTING: 2, CANCELING: 3, SUCCEEDED: 4, CANCELED: 5, ABORTED: 6 } as const;

export interface NavigateToPoseGoal {
  pose: PoseStamped;
  behavior_tree: string;
}

export interface NavigateToPoseFeedback {
  current_pose: PoseStamped;
  navigation_time: Duration;
  estimated_time_remaining: Duration;
  number_of_recoveries: number;
  distance_remaining: number;
}

/** Jazzy's result; Humble's is empty, so every field is read as optional. */
export interface NavigateToPoseResult {
  error_code: number;
  error_msg: string;
}

/**
 * Error codes the navigator reports: its own (9000…) and the ones it passes up from the
 * controller (100…) and planner (200…) servers.
 */
export const NavErrorCode = {
  NONE: 0,
  CONTROLLER_FAILED_TO_MAKE_PROGRESS: 105,
  PLANNER_GOAL_OUTSIDE_MAP: 204,
  PLANNER_NO_VALID_PATH: 208,
  UNKNOWN: 9000,
  TIMEOUT: 9002,
} as const;

export interface DockRobotGoal {
  use_dock_id: boolean;
  dock_id: string;
  dock_pose: PoseStamped;
  dock_type: string;
  max_staging_time: number;
  navigate_to_staging_pose: boolean;
}

export interface DockRobotFeedback {
  state: number;
  docking_time: Duration;
  num_retries: number;
}

export interface DockRobotResult {
  success: boolean;
  error_code: number;
  num_retries: number;
}

export interface UndockRobotGoal {
  dock_type: string;
  max_undocking_time: number;
}

export interface UndockRobotResult {
  success: boolean;
  error_code: number;
}

export const DockState = { NONE: 0, NAV_TO_STAGING_POSE: 1, INITIAL_PERCEPTION: 2, CONTROLLING: 3, WAIT_FOR_CHARGE: 4, RETRY: 5 } as const;

export const DockErrorCode = {
  NONE: 0,
  DOCK_NOT_IN_DB: 901,
  DOCK_NOT_VALID: 902,
  FAILED_TO_STAGE: 903,
  FAILED_TO_DETECT_DOCK: 904,
  FAILED_TO_CONTROL: 905,
  FAILED_TO_CHARGE: 906,
  UNKNOWN: 999,
} as const;

export const ActionTypes = {
  navigate: 'nav2_msgs/action/NavigateToPose',
  dock: 'opennav_docking_msgs/action/DockRobot',
  undock: 'opennav_docking_msgs/action/UndockRobot',
} as const;

export const MessageTypes = {
  battery: 'sensor_msgs/msg/BatteryState',
  amclPose: 'geometry_msgs/msg/PoseWithCovarianceStamped',
  cmdVel: 'geometry_msgs/msg/Twist',
} as const;

// ---------------------------------------------------------------- conversions

/** A pose on a floor plan: metres and a heading in radians, counter-clockwise from +x. */
export interface Pose2D {
  x: number;
  y: number;
  theta: number;
}

export function timeFromMs(ms: number): Time {
  const sec = Math.floor(ms / 1000);
  return { sec, nanosec: Math.round((ms - sec * 1000) * 1e6) };
}

export function seconds(t: Time | undefined): number {
  return t ? t.sec + t.nanosec / 1e9 : 0;
}

export function yawToQuaternion(yaw: number): Quaternion {
  return { x: 0, y: 0, z: Math.sin(yaw / 2), w: Math.cos(yaw / 2) };
}

/** The heading of a quaternion about z; a tilted base still gets its planar heading. */
export function quaternionToYaw(q: Quaternion): number {
  return Math.atan2(2 * (q.w * q.z + q.x * q.y), 1 - 2 * (q.y * q.y + q.z * q.z));
}

export function poseStamped(p: Pose2D, stampMs: number, frame = 'map'): PoseStamped {
  return {
    header: { stamp: timeFromMs(stampMs), frame_id: frame },
    pose: { position: { x: p.x, y: p.y, z: 0 }, orientation: yawToQuaternion(p.theta) },
  };
}

export function pose2D(p: RosPose): Pose2D {
  return { x: p.position.x, y: p.position.y, theta: quaternionToYaw(p.orientation) };
}
