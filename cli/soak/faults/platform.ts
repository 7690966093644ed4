/**
 * The platform killed -9 (power cut, OOM killer) and started again by its supervisor on
 * the same port and data. Every terminal must notice the link gone, keep its outbox, and
 * be linked again without a person.
 */
import type { FaultClass, SoakHall } from '../contract.ts';
import { linkedToPlatform } from '../health.ts';

function platform(hall: SoakHall) {
  if (!hall.platform) throw new Error('the runner gave no control of the platform process');
  return hall.platform;
}

const linked = async (hall: SoakHall) => Promise.all(Object.values(hall.terminals).map((t) => linkedToPlatform(t.url)));

/**
 * The cause is gone once the platform is up again: a cold start takes some 15 s on a loaded
 * two-core machine, allowed twice that. The hall's recovery time then covers a terminal's
 * retry that just missed it (its backoff's cap is 30 s, sync-client) and the hello.
 */
const COLD_START_S = 30;

export function platformKill(holdMs = 3000): FaultClass {
  return {
    name: 'platform-kill',
    target: 'central',
    holdMs,
    causeEndsS: COLD_START_S,
    inject: (hall) => platform(hall).kill9(),
    restore: (hall) => platform(hall).start(),
    noticed: async (hall) => (await linked(hall)).some((online) => !online),
    recovered: async (hall) => (await linked(hall)).every((online) => online),
  };
}
