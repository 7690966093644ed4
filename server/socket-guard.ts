/**
 * What stands between a device's socket and the modules' listeners, so that nothing a
 * device sends can take the platform down or act for a device that is no longer enrolled:
 *
 * - every incoming event's arguments are bounded (depth, count, text) before any listener
 *   or schema walks them, and an event nobody listens for, or with more than one value,
 *   is refused rather than left unanswered;
 * - every event re-reads the device's enrolment, because a revocation made on another
 *   node only disconnects the sockets that node can reach through the adapter;
 * - every listener's throw or rejection is caught, logged and answered.
 *
 * Refusals are answered through the event's acknowledgement in the sync error shape and
 * logged with the event name and device id, never the values.
 */
import type { Socket } from 'socket.io';
import type { Logger } from 'pino';
import type { Db } from './db/types.ts';
import type { EnrolledDevice } from './context.ts';
import { checkBounds, type Bounds } from '../protocol/bounds.ts';
import { EVENTS, LIMITS, type SyncError } from '../protocol/sync.ts';

/** The bounds of one socket event's arguments (the event name included). */
export const EVENT_BOUNDS: Bounds = { maxDepth: LIMITS.maxDepth, maxNodes: LIMITS.maxNodes, maxStringBytes: LIMITS.maxEventBytes };

type Ack = (response: unknown) => void;
type Listener = (...args: unknown[]) => unknown;

const REVOKED: SyncError = { code: 'revoked', message: 'this device has been revoked', retry: false };
const INTERNAL: SyncError = { code: 'internal', message: 'the platform could not answer; try again later', retry: true };

function ackOf(args: unknown[]): Ack | undefined {
  const last = args[args.length - 1];
  return typeof last === 'function' ? (last as Ack) : undefined;
}

function refuse(ack: Ack | undefined, error: SyncError): void {
  if (!ack) return;
  try {
    ack({ ok: false, error });
  } catch {
    // An answer that cannot be sent (the socket went away meanwhile) is nobody's loss.
  }
}

async function stillEnrolled(db: Db, deviceId: string): Promise<boolean> {
  const row = (await db.query<{ revoked_at: string | null }>('SELECT revoked_at FROM devices WHERE id = ?', [deviceId]))[0];
  return !!row && !row.revoked_at;
}

/** Call once per device socket, before any module adds its listeners. */
export function guardDeviceSocket(socket: Socket, device: EnrolledDevice, deps: { db: Db; log: Logger }): void {
  const { db, log } = deps;
  const who = { device: device.deviceId };

  // The name goes into the log only when it is one the platform knows: a device picks it freely.
  const known = (name: unknown): name is string => typeof name === 'string' && socket.listeners(name).length > 0;

  // Enrolment is read in arrival order, so events reach their listeners in the order they were sent.
  let gate: Promise<void> = Promise.resolve();
  socket.use((packet, next) => {
    const ack = ackOf(packet);
    const name = packet[0];
    const event = known(name) ? name : '(unknown)';
    const shape = checkBounds(ack ? packet.slice(0, -1) : packet, EVENT_BOUNDS);
    if (!shape.ok) {
      log.warn({ ...who, event, code: 'too-large', exceeded: shape.exceeded }, 'socket event refused for its shape');
      return refuse(ack, { code: 'too-large', message: shape.message, retry: false });
    }
    if (!known(name)) {
      log.warn({ ...who, code: 'bad-request' }, 'socket event nobody listens for');
      return refuse(ack, { code: 'bad-request', message: 'the platform has no such event', retry: false });
    }
    // Every device event is (value, ack): with no value the ack would arrive as the value and the
    // event would go unanswered, and a second value would take the ack's place.
    const values = packet.length - 1 - (ack ? 1 : 0);
    if (values > 1) {
      log.warn({ ...who, event, code: 'bad-request', values }, 'socket event with extra arguments refused');
      return refuse(ack, { code: 'bad-request', message: `${event} takes one argument`, retry: false });
    }
    if (values === 0) packet.splice(1, 0, undefined);
    gate = gate.then(async () => {
      if (!socket.connected) return;
      let enrolled: boolean;
      try {
        enrolled = await stillEnrolled(db, device.deviceId);
      } catch (err) {
        log.error({ ...who, event, err: (err as Error).message }, 'could not check the device enrolment');
        return refuse(ack, INTERNAL);
      }
      if (enrolled) return next();
      log.warn({ ...who, event, code: 'revoked' }, 'event from a revoked device refused');
      refuse(ack, REVOKED);
      socket.emit(EVENTS.error, REVOKED);
      socket.disconnect(true);
    }).catch((err: unknown) => {
      // Never leave the gate rejected: every later event of this socket would wait on it for nothing.
      log.error({ ...who, event, err: (err as Error).message }, 'socket event check failed');
      refuse(ack, INTERNAL);
    });
  });

  // Every listener a module adds is wrapped: one place instead of a try in every handler.
  const on = socket.on.bind(socket) as (event: string, listener: Listener) => Socket;
  socket.on = ((event: string, listener: Listener) => on(event, guardListener(event, listener, who, log))) as Socket['on'];
}

function guardListener(event: string, listener: Listener, who: { device: string }, log: Logger): Listener {
  return function (this: unknown, ...args: unknown[]) {
    const ack = ackOf(args);
    const fail = (err: unknown) => {
      const e = err instanceof Error ? err : new Error('a non-error value was thrown');
      log.error({ ...who, event, err: { message: e.message, stack: e.stack } }, 'socket listener failed');
      // socket.io sends an acknowledgement once: this is a no-op if the listener already answered.
      refuse(ack, INTERNAL);
    };
    try {
      const result = listener.apply(this, args);
      if (result && typeof (result as Promise<unknown>).then === 'function') (result as Promise<unknown>).then(undefined, fail);
      return result;
    } catch (err) {
      fail(err);
    }
  };
}
