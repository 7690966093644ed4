import { describe, expect, it } from 'vitest';
import { Ledger, platformKey } from '../../../cli/soak/ledger.ts';
import { reusedTicketNumbers, type PlatformTx } from '../../../cli/soak/audit.ts';
import { growthPerDay, slope } from '../../../cli/soak/measure.ts';

const tx = (id: string, deviceId: string, type: string, payload: Record<string, unknown>): PlatformTx => ({ id, deviceId, type, at: '2026-03-02T01:00:00.000Z', payload });

describe('the soak ledger against the platform', () => {
  it('counts a transaction missing at the platform as lost and one held twice as doubled', () => {
    const ledger = new Ledger();
    ledger.record({ device: 'kiosk-1', type: 'ticket', ident: 't1' });
    ledger.record({ device: 'kiosk-1', type: 'ticket', ident: 't2' });
    ledger.record({ device: 'kiosk-1', type: 'rating', ident: 'r1' });
    ledger.record({ device: 'kiosk-1', type: 'signin', ident: 'count' });
    ledger.record({ device: 'kiosk-1', type: 'signin', ident: 'count' });
    const held = new Map<string, number>();
    for (const t of [
      tx('a', 'kiosk-1', 'ticket', { ticketId: 't1' }),
      tx('b', 'kiosk-1', 'ticket', { ticketId: 't1' }),
      tx('r1', 'kiosk-1', 'rating', { level: 5 }),
      tx('s', 'kiosk-1', 'signin', { maskedId: '4401**' }),
      tx('h', 'kiosk-1', 'help', { helpId: 'x' }),
    ]) {
      const k = platformKey(t);
      if (k) held.set(k, (held.get(k) ?? 0) + 1);
    }
    const c = ledger.compare(held);
    // t2 never arrived and one of two sign-ins is missing; t1 arrived twice. Help is not the simulator's.
    expect(c.lost).toBe(2);
    expect(c.doubled).toBe(1);
    expect(c.lostKeys.sort()).toEqual(['kiosk-1|signin|count', 'kiosk-1|ticket|t2']);
  });

  it('finds a ticket number given to two tickets on one hall day, not across days', () => {
    const seen = new Map([['2026-03-02|A001', new Set(['t1'])]]);
    const txs = [
      tx('a', 'kiosk-1', 'ticket', { ticketId: 't2', number: 'A001', issuedAt: '2026-03-02T02:00:00.000Z' }),
      tx('b', 'kiosk-1', 'ticket', { ticketId: 't3', number: 'A002', day: '2026-03-02' }),
      tx('c', 'kiosk-1', 'ticket', { ticketId: 't4', number: 'A002', issuedAt: '2026-03-03T02:00:00.000Z' }),
    ];
    expect(reusedTicketNumbers(txs, seen)).toEqual({ issued: 4, reused: ['2026-03-02|A001'] });
  });

  it('measures growth per simulated day by least squares after the warm-up', () => {
    expect(slope([{ x: 0, y: 1 }, { x: 1, y: 3 }, { x: 2, y: 5 }])).toBe(2);
    const samples = [0, 0.5, 1, 2, 3].map((day) => ({ day, rssMb: { central: day < 1 ? 50 + 40 * day : 100 + 0.5 * day }, fds: { central: 30 }, outbox: {}, dbMb: {} }));
    expect(growthPerDay(samples, 3)).toEqual({ central: { rssMb: 0.5, fds: 0 } });
  });

  it('judges each life of a restarted process after its own first day, with one slope over the lives', () => {
    // The platform killed at day 3 starts low again and warms up for a day (no shrinking, no
    // leak); both lives then grow 1 MB a day. The kiosk restarts at day 5.75, too late for its
    // last life to count, so its first life alone is judged.
    const days = Array.from({ length: 25 }, (_, i) => i * 0.25);
    const central = (day: number) => (day < 3 ? (day < 1 ? 100 + 100 * day : 200 + day) : day < 4 ? 100 + 60 * (day - 3) : 160 + (day - 3));
    const samples = days.map((day) => ({
      day,
      rssMb: { central: central(day), kiosk: day < 5.75 ? 300 - day : 250 + 10 * day },
      fds: { central: 30, kiosk: 40 },
      outbox: {},
      dbMb: {},
      pids: { central: day < 3 ? 10 : 11, kiosk: day < 5.75 ? 20 : 21 },
    }));
    expect(growthPerDay(samples, 6)).toEqual({ central: { rssMb: 1, fds: 0 }, kiosk: { rssMb: -1, fds: 0 } });
    // Stopped at day 1.25, a quarter day past the warm-up is too little to judge anyone.
    expect(growthPerDay(samples.slice(0, 6), 6)).toEqual({});
    expect(growthPerDay(samples.slice(0, 7), 6)).toEqual({ central: { rssMb: 1, fds: 0 }, kiosk: { rssMb: -1, fds: 0 } });
  });
});
