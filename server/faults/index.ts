/**
 * The fault history the console shows (故障记录): episodes filled as terminals' device-fault
 * transactions are applied (and a full outbox disk as health reports tell it, since the
 * outbox cannot record that while it lasts), the platform's own database outages beside them, and
 * GET /api/console/faults for the console page and the soak runner that polls it.
 */
import { randomUUID } from 'node:crypto';
import type { ServerContext } from '../context.ts';
import { PostgresDb } from '../db/postgres.ts';
import type { Db } from '../db/types.ts';
import { parseDayRange } from '../day-range.ts';
import { DeviceFault, EVENTS, HealthReport } from '../../protocol/sync.ts';
import { applyDeviceFault, applyOutboxHealth, closeFault, FAULT_MIGRATIONS, faultHistory, openFault } from './store.ts';

/** The terminal name the platform's own faults are recorded under. */
export const CENTRAL = 'central';

export interface FaultOptions {
  /** How often the platform checks its database while it looks healthy, ms (default 5 s). */
  dbProbeMs?: number;
}

export async function registerFaults(ctx: ServerContext, opts: FaultOptions = {}): Promise<void> {
  await ctx.db.migrate('faults', FAULT_MIGRATIONS);
  // The payload was checked against the schema before the handler runs; parse only narrows its type.
  ctx.onTransaction('device-fault', (tx, db) => applyDeviceFault(db, tx, DeviceFault.parse(tx.payload)));
  // The devices module stores the report and answers it; this only reads its outbox part.
  ctx.onDeviceSocket((socket, device) => {
    socket.on(EVENTS.health, (raw: unknown) => {
      const report = HealthReport.safeParse(raw);
      if (!report.success || !report.data.outbox) return;
      applyOutboxHealth(ctx.db, device.deviceId, report.data.outbox, new Date().toISOString()).catch((err: Error) => {
        ctx.log.warn({ device: device.deviceId, err: err.message }, 'outbox health not recorded');
      });
    });
  });
  ctx.app.get('/api/console/faults', { preHandler: ctx.requireStaff() }, (request) => faultHistory(ctx.db, parseDayRange(request.query, 30)));
  if (ctx.db instanceof PostgresDb) watchDatabase(ctx, ctx.db, opts.dbProbeMs ?? 5000);
}

/**
 * A database outage cannot be written while it lasts: the platform notes when it began
 * (a lost connection, or a probe that failed) and records the whole episode once a probe
 * succeeds again. Each node of a cluster records its own view, under its node id.
 */
function watchDatabase(ctx: ServerContext, db: PostgresDb, everyMs: number): void {
  const device = `database@${ctx.nodeId}`;
  let down: { since: string; detail: string } | null = null;
  let timer: NodeJS.Timeout | null = null;
  let probing = false;
  let closed = false;

  const schedule = (ms: number) => {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void probe(), ms);
    timer.unref();
  };
  const lost = (err: Error) => {
    if (!down) {
      down = { since: new Date().toISOString(), detail: `database unreachable: ${err.message}`.slice(0, 500) };
      ctx.log.warn({ err: err.message }, 'database connection lost');
    }
    // While it is down, look often: the recovery time is what the console reports.
    schedule(Math.min(everyMs, 1000));
  };
  const probe = async () => {
    if (probing || closed) return;
    probing = true;
    try {
      await db.query('SELECT 1');
      if (down) {
        const outage = down;
        down = null;
        await recordOutage(db, device, outage.since, new Date().toISOString(), outage.detail).catch((err: Error) => {
          ctx.log.warn({ err: err.message }, 'database outage not recorded');
        });
        ctx.log.info({ since: outage.since }, 'database reachable again');
      }
      schedule(everyMs);
    } catch (err) {
      lost(err as Error);
    } finally {
      probing = false;
    }
  };
  db.on('connection-lost', lost);
  schedule(everyMs);
  ctx.onClose(() => {
    closed = true;
    db.off('connection-lost', lost);
    if (timer) clearTimeout(timer);
  });
}

async function recordOutage(db: Db, device: string, since: string, until: string, detail: string): Promise<void> {
  await db.tx(async (t) => {
    await openFault(t, { id: randomUUID(), terminal: CENTRAL, device, kind: 'database', startedAt: since, noticedAt: since, detail });
    await closeFault(t, CENTRAL, device, until);
  });
}
