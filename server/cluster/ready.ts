/**
 * Readiness, apart from liveness: `/api/health` says the process answers; `/api/ready`
 * says it can do its work (the database answers a query, Redis is connected when the
 * node is clustered), so a load balancer stops sending devices to a node that cannot.
 */
import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/types.ts';
import type { RedisLink } from './redis-link.ts';
import { HttpError } from '../http.ts';

/** A database that has not answered in this long counts as down. */
export const READY_DB_TIMEOUT_MS = 2000;

async function databaseAnswers(db: Db): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<false>((r) => (timer = setTimeout(() => r(false), READY_DB_TIMEOUT_MS)));
  try {
    return await Promise.race([db.query('SELECT 1 AS one').then(() => true), late]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export function registerReady(app: FastifyInstance, deps: { db: Db; redis?: RedisLink; nodeId: string }): void {
  app.get('/api/ready', async () => {
    const down: string[] = [];
    if (!(await databaseAnswers(deps.db))) down.push('database');
    if (deps.redis && !deps.redis.ready()) down.push('redis');
    if (down.length) throw new HttpError('unavailable', `not ready: ${down.join(' and ')} unreachable`, { down, nodeId: deps.nodeId });
    return { ok: true, nodeId: deps.nodeId, db: deps.db.kind, redis: !!deps.redis };
  });
}
