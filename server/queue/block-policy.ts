/**
 * Who may hold offline number blocks, and how many. A block takes its numbers out of the
 * group's day for good, so an unbounded caller could use up a group's offline numbers
 * (about 5,000 a day) in a few requests; these limits keep that to what a terminal that
 * prints tickets can really need while cut off.
 */
import type { EnrolledDevice } from '../context.ts';
import type { HallConfig } from '../../config/schema.ts';

export const BLOCK_LIMITS = {
  /** Blocks of one group a device holds with no ticket issued from them yet. */
  unusedPerGroup: 2,
  /** Blocks of one group a device may reserve in one day. */
  perGroupPerDay: 3,
} as const;

/**
 * Why this device may not hold blocks, or null when it may. Kiosks and teller machines
 * print tickets; a robot only when the hall configuration gives it a printer; load and
 * other devices never issue tickets.
 */
export function blockRefusal(device: EnrolledDevice, config: HallConfig): string | null {
  if (device.kind === 'kiosk' || device.kind === 'teller') return null;
  if (device.kind === 'robot') {
    const own = config.kiosks.find((k) => k.id === device.deviceId);
    if (own?.devices.some((d) => d.kind === 'printer')) return null;
    return 'this robot has no ticket printer in the hall configuration, so it issues no offline tickets';
  }
  return `a ${device.kind} device issues no tickets and gets no offline numbers`;
}
