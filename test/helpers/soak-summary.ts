/**
 * A small soak summary the report tests draw: `days` simulated days from a Monday, a few
 * fault classes each struck twice a day, one fault recovered beyond its limit, one never
 * recovered and one noticed late, samples every six hours. Same input, same summary.
 */
import { hallInstant } from '../../protocol/clock.ts';
import { SoakSummary, type SoakFault, type SoakSample } from '../../cli/soak/contract.ts';

export const SAMPLE_CLASSES = [
  { name: 'printer-paper', target: 'kiosk-1', limitS: 60 },
  { name: 'network-cut', target: 'kiosk-1', limitS: 90 },
  { name: 'renderer-crash', target: 'teller-1', limitS: 45 },
  { name: 'platform-kill', target: 'central', limitS: 120 },
] as const;

export interface SampleSummaryOptions {
  days?: number;
  /** A Monday, so the weekend is days 5 and 6 of a week's run. */
  firstDay?: string;
}

export interface SampleSummary {
  summary: SoakSummary;
  /** Index in summary.faults of the one recovered beyond its limit, and of the one never recovered. */
  overLimit: number;
  never: number;
  late: number;
}

export function sampleSoakSummary({ days = 3, firstDay = '2026-11-02' }: SampleSummaryOptions = {}): SampleSummary {
  const origin = hallInstant(firstDay);
  const faults: SoakFault[] = [];
  for (let d = 0; d < days; d++) {
    SAMPLE_CLASSES.forEach((c, i) => {
      for (const hour of [10 + i, 15 + i]) {
        const recoveredS = 5 + ((d * 7 + i * 3 + hour) % 20);
        faults.push({
          name: c.name,
          target: c.target,
          simAt: new Date(origin + (d * 24 + hour) * 3600_000 + i * 60_000).toISOString(),
          noticedS: 1 + (i % 3),
          shownS: 2 + (i % 3),
          recoveredS,
          limitS: c.limitS,
        });
      }
    });
  }
  const overLimit = 1;
  faults[overLimit] = { ...faults[overLimit], recoveredS: faults[overLimit].limitS * 2 };
  const never = faults.length - 2;
  faults[never] = { ...faults[never], recoveredS: null };
  const late = 2;
  faults[late] = { ...faults[late], shownS: 41 };

  const samples: SoakSample[] = [];
  for (let q = 0; q <= days * 4; q++) {
    const day = q / 4;
    samples.push({
      day,
      rssMb: { platform: 180 + Math.min(day, 1) * 20 + (q % 3), 'kiosk-1': 120 + (q % 2), 'teller-1': 110 + ((q + 1) % 2) },
      fds: { platform: 64, 'kiosk-1': 40, 'teller-1': 38 },
      outbox: { 'kiosk-1': (q * 5) % 13, 'teller-1': (q * 3) % 7 },
      dbMb: { central: 12 + day, 'kiosk-1-outbox': 1.5 },
    });
  }

  const summary = SoakSummary.parse({
    seed: 7,
    days,
    firstDay,
    wallSeconds: days * 120,
    visitors: days * 2013,
    transactions: { made: days * 1500, atPlatform: days * 1500, lost: 0, doubled: 0 },
    tickets: { issued: days * 900, reused: 0 },
    faults,
    samples,
    growthPerDay: { platform: { rssMb: 0.4, fds: 0 }, 'kiosk-1': { rssMb: 0.1, fds: 0 }, 'teller-1': { rssMb: -0.05, fds: 0 } },
    invariants: [
      { name: 'no-transaction-lost', held: true, detail: `0 lost of ${days * 1500}` },
      { name: 'recovered-within-limit', held: false, detail: '1 over limit, 1 never recovered' },
      { name: 'memory-flat', held: true, detail: 'max 0.4 MB/day (platform)' },
    ],
  });
  return { summary, overLimit, never, late };
}
