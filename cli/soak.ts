/**
 * `xiaojin soak`: days of an unattended hall in minutes — the real platform and terminals
 * as processes on one sped-up hall clock, visitors and window staff, faults on a seeded
 * schedule — ending in DIR/summary.json and a short table; exit code 1 when an invariant
 * failed.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { runSoak } from './soak/run.ts';
import { FAULT_NAMES } from './soak/faults/index.ts';
import { writeBenchmarksSoakSection, writeReadmeSoakSection, writeSoakReport } from './soak/report.ts';

const DOCS_DIR = resolve(import.meta.dirname, '../docs');
import type { SoakSummary } from './soak/contract.ts';

const HELP = `usage: xiaojin soak --days N --seed S --out DIR [--speed X] [--visitors N] [--first-day YYYY-MM-DD]
                   [--faults a,b,…] [--fault-repeats N] [--limit NAME=S,…] [--no-browser] [--cluster] [--keep-data] [--docs]

  --days N           simulated hall days (fractions allowed)
  --seed S           seed of the visitors and the fault schedule (a failure prints it; rerun to replay)
  --out DIR          where summary.json, traffic.json, events.jsonl and the processes' logs go
  --speed X          simulated seconds per wall second (default 720: a day in two minutes)
  --visitors N       visitors per open day (default 2000; lower it when the machine cannot keep up)
  --first-day DATE   the first hall day (default 2026-03-02, a Monday)
  --faults LIST      only these fault classes (default all: ${FAULT_NAMES.join(', ')})
  --fault-repeats N  times each class strikes (default one per three days, at least once)
  --limit LIST       recovery limits in wall seconds, NAME=S comma-separated (default: the fault's hold, plus a
                     platform's cold start, plus the hall's unattended.recoverWithinSeconds, 60 s)
  --no-browser       no Chromium on kiosk-1's screen (saves a core)
  --docs             also put the picture into docs/ and the figures into docs/benchmarks.md and
                     README.md (what npm run bench:soak does)
  --cluster          the platform on PostgreSQL and Redis (Debian's, started for the run) instead of
                     SQLite, which adds the postgres-restart and redis-restart faults
  --keep-data        keep the hall's data directory (printed at the end)`;

const usage = (message: string) => Object.assign(new Error(`${message}\n\n${HELP}`), { exitCode: 2 });

function positive(name: string, value: string | undefined, fallback?: number): number {
  if (value === undefined) {
    if (fallback === undefined) throw usage(`--${name} is required`);
    return fallback;
  }
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw usage(`--${name} must be a positive number, got '${value}'`);
  return n;
}

function limits(value: string | undefined): Record<string, number> | undefined {
  if (!value) return undefined;
  const out: Record<string, number> = {};
  for (const part of value.split(',')) {
    const [name, s] = part.split('=');
    if (!(FAULT_NAMES as readonly string[]).includes(name)) throw usage(`--limit: no fault class '${name}'`);
    out[name] = positive('limit', s);
  }
  return out;
}

export function table(s: SoakSummary): string {
  const lines = [
    `soak: ${s.days} day(s) from ${s.firstDay}, seed ${s.seed}, ${s.wallSeconds} s wall, ${s.visitors} visitors served`,
    `transactions: ${s.transactions.made} made, ${s.transactions.atPlatform} at the platform, ${s.transactions.lost} lost, ${s.transactions.doubled} doubled; tickets: ${s.tickets.issued} issued, ${s.tickets.reused} numbers reused`,
    '',
    'fault            target     noticed  shown  recovered  limit',
  ];
  const cell = (x: number | null, w: number) => (x === null ? '—' : `${x} s`).padStart(w);
  for (const f of s.faults) lines.push(`${f.name.padEnd(16)} ${f.target.padEnd(10)} ${cell(f.noticedS, 7)} ${cell(f.shownS, 6)} ${cell(f.recoveredS, 10)} ${`${f.limitS} s`.padStart(6)}`);
  lines.push('');
  for (const i of s.invariants) lines.push(`${i.held ? 'held  ' : 'FAILED'} ${i.name}: ${i.detail}`);
  return lines.join('\n');
}

export const command: Command = {
  summary: 'run the hall for simulated days with traffic and injected faults, and check it survives',
  async run(argv) {
    let values;
    try {
      values = parseArgs({
        args: argv,
        options: {
          days: { type: 'string' },
          seed: { type: 'string' },
          out: { type: 'string' },
          speed: { type: 'string' },
          visitors: { type: 'string' },
          'first-day': { type: 'string' },
          faults: { type: 'string' },
          'fault-repeats': { type: 'string' },
          limit: { type: 'string' },
          'no-browser': { type: 'boolean' },
          cluster: { type: 'boolean' },
          docs: { type: 'boolean' },
          'keep-data': { type: 'boolean' },
          help: { type: 'boolean', short: 'h' },
        },
        strict: true,
      }).values;
    } catch (err) {
      throw usage((err as Error).message);
    }
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    const seed = Number(values.seed);
    if (values.seed === undefined || !Number.isSafeInteger(seed)) throw usage(`--seed must be a whole number, got '${values.seed ?? ''}'`);
    if (!values.out) throw usage('--out is required');
    const firstDay = values['first-day'] ?? '2026-03-02';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(firstDay) || Number.isNaN(Date.parse(firstDay))) throw usage(`--first-day must be a date like 2026-03-02, got '${firstDay}'`);
    const faults = values.faults?.split(',').map((f) => f.trim());
    for (const f of faults ?? []) if (!(FAULT_NAMES as readonly string[]).includes(f)) throw usage(`--faults: no fault class '${f}'`);
    const repeats = values['fault-repeats'] === undefined ? undefined : positive('fault-repeats', values['fault-repeats']);
    if (repeats !== undefined && !Number.isInteger(repeats)) throw usage('--fault-repeats must be a whole number');
    const { summary, failed } = await runSoak({
      days: positive('days', values.days),
      seed,
      out: values.out,
      speed: positive('speed', values.speed, 720),
      visitorsPerDay: Math.round(positive('visitors', values.visitors, 2000)),
      firstDay,
      browser: !values['no-browser'],
      cluster: values.cluster,
      faults,
      faultRepeats: repeats,
      limits: limits(values.limit),
      keepData: values['keep-data'],
      progress: (line) => console.error(`[soak] ${line}`),
    });
    console.log(table(summary));
    const files = await writeSoakReport(summary, values.out);
    console.error(`[soak] picture: ${files.svg}, ${files.png}`);
    if (values.docs) {
      const command = `npm run bench:soak (xiaojin soak ${argv.join(' ')})`;
      // docs/ holds other benchmarks' files: the soak's summary says whose it is.
      await writeSoakReport(summary, DOCS_DIR, 'soak-summary.json');
      writeBenchmarksSoakSection(summary, command);
      writeReadmeSoakSection(summary, command);
      console.error(`[soak] docs/soak.svg, docs/benchmarks.md and README.md written`);
    }
    if (failed.length) console.error(`\n${failed.length} invariant(s) failed (seed ${seed}): ${failed.join('; ')}`);
    return failed.length ? 1 : 0;
  },
};
