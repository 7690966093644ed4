/**
 * What postgres-restart and redis-restart share: a server the platform stands on is
 * stopped (its sessions cut, as a restart cuts them) and, after holdMs, started again on
 * the same port and data, as its service manager would. The platform must find it again
 * by itself; recovered when it is ready and the terminals' batches go through again.
 */
import type { FaultClass } from '../contract.ts';
import { batchesAcceptedSince, platformReady, snapshotOutboxes, type OutboxSnapshot } from './platform-recovery.ts';

/** A server the soak started and can stop and start again (same port, same data). */
export interface RestartableServer {
  stop(): Promise<void>;
  start(): Promise<void>;
}

export function serverRestart(name: string, server: RestartableServer, holdMs: number): FaultClass {
  let atRestore: OutboxSnapshot | null = null;
  return {
    name,
    target: 'central',
    holdMs,
    async inject(hall) {
      atRestore = null;
      await server.stop();
      hall.note(name, { phase: 'stopped' });
    },
    async restore(hall) {
      await server.start();
      atRestore = snapshotOutboxes(hall);
      hall.note(name, { phase: 'started' });
    },
    // The platform says it is not ready while what it stands on is gone.
    async noticed(hall) {
      return !(await platformReady(hall.centralUrl));
    },
    async recovered(hall) {
      if (!atRestore) return false;
      return (await platformReady(hall.centralUrl)) && (await batchesAcceptedSince(hall, atRestore));
    },
  };
}
