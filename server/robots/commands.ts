/**
 * Staff stop and resume a lobby robot from the console. The platform carries the command
 * over the robot's own device socket (protocol/robot-command.ts), waits for the robot's
 * answer and keeps its state, and audits every press: who, from where, which robot, what
 * came of it. A robot that is not connected is reported at once, never waited on: staff
 * must then use the robot's own stop button.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { ServerContext } from '../context.ts';
import type { DeviceRow } from '../devices/index.ts';
import { HttpError, parse } from '../http.ts';
import { ROBOT_COMMAND_EVENT, ROBOT_COMMAND_TIMEOUT_MS, RobotCommandAck, type RobotCommand, type RobotCommandName } from '../../protocol/robot-command.ts';
import type { RobotCommandAnswer, RobotCommandAuditEntry } from '../../protocol/platform-http.ts';
import type { RobotHealth } from '../../protocol/sync.ts';

export const ROBOT_COMMAND_MIGRATIONS = [
  `CREATE TABLE robot_commands (
     id TEXT PRIMARY KEY,
     at TEXT NOT NULL,
     device_id TEXT NOT NULL,
     command TEXT NOT NULL,
     staff_id TEXT NOT NULL,
     username TEXT NOT NULL,
     address TEXT,
     outcome TEXT NOT NULL,
     detail TEXT
   );
   CREATE INDEX robot_commands_at ON robot_commands (at);`,
];

type Outcome = RobotCommandAuditEntry['outcome'];

/** Send one command to a robot's sockets; what came of it, never a throw for an absent robot. */
async function deliver(ctx: ServerContext, deviceId: string, cmd: RobotCommand): Promise<{ outcome: Outcome; robot: RobotHealth | null; detail: string }> {
  let replies: unknown[];
  try {
    replies = await ctx.io.in(`device:${deviceId}`).timeout(ROBOT_COMMAND_TIMEOUT_MS).emitWithAck(ROBOT_COMMAND_EVENT, cmd);
  } catch {
    return { outcome: 'no-answer', robot: null, detail: `the robot did not answer within ${ROBOT_COMMAND_TIMEOUT_MS / 1000} s` };
  }
  if (replies.length === 0) return { outcome: 'offline', robot: null, detail: 'the robot is not connected to the platform' };
  for (const raw of replies) {
    const ack = RobotCommandAck.safeParse(raw);
    if (ack.success && ack.data.ok) return { outcome: 'done', robot: ack.data.robot, detail: '' };
    if (ack.success && !ack.data.ok) return { outcome: 'refused', robot: null, detail: ack.data.error.message };
  }
  return { outcome: 'refused', robot: null, detail: 'the robot answered in a form this platform cannot read' };
}

const REFUSAL: Record<Exclude<Outcome, 'done'>, string> = {
  offline: 'is not connected: the command did not reach it. Use the stop button on the robot itself.',
  'no-answer': 'did not confirm the command. Check the robot and use its own stop button.',
  refused: 'refused the command',
};

export function registerRobotCommands(ctx: ServerContext): void {
  const { app, db, log } = ctx;
  const Params = z.object({ id: z.string().min(1).max(64) });

  const press = (command: RobotCommandName) => async (request: FastifyRequest) => {
    const { id } = parse(Params, request.params, 'path');
    const staff = (await ctx.staffOf(request))!;
    const row = (await db.query<Pick<DeviceRow, 'id' | 'kind' | 'revoked_at'>>('SELECT id, kind, revoked_at FROM devices WHERE id = ?', [id]))[0];
    if (!row || row.kind !== 'robot') throw new HttpError('not-found', `no robot ${id}`);
    if (row.revoked_at) throw new HttpError('conflict', `robot ${id} has been revoked`);
    const cmd: RobotCommand = { id: randomUUID(), command, by: staff.username };
    const result = await deliver(ctx, id, cmd);
    const at = new Date().toISOString();
    await db.run('INSERT INTO robot_commands (id, at, device_id, command, staff_id, username, address, outcome, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [
      cmd.id,
      at,
      id,
      command,
      staff.id,
      staff.username,
      request.ip,
      result.outcome,
      result.detail || null,
    ]);
    log.warn({ device: id, command, staff: staff.id, outcome: result.outcome }, 'robot command from the console');
    if (result.outcome !== 'done') throw new HttpError(result.outcome === 'refused' ? 'conflict' : 'unavailable', `robot ${id} ${REFUSAL[result.outcome]}${result.detail && result.outcome === 'refused' ? `: ${result.detail}` : ''}`);
    // The console shows the answer at once; the robot's next health report confirms it.
    await db.run('UPDATE devices SET robot = ? WHERE id = ?', [JSON.stringify(result.robot), id]);
    const answer: RobotCommandAnswer = { id: cmd.id, command, robot: result.robot! };
    return answer;
  };

  // Any staff member may stop a robot; sending it moving again is a manager's call.
  app.post('/api/robots/:id/estop', { preHandler: ctx.requireStaff() }, press('estop'));
  app.post('/api/robots/:id/resume', { preHandler: ctx.requireStaff(['hall-manager']) }, press('resume'));

  app.get('/api/robot-commands', { preHandler: ctx.requireStaff(['hall-manager']) }, async (request) => {
    const q = parse(z.object({ device: z.string().max(64).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }).strict(), request.query, 'query');
    const rows = await db.query<{ id: string; at: string; device_id: string; command: RobotCommandName; username: string; address: string | null; outcome: Outcome; detail: string | null }>(
      `SELECT id, at, device_id, command, username, address, outcome, detail FROM robot_commands ${q.device ? 'WHERE device_id = ?' : ''} ORDER BY at DESC LIMIT ?`,
      q.device ? [q.device, q.limit] : [q.limit],
    );
    const entries: RobotCommandAuditEntry[] = rows.map((r) => ({ id: r.id, at: r.at, deviceId: r.device_id, command: r.command, username: r.username, address: r.address, outcome: r.outcome, detail: r.detail }));
    return { entries };
  });
}
