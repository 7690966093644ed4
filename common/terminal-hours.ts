/**
 * Whether a terminal serves at an instant, by its own weekly hours. A teller machine in a
 * bank lobby keeps the lobby's hours (often around the clock), not the hall's calendar, so
 * holidays do not close it; tickets are still governed by the hall (common/hall-calendar.ts).
 */
import type { KioskConfig, OpeningHours } from '../config/schema.ts';
import { addDays, hallDay, hallTime, isoWeekday } from '../protocol/clock.ts';

export interface TerminalService {
  /** Unattended self-service: only what finishes at the machine with the ID card. */
  selfService: boolean;
  /** Its weekly hours; null when it serves whenever it is switched on. */
  hours: OpeningHours[] | null;
  open: boolean;
}

/** Unattended terminals are the teller machines; a hall kiosk has staff a few steps away. */
export function isSelfService(kiosk: Pick<KioskConfig, 'kind'>): boolean {
  return kiosk.kind === 'teller';
}

/**
 * An entry whose close is not after its open runs past midnight (06:00–00:00, 20:00–02:00):
 * the hours after midnight belong to the day the entry names, as a lobby's sign reads.
 */
function within(hours: readonly OpeningHours[], instant: number): boolean {
  const day = hallDay(instant);
  const now = hallTime(instant);
  const today = isoWeekday(day);
  const yesterday = isoWeekday(addDays(day, -1));
  return hours.some((h) => {
    const overnight = h.close <= h.open;
    if (h.days.includes(today) && now >= h.open && (overnight || now < h.close)) return true;
    return overnight && h.days.includes(yesterday) && now < h.close;
  });
}

export function terminalServiceAt(kiosk: Pick<KioskConfig, 'kind' | 'serviceHours'>, instant: number): TerminalService {
  const hours = kiosk.serviceHours ?? null;
  return { selfService: isSelfService(kiosk), hours, open: hours === null || within(hours, instant) };
}
