/**
 * Staff commands from the console, as the robot answers them: checked on arrival, then run
 * through the very handlers the robot's own screen calls, so a console stop cancels the
 * goal exactly as the screen's 急停 does.
 */
import type { Logger } from 'pino';
import { RobotCommand, robotHealthOf, type RobotCommandAck } from '../../protocol/robot-command.ts';
import { summarizeIssues } from '../../protocol/sync.ts';
import type { RobotService } from './robot.ts';

/** Why the robot stopped, as the screen and the console show it. */
export const CONSOLE_STOP_REASON = '工作人员在控制台急停';

export async function answerRobotCommand(robot: RobotService, raw: unknown, log: Logger): Promise<RobotCommandAck> {
  const parsed = RobotCommand.safeParse(raw);
  if (!parsed.success) {
    log.warn({ code: 'bad-request' }, 'malformed robot command from the platform');
    return { ok: false, error: { code: 'bad-request', message: summarizeIssues(parsed.error) } };
  }
  const cmd = parsed.data;
  if (!robot.guideMachine) return { ok: false, error: { code: 'no-base', message: 'this robot has no base: there is nothing to stop or resume' } };
  const view = cmd.command === 'estop' ? robot.estop(CONSOLE_STOP_REASON) : robot.resume();
  log.warn({ command: cmd.command, id: cmd.id, by: cmd.by, state: view.state }, 'robot command from the staff console');
  return { ok: true, robot: robotHealthOf(view) };
}
