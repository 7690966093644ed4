import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { chooseNext, computeFigures, estimateWaitMinutes, median, peopleAhead, percentile, serviceMinutes, ticketNumber, type WaitingTicket } from '../../../server/queue/engine.ts';

const t = (id: string, cls: 0 | 1 | 2, queuedAt: number, groupId = 'g'): WaitingTicket => ({ id, groupId, cls, queuedAt, seq: queuedAt });

describe('ticket numbers', () => {
  it('pads to three digits and grows past 999', () => {
    expect(ticketNumber('A', 1)).toBe('A001');
    expect(ticketNumber('B', 42)).toBe('B042');
    expect(ticketNumber('AB', 1234)).toBe('AB1234');
  });
});

describe('chooseNext', () => {
  it('calls tickets of the window groups only, oldest first', () => {
    const waiting = [t('x', 0, 1, 'other'), t('b', 0, 3), t('a', 0, 2)];
    expect(chooseNext(waiting, ['g'], 0, 3)?.ticket.id).toBe('a');
    expect(chooseNext([t('x', 0, 1, 'other')], ['g'], 0, 3)).toBeNull();
  });

  it('calls a returned (transferred) ticket before anyone else', () => {
    const waiting = [t('p', 1, 1), t('n', 0, 0), t('r', 2, 9)];
    expect(chooseNext(waiting, ['g'], 99, 3)?.ticket.id).toBe('r');
  });

  it('interleaves one priority ticket per `ratio` normal ones while both wait', () => {
    const waiting: WaitingTicket[] = [];
    for (let i = 0; i < 20; i++) waiting.push(t(`n${i}`, 0, i));
    for (let i = 0; i < 5; i++) waiting.push(t(`p${i}`, 1, 100 + i));
    let streak = 3;
    const order: string[] = [];
    while (waiting.length) {
      const c = chooseNext(waiting, ['g'], streak, 3)!;
      streak = c.streak;
      order.push(c.ticket.id[0]);
      waiting.splice(waiting.indexOf(c.ticket), 1);
    }
    expect(order.join('')).toBe('pnnnpnnnpnnnpnnnpnnnnnnnn');
  });

  it('never lets a waiting priority ticket wait more than `ratio` normal calls (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 5 }), (kinds, ratio) => {
        const waiting = kinds.map((p, i) => t(`t${i}`, p ? 1 : 0, i));
        let streak = ratio;
        let normalsWhilePriorityWaited = 0;
        while (waiting.length) {
          const priorityWaiting = waiting.some((w) => w.cls === 1);
          const c = chooseNext(waiting, ['g'], streak, ratio)!;
          if (c.ticket.cls === 1) normalsWhilePriorityWaited = 0;
          else if (priorityWaiting) normalsWhilePriorityWaited++;
          expect(normalsWhilePriorityWaited).toBeLessThanOrEqual(ratio);
          streak = c.streak;
          waiting.splice(waiting.indexOf(c.ticket), 1);
        }
      }),
    );
  });
});

describe('people ahead', () => {
  it('counts higher classes and earlier tickets of the same class in the same group', () => {
    const waiting = [t('n1', 0, 1), t('n2', 0, 2), t('p1', 1, 3), t('r', 2, 4), t('o', 0, 0, 'other')];
    expect(peopleAhead(waiting, t('n3', 0, 5))).toBe(4);
    expect(peopleAhead(waiting, t('p2', 1, 5))).toBe(2);
    expect(peopleAhead(waiting, waiting[0])).toBe(2);
  });
});

describe('estimates', () => {
  const min = 60_000;
  it('uses the configured default until there is enough history', () => {
    expect(serviceMinutes([], 8)).toBe(8);
    expect(serviceMinutes([5 * min, 5 * min], 8)).toBe(8);
  });

  it('is robust to outliers where a mean is not', () => {
    const normal = [4, 5, 5, 6, 5, 4, 6, 5].map((m) => m * min);
    const withOutliers = [...normal, 180 * min, 240 * min];
    const mean = withOutliers.reduce((a, b) => a + b, 0) / withOutliers.length / min;
    expect(mean).toBeGreaterThan(40);
    expect(serviceMinutes(withOutliers, 8)).toBeGreaterThanOrEqual(5);
    expect(serviceMinutes(withOutliers, 8)).toBeLessThanOrEqual(5.5);
  });

  it('spreads the wait over the windows serving', () => {
    expect(estimateWaitMinutes(10, 6, 3)).toBe(20);
    expect(estimateWaitMinutes(10, 6, 0)).toBe(60);
  });

  it('median and nearest-rank percentile', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(hundred, 95)).toBe(95);
    expect(percentile([7], 95)).toBe(7);
  });
});

describe('figures', () => {
  it('computes waits, service, no-shows and utilisation per window and group', () => {
    const m = 60_000;
    const calls = [
      { ticketId: '1', windowId: 'A01', groupId: 'g', queuedAt: 0, calledAt: 10 * m, startedAt: 11 * m, endedAt: 20 * m, outcome: 'done' as const },
      { ticketId: '2', windowId: 'A01', groupId: 'g', queuedAt: 5 * m, calledAt: 20 * m, startedAt: null, endedAt: 25 * m, outcome: 'no-show' as const },
      { ticketId: '3', windowId: 'A02', groupId: 'h', queuedAt: 0, calledAt: 30 * m, startedAt: 31 * m, endedAt: null, outcome: null },
    ];
    const open = [
      { windowId: 'A01', start: 0, end: 30 * m },
      { windowId: 'A01', start: 40 * m, end: 50 * m },
      { windowId: 'A02', start: 20 * m, end: null },
    ];
    const f = computeFigures(calls, open, ['A01', 'A02', 'A03'], ['g', 'h'], 40 * m);
    const a01 = f.windows[0];
    expect(a01).toMatchObject({ tickets: 1, calls: 2, noShows: 1, meanWaitMinutes: 12.5, meanServiceMinutes: 9, busyMinutes: 15, openMinutes: 40, utilisation: 0.375 });
    expect(f.windows[1]).toMatchObject({ busyMinutes: 10, openMinutes: 20, utilisation: 0.5 });
    expect(f.windows[2].utilisation).toBeNull();
    expect(f.groups[0]).toMatchObject({ groupId: 'g', tickets: 1, noShows: 1, p95WaitMinutes: 15 });
    expect(f.total.calls).toBe(3);
  });
});
