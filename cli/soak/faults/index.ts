/**
 * Every fault class the soak run injects, in one list. A class is a FaultClass
 * (contract.ts); the runner schedules each several times and measures it from outside.
 */
import type { FaultClass } from '../contract.ts';
import { idcardUnplug } from './idcard.ts';
import { networkCut, networkStall } from './network.ts';
import { outboxDiskFull } from './outbox-disk-full.ts';
import { platformKill } from './platform.ts';
import { postgresRestart } from './postgres-restart.ts';
import { redisRestart } from './redis-restart.ts';
import type { RestartableServer } from './server-restart.ts';
import { printerJam, printerPaper } from './printer.ts';
import { rendererCrash } from './renderer-crash.ts';
import { rendererHang } from './renderer-hang.ts';
import { robotBaseLink } from './robot-base-link.ts';
import { scannerGone } from './scanner-gone.ts';

export interface FaultSetup {
  /** The simulated robot base's control endpoint. */
  baseControlUrl: string;
  /** The terminal showing its screen in Chromium, when one does (the renderer faults need it). */
  screen: string | null;
  /** The terminal whose data folder is a small filesystem of its own, when one is (the disk-full fault needs it). */
  smallDisk: string | null;
  /** The platform's PostgreSQL and Redis, when it runs in the cluster configuration. */
  cluster: { postgres: RestartableServer; redis: RestartableServer } | null;
}

/** Every class's name, for the command line's checks. */
export const FAULT_NAMES = [
  'printer-paper',
  'printer-jam',
  'idcard-unplug',
  'scanner-gone',
  'network-cut',
  'network-stall',
  'platform-kill',
  'robot-base-link',
  'renderer-crash',
  'renderer-hang',
  'outbox-disk-full',
  'postgres-restart',
  'redis-restart',
] as const;

export function faultClasses(setup: FaultSetup): FaultClass[] {
  return [
    printerPaper(),
    printerJam(),
    idcardUnplug(),
    scannerGone({ terminal: 'kiosk-1' }),
    networkCut(),
    networkStall(),
    platformKill(),
    robotBaseLink({ terminal: 'robot-1', baseControlUrl: setup.baseControlUrl }),
    ...(setup.screen ? [rendererCrash({ terminal: setup.screen }), rendererHang({ terminal: setup.screen })] : []),
    ...(setup.smallDisk ? [outboxDiskFull({ terminal: setup.smallDisk })] : []),
    ...(setup.cluster ? [postgresRestart({ server: setup.cluster.postgres }), redisRestart({ server: setup.cluster.redis })] : []),
  ];
}
