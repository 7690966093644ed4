/**
 * The cases module of the central platform: HTTP for the window terminal (open, move,
 * look up) and the console (figures), and the kiosk's socket requests (a citizen's cases
 * by pseudonym, one case by its receipt's code). Contracts: protocol/cases.ts; docs/sync-protocol.md §10 and §11.
 */
import { z } from 'zod';
import type { Socket } from 'socket.io';
import type { ServerContext, ServerModule } from '../context.ts';
import type { StaffRole } from '../../protocol/platform-http.ts';
import { HttpError, parse } from '../http.ts';
import { summarizeIssues } from '../../protocol/sync.ts';
import { CaseRequests, MoveCaseBody, OpenCaseBody, type CaseAnswer, type CaseFiguresAnswer, type CaseItemsAnswer, type CasesAnswer } from '../../protocol/cases.ts';
import type { QueueReply } from '../../protocol/queue.ts';
import { CaseError, CaseStore } from './store.ts';

export { CaseStore, CaseError, CASE_MIGRATIONS } from './store.ts';

const WINDOW_ROLES: StaffRole[] = ['window-staff', 'hall-manager', 'admin'];
const CaseId = z.object({ id: z.string().uuid() });
const WindowQuery = z.object({ windowId: z.string().regex(/^[A-Z]\d{2}$/) });

function asHttp(err: unknown): unknown {
  return err instanceof CaseError ? new HttpError(err.code, err.message) : err;
}

async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw asHttp(err);
  }
}

type CaseEvent = keyof typeof CaseRequests;

/** A kiosk's request: validated by the protocol's schema, answered in the queue's envelope. */
function answer<E extends CaseEvent>(socket: Socket, event: E, fn: (input: z.output<(typeof CaseRequests)[E]>) => Promise<unknown>, log: ServerContext['log']): void {
  const name: string = event;
  socket.on(name, async (raw: unknown, ack?: (r: QueueReply<unknown>) => void) => {
    if (typeof ack !== 'function') return;
    const parsed = CaseRequests[event].safeParse(raw ?? {});
    if (!parsed.success) return ack({ ok: false, error: { code: 'bad-request', message: summarizeIssues(parsed.error), retry: false } });
    try {
      ack({ ok: true, value: await fn(parsed.data as z.output<(typeof CaseRequests)[E]>) });
    } catch (err) {
      if (err instanceof CaseError) return ack({ ok: false, error: { code: err.code, message: err.message, retry: false } });
      log.error({ event, err: (err as Error).message }, 'case request failed');
      ack({ ok: false, error: { code: 'internal', message: 'the platform could not answer', retry: true } });
    }
  });
}

const stores = new WeakMap<ServerContext, CaseStore>();

/** The case store a running platform uses, for tests that steer its clock. */
export function casesOf(ctx: ServerContext): CaseStore | undefined {
  return stores.get(ctx);
}

export function createCasesModule(opts: { now?: () => number } = {}): ServerModule {
  return async (ctx) => {
    const { app, log } = ctx;
    const store = new CaseStore({ db: ctx.db, config: () => ctx.config.config, now: opts.now });
    await store.migrate();
    stores.set(ctx, store);
    const staff = { preHandler: ctx.requireStaff(WINDOW_ROLES) };
    const withMaterials = (c: CaseAnswer['case']): CaseAnswer => ({ case: c, materials: store.materialsOf(c.itemCode) });

    app.post('/api/cases', staff, async (request): Promise<CaseAnswer> => {
      const body = parse(OpenCaseBody, request.body);
      const who = (await ctx.staffOf(request))!;
      const opened = await guard(() => store.open(body, who));
      log.info({ case: opened.number, window: opened.windowId, item: opened.itemCode, bound: opened.bound, staff: who.id }, 'case accepted');
      return withMaterials(opened);
    });
    app.post('/api/cases/:id/move', staff, async (request): Promise<CaseAnswer> => {
      const { id } = parse(CaseId, request.params, 'path');
      const body = parse(MoveCaseBody, request.body);
      const who = (await ctx.staffOf(request))!;
      const moved = await guard(() => store.move(id, body, who));
      log.info({ case: moved.number, state: moved.state, staff: who.id }, 'case moved');
      return withMaterials(moved);
    });
    app.get('/api/cases/figures', staff, async (): Promise<CaseFiguresAnswer> => store.figures());
    app.get('/api/cases/items', staff, async (request): Promise<CaseItemsAnswer> => {
      const { windowId } = parse(WindowQuery, request.query, 'query');
      return { items: store.itemsAt(windowId) };
    });
    app.get('/api/cases/:id', staff, async (request): Promise<CaseAnswer> => {
      const { id } = parse(CaseId, request.params, 'path');
      return withMaterials(await guard(() => store.get(id)));
    });
    app.get('/api/cases', staff, async (request): Promise<CasesAnswer> => {
      const { windowId } = parse(WindowQuery, request.query, 'query');
      return { cases: await store.forWindow(windowId) };
    });

    ctx.onDeviceSocket((socket) => {
      answer(socket, 'cases:mine', ({ idKey }) => store.byIdKey(idKey), log);
      answer(socket, 'cases:lookup', ({ code }) => store.byLookupCode(code), log);
    });
  };
}

export const registerCases: ServerModule = createCasesModule();
