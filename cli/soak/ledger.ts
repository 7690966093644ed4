/**
 * The simulator's own account of every citizen transaction it caused, kept apart from
 * anything the hall stores so the two can be compared: a key per transaction (the ticket,
 * rating, appointment or print job it names) and the terminal that recorded it. A
 * transaction whose identity the terminal does not give (a print refused for want of a
 * printer, jobId 'none') is counted under one shared key, so it is compared by number.
 */
export interface LedgerEntry {
  device: string;
  type: string;
  ident: string;
}

export const keyOf = (e: LedgerEntry) => `${e.device}|${e.type}|${e.ident}`;

export class Ledger {
  private readonly made = new Map<string, number>();
  private readonly byTypeCount = new Map<string, number>();
  /** Every ticket number the terminals handed out: hall day and number → ticket ids. */
  readonly ticketNumbers = new Map<string, Set<string>>();

  record(entry: LedgerEntry): void {
    const k = keyOf(entry);
    this.made.set(k, (this.made.get(k) ?? 0) + 1);
    this.byTypeCount.set(entry.type, (this.byTypeCount.get(entry.type) ?? 0) + 1);
  }

  ticket(day: string, number: string, ticketId: string): void {
    const k = `${day}|${number}`;
    const ids = this.ticketNumbers.get(k) ?? new Set<string>();
    ids.add(ticketId);
    this.ticketNumbers.set(k, ids);
  }

  get total(): number {
    let n = 0;
    for (const c of this.made.values()) n += c;
    return n;
  }

  byType(): Record<string, number> {
    return Object.fromEntries([...this.byTypeCount].sort());
  }

  /** Lost: made here more often than the platform holds; doubled: held more often than made. */
  compare(atPlatform: Map<string, number>): { lost: number; doubled: number; lostKeys: string[]; doubledKeys: string[] } {
    let lost = 0;
    let doubled = 0;
    const lostKeys: string[] = [];
    const doubledKeys: string[] = [];
    for (const [k, n] of this.made) {
      const held = atPlatform.get(k) ?? 0;
      if (held < n) {
        lost += n - held;
        lostKeys.push(k);
      } else if (held > n) {
        doubled += held - n;
        doubledKeys.push(k);
      }
    }
    return { lost, doubled, lostKeys, doubledKeys };
  }
}

/** The ledger key of a transaction as the platform lists it, or null for one the simulator does not cause. */
export function platformKey(tx: { id: string; deviceId: string; type: string; payload: Record<string, unknown> }): string | null {
  const p = tx.payload;
  const entry = (ident: unknown): string | null => (typeof ident === 'string' ? keyOf({ device: tx.deviceId, type: tx.type, ident }) : null);
  switch (tx.type) {
    case 'ticket':
      return entry(p.ticketId);
    case 'appointment':
      return typeof p.appointmentId === 'string' && typeof p.action === 'string' ? entry(`${p.appointmentId}:${p.action}`) : null;
    case 'print':
      return entry(p.jobId);
    // Sign-ins and sign-outs carry only masked values: compared by number per terminal.
    case 'signin':
    case 'signout':
      return entry('count');
    // The terminal answers a rating with its transaction's own id, which the platform keeps.
    case 'rating':
      return entry(tx.id);
    default:
      return null;
  }
}
