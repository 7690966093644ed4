/**
 * The queue's faces on the platform: HTTP for the window terminal and the figures, a
 * public read-only socket.io namespace for call displays, socket events for kiosks, and
 * the handler that reconciles tickets kiosks issued while cut off.
 */
import { z } from 'zod';
import type { Socket } from 'socket.io';
import type { EnrolledDevice, ServerContext } from '../context.ts';
import type { StaffRole } from '../../protocol/platform-http.ts';
import { HttpError, parse } from '../http.ts';
import { summarizeIssues } from '../../protocol/sync.ts';
import { queueRequestSchema, type QueueAnswer, type QueueEvent, type QueueParsed, type QueueReply } from '../../protocol/queue.ts';
import { QueueError } from './errors.ts';
import { hallDay } from '../../protocol/clock.ts';
import { publicTicket, type QueueService } from './service.ts';
import type { OfflineTicket } from './store.ts';
import { BLOCK_LIMITS, blockRefusal } from './block-policy.ts';

export const DISPLAY_NAMESPACE = '/display';
const WINDOW_ROLES: StaffRole[] = ['window-staff', 'hall-manager', 'admin'];

const httpCode = { 'bad-request': 'bad-request', forbidden: 'forbidden', 'not-found': 'not-found', conflict: 'conflict', closed: 'conflict', full: 'conflict' } as const;

function asHttp(err: unknown): unknown {
  return err instanceof QueueError ? new HttpError(httpCode[err.code], err.message, { reason: err.code }) : err;
}

const WindowParams = z.object({ id: z.string().regex(/^[A-Z]\d{2}$/) });
const Day = z.object({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional() });
const Uuid = z.object({ id: z.string().uuid() });

type Ack = (r: QueueReply<unknown>) => void;

/** Wraps a kiosk socket event: input validated by the protocol's schema in, { ok, value } or { ok: false, error } out. */
export function answer<E extends QueueEvent>(socket: Socket, event: E, fn: (input: QueueParsed<E>) => Promise<QueueAnswer<E>>, log: ServerContext['log']): void {
  const schema = queueRequestSchema[event];
  // Widened so socket.io's reserved-event overloads do not see a generic name.
  const name: string = event;
  socket.on(name, async (raw: unknown, ack?: Ack) => {
    if (typeof ack !== 'function') return;
    const parsed = schema.safeParse(raw ?? {});
    // `retry` as in every SyncError: only a platform fault is worth asking again as is.
    if (!parsed.success) return ack({ ok: false, error: { code: 'bad-request', message: summarizeIssues(parsed.error), retry: false } });
    try {
      ack({ ok: true, value: await fn(parsed.data) });
    } catch (err) {
      if (err instanceof QueueError) return ack({ ok: false, error: { code: err.code, message: err.message, retry: false } });
      log.error({ event, err: (err as Error).message }, 'queue request failed');
      ack({ ok: false, error: { code: 'internal', message: 'the platform could not answer', retry: true } });
    }
  });
}

export function registerQueueRoutes(ctx: ServerContext, queue: QueueService): void {
  const { app, io, log } = ctx;
  const { store, appointments, announcer } = queue;
  const staff = { preHandler: ctx.requireStaff(WINDOW_ROLES) };
  const guard = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw asHttp(err);
    }
  };

  // ---------------------------------------------------------------- public: displays and phones

  const displayState = async () => ({ ...(await store.snapshot()), announcements: await announcer.state() });

  app.get('/api/queue/display', async () => displayState());
  app.get('/api/queue/announcements', async () => announcer.state());
  app.get('/api/queue/announcements/:id/audio', async (request, reply) => {
    const { id } = parse(Uuid, request.params, 'path');
    const wav = await announcer.audio(id);
    if (!wav) throw new HttpError('not-found', 'no audio for this announcement');
    return reply.type('audio/wav').header('cache-control', 'public, max-age=3600').send(wav);
  });
  app.get('/api/queue/tickets/:id', async (request) => {
    const { id } = parse(Uuid, request.params, 'path');
    return guard(async () => ({ ticket: publicTicket(store, await store.status(id)) }));
  });

  // ---------------------------------------------------------------- the window terminal

  app.get('/api/queue/windows', staff, async () => ({
    windows: await Promise.all(store.config.hall.windows.map((w) => store.windowStatus(w.id))),
    groups: store.config.hall.groups.map((g) => ({ id: g.id, prefix: g.prefix, name: g.name })),
    recallsBeforeNoShow: store.config.queue.recallsBeforeNoShow,
  }));
  app.get('/api/queue/windows/:id', staff, async (request) => {
    const { id } = parse(WindowParams, request.params, 'path');
    return guard(async () => ({ window: await store.windowStatus(id) }));
  });
  app.post('/api/queue/windows/:id/open', staff, async (request) => {
    const { id } = parse(WindowParams, request.params, 'path');
    const who = (await ctx.staffOf(request))!;
    log.info({ window: id, staff: who.id }, 'window opened');
    return guard(async () => ({ window: await store.openWindow(id, { id: who.id, name: who.displayName }) }));
  });
  const ops = {
    close: (id: string) => store.closeWindow(id),
    pause: (id: string) => store.pause(id),
    resume: (id: string) => store.resume(id),
    'no-show': (id: string) => store.noShow(id),
    start: (id: string) => store.start(id),
    finish: (id: string) => store.finish(id),
  } as const;
  for (const [op, fn] of Object.entries(ops)) {
    app.post(`/api/queue/windows/:id/${op}`, staff, async (request) => {
      const { id } = parse(WindowParams, request.params, 'path');
      return guard(async () => ({ window: await fn(id) }));
    });
  }
  app.post('/api/queue/windows/:id/call-next', staff, async (request) => {
    const { id } = parse(WindowParams, request.params, 'path');
    return guard(async () => {
      const call = await store.callNext(id);
      return { call, window: await store.windowStatus(id) };
    });
  });
  app.post('/api/queue/windows/:id/recall', staff, async (request) => {
    const { id } = parse(WindowParams, request.params, 'path');
    return guard(async () => {
      const call = await store.recall(id);
      return { call, window: await store.windowStatus(id) };
    });
  });
  app.post('/api/queue/windows/:id/transfer', staff, async (request) => {
    const { id } = parse(WindowParams, request.params, 'path');
    const { groupId } = parse(z.object({ groupId: z.string().min(1).max(64) }), request.body);
    return guard(async () => ({ window: await store.transfer(id, groupId) }));
  });

  // ---------------------------------------------------------------- figures and the day's book

  app.get('/api/queue/figures', staff, async (request) => {
    const { day } = parse(Day, request.query, 'query');
    return store.figures(day);
  });
  app.get('/api/queue/appointments', { preHandler: ctx.requireStaff(WINDOW_ROLES) }, async (request) => {
    const { day } = parse(Day, request.query, 'query');
    const list = await appointments.forDay(day ?? store.today());
    return { appointments: list };
  });

  // ---------------------------------------------------------------- live displays

  const display = io.of(DISPLAY_NAMESPACE);
  display.on('connection', (socket) => {
    displayState().then(
      (s) => socket.emit('queue:state', s),
      (err: Error) => log.warn({ err: err.message }, 'display state unavailable'),
    );
  });
  let pending: ReturnType<typeof setTimeout> | null = null;
  const broadcast = () => {
    if (pending) return;
    // Changes come in bursts (call + window update); one snapshot per burst is enough.
    pending = setTimeout(() => {
      pending = null;
      displayState().then(
        (s) => display.emit('queue:state', s),
        (err: Error) => log.warn({ err: err.message }, 'display state unavailable'),
      );
    }, 100);
  };
  store.onEvent((ev) => {
    if (ev.type === 'called') display.emit('queue:call', { ...ev.call, recall: ev.recall });
    broadcast();
  });
  announcer.on('change', (a) => {
    display.emit('queue:announcement', a);
    broadcast();
  });
  ctx.onClose(() => {
    if (pending) clearTimeout(pending);
  });

  // ---------------------------------------------------------------- kiosks

  ctx.onDeviceSocket((socket: Socket, device: EnrolledDevice) => {
    answer(socket, 'queue:take', async (input) => {
      const status = await store.issue({ ...input, deviceId: device.deviceId, duringHours: true });
      const line = (await store.lines()).find((l) => l.groupId === status.ticket.groupId);
      return { ticket: publicTicket(store, status), line };
    }, log);
    answer(socket, 'queue:reserve-block', async ({ groupId, size }) => {
      const refusal = blockRefusal(device, store.config);
      if (refusal) throw new QueueError('forbidden', refusal);
      const most = store.config.queue.offlineBlockSize;
      if (size !== undefined && size > most) throw new QueueError('bad-request', `a block holds at most ${most} numbers in this hall`);
      const block = await store.reserveBlock(device.deviceId, groupId, size, BLOCK_LIMITS);
      log.info({ device: device.deviceId, group: groupId, first: block.firstSeq, last: block.lastSeq }, 'number block reserved');
      return block;
    }, log);
    answer(socket, 'queue:status', async ({ ticketId }) => publicTicket(store, await store.status(ticketId)), log);
    answer(socket, 'queue:lines', async () => store.lines(), log);
    answer(socket, 'appointments:slots', async ({ itemCode }) => appointments.availability(itemCode), log);
    answer(socket, 'appointments:book', async (input) => appointments.book({ itemCode: input.itemCode, date: input.date, start: input.start, idKey: input.idKey, deviceId: device.deviceId, requestId: input.requestId }), log);
    answer(socket, 'appointments:list', async ({ idKey }) => appointments.list(idKey), log);
    answer(socket, 'appointments:cancel', async ({ appointmentId, idKey }) =>
      appointments.cancel(appointmentId, idKey),
    log);
    const checkedIn = async ({ appointment, ticket }: Awaited<ReturnType<typeof appointments.checkIn>>) => {
      const line = (await store.lines()).find((l) => l.groupId === ticket.ticket.groupId);
      return { appointment, ticket: publicTicket(store, ticket), line };
    };
    answer(socket, 'appointments:check-in', async ({ idKey }) => checkedIn(await appointments.checkIn(idKey, device.deviceId)), log);
    answer(socket, 'appointments:check-in-code', async ({ code }) => checkedIn(await appointments.checkInByCode(code, device.deviceId)), log);
  });

  // ---------------------------------------------------------------- reconciliation

  ctx.onTransaction('ticket', async (tx, db) => {
    const t = tx.payload as OfflineTicket;
    // Tickets the platform issued itself are already in its queue; the kiosk logs them too.
    if (!t.offline) return;
    const group = store.config.hall.groups.find((g) => g.id === t.groupId);
    const seq = t.seq ?? (group ? Number(t.number.slice(group.prefix.length)) : NaN);
    const day = t.day ?? hallDay(Date.parse(t.issuedAt));
    if (group && !(await store.inDeviceBlock(db, tx.deviceId, day, t.groupId, seq))) {
      log.warn({ device: tx.deviceId, group: t.groupId, seq }, 'offline ticket outside any block this device reserved');
    }
    const outcome = await store.importOffline(db, tx.deviceId, t);
    if (outcome === 'collision') log.error({ device: tx.deviceId, group: t.groupId, seq }, 'offline ticket number already taken; not queued');
    else log.info({ device: tx.deviceId, group: t.groupId, seq, outcome }, 'offline ticket reconciled');
  });
}
