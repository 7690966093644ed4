/**
 * postgres-restart: the platform's PostgreSQL is restarted (a fast shutdown that cuts
 * every session, then the same cluster started again), as a database upgrade or an
 * operator's restart does. The platform's pool must drop its dead connections and open
 * new ones by itself.
 */
import type { FaultClass } from '../contract.ts';
import { serverRestart, type RestartableServer } from './server-restart.ts';

export function postgresRestart(opts: { server: RestartableServer; holdMs?: number }): FaultClass {
  return serverRestart('postgres-restart', opts.server, opts.holdMs ?? 3000);
}
