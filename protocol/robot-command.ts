/**
 * Staff commands to a lobby robot from the console, carried by the platform over the
 * robot's own device socket: an emergency stop that cancels the base's goal at once, and
 * a resume that sends it back to its post. The console asks the platform over HTTP
 * (POST /api/robots/:id/estop | /resume); the platform sends `robot:command` to that
 * robot's sockets and waits for the acknowledgement. Both ends check the shapes here:
 * the robot the command on arrival, the platform the robot's answer.
 */
import { z } from 'zod';
import { RobotHealth } from './sync.ts';
import type { RobotStateView } from './ui/domains/robot.ts';

export const ROBOT_COMMAND_EVENT = 'robot:command';

export const RobotCommandName = z.enum(['estop', 'resume']);
export type RobotCommandName = z.infer<typeof RobotCommandName>;

/** What the platform sends the robot. */
export const RobotCommand = z
  .object({
    /** One per console press, for the audit and the robot's log. */
    id: z.string().uuid(),
    command: RobotCommandName,
    /** The staff account that pressed it (an account name, never a citizen's). */
    by: z.string().min(1).max(100),
  })
  .strict();
export type RobotCommand = z.infer<typeof RobotCommand>;

/** The robot's answer: its guide's state after the command, or why it could not act. */
export const RobotCommandAck = z.union([
  z.object({ ok: z.literal(true), robot: RobotHealth }).strict(),
  z.object({ ok: z.literal(false), error: z.object({ code: z.enum(['bad-request', 'no-base']), message: z.string().max(500) }).strict() }).strict(),
]);
export type RobotCommandAck = z.infer<typeof RobotCommandAck>;

/** How long the platform waits for the robot's acknowledgement before telling staff. */
export const ROBOT_COMMAND_TIMEOUT_MS = 5000;

/** The guide's state as the platform keeps it (health reports and command answers alike). */
export function robotHealthOf(r: RobotStateView): RobotHealth {
  return { state: r.state, battery: r.battery, charging: r.charging, floor: r.floor, position: r.pose && { x: r.pose.x, y: r.pose.y }, reason: r.reason };
}
