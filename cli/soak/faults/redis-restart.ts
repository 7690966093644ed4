/**
 * redis-restart: the Redis that joins the platform's nodes is restarted. A node serves
 * its own devices meanwhile (not ready); its link and the socket.io adapter's clients
 * must reconnect by themselves.
 */
import type { FaultClass } from '../contract.ts';
import { serverRestart, type RestartableServer } from './server-restart.ts';

export function redisRestart(opts: { server: RestartableServer; holdMs?: number }): FaultClass {
  return serverRestart('redis-restart', opts.server, opts.holdMs ?? 3000);
}
