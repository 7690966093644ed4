/**
 * The rosbridge v2 protocol's operations, as the server receives them: one JSON object
 * per WebSocket text frame, told apart by `op`. parseClientOp checks a frame the way
 * rosbridge does and names what is wrong; the simulator answers a bad frame with a
 * `status` error, as rosbridge does, instead of dropping it.
 */
import { z } from 'zod';

const name = z.string().min(1);
const id = z.string().optional();

const Advertise = z.object({ op: z.literal('advertise'), id, topic: name, type: name, latch: z.boolean().optional(), queue_size: z.number().optional() });
const Unadvertise = z.object({ op: z.literal('unadvertise'), id, topic: name });
const Publish = z.object({ op: z.literal('publish'), id, topic: name, msg: z.record(z.string(), z.unknown()) });
const Subscribe = z.object({
  op: z.literal('subscribe'),
  id,
  topic: name,
  type: z.string().optional(),
  throttle_rate: z.number().min(0).optional(),
  queue_length: z.number().min(0).optional(),
  fragment_size: z.number().optional(),
  compression: z.string().optional(),
});
const Unsubscribe = z.object({ op: z.literal('unsubscribe'), id, topic: name });
const CallService = z.object({ op: z.literal('call_service'), id, service: name, args: z.unknown().optional(), type: z.string().optional(), timeout: z.number().optional() });
const SendActionGoal = z.object({
  op: z.literal('send_action_goal'),
  id: name,
  action: name,
  action_type: name,
  args: z.record(z.string(), z.unknown()).optional(),
  feedback: z.boolean().optional(),
});
const CancelActionGoal = z.object({ op: z.literal('cancel_action_goal'), id: name, action: name });
const SetLevel = z.object({ op: z.literal('set_level'), id, level: z.enum(['info', 'warning', 'error', 'none']) });

const ClientOp = z.discriminatedUnion('op', [Advertise, Unadvertise, Publish, Subscribe, Unsubscribe, CallService, SendActionGoal, CancelActionGoal, SetLevel]);
export type ClientOp = z.infer<typeof ClientOp>;

const KNOWN_OPS = new Set(['advertise', 'unadvertise', 'publish', 'subscribe', 'unsubscribe', 'call_service', 'send_action_goal', 'cancel_action_goal', 'set_level']);

export class RosbridgeProtocolError extends Error {
  constructor(
    message: string,
    /** The frame's own id when it had one, so the status can name the operation. */
    readonly opId?: string,
  ) {
    super(message);
  }
}

/** Parses one frame; throws RosbridgeProtocolError naming the fault. */
export function parseClientOp(text: string): ClientOp {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new RosbridgeProtocolError(`Unable to load the following json: ${text.slice(0, 80)} (${(err as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new RosbridgeProtocolError('Received a message that is not a JSON object');
  const record = value as Record<string, unknown>;
  const opId = typeof record.id === 'string' ? record.id : undefined;
  if (typeof record.op !== 'string') throw new RosbridgeProtocolError("Received a message without an 'op' field", opId);
  if (!KNOWN_OPS.has(record.op)) throw new RosbridgeProtocolError(`Unknown operation: ${record.op}. Allowed operations: ${[...KNOWN_OPS].join(', ')}`, opId);
  const parsed = ClientOp.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`).join('; ');
    throw new RosbridgeProtocolError(`${record.op} ${issues}`, opId);
  }
  return parsed.data;
}

/** ROS 2 names types pkg/msg/Name, ROS 1 pkg/Name; rosbridge takes either. */
export function sameType(a: string, b: string): boolean {
  const strip = (t: string) => t.replace(/\/(msg|srv|action)\//, '/');
  return strip(a) === strip(b);
}

/** rosbridge resolves relative names against the root. */
export function resolveName(n: string): string {
  return n.startsWith('/') ? n : `/${n}`;
}
