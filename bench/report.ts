/**
 * What every benchmark shares: its block of docs/benchmarks.md (between
 * `<!-- bench:NAME -->` and `<!-- /bench:NAME -->`, replaced in place so the other
 * benches' blocks and hand-written notes stay as they are) and its percentiles.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export const BENCHMARKS_FILE = resolve(import.meta.dirname, '../docs/benchmarks.md');

/** Puts `body` between the markers of `name` (appending the block when it is new); returns the file written. */
export function writeSection(name: string, body: string, file = BENCHMARKS_FILE): string {
  const open = `<!-- bench:${name} -->`;
  const close = `<!-- /bench:${name} -->`;
  const block = `${open}\n${body.trim()}\n${close}`;
  mkdirSync(dirname(file), { recursive: true });
  const doc = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const start = doc.indexOf(open);
  const end = doc.indexOf(close);
  writeFileSync(file, start >= 0 && end > start ? doc.slice(0, start) + block + doc.slice(end + close.length) : `${doc.trimEnd()}\n\n${block}\n`);
  return file;
}

/** The nearest-rank percentile (p in 0–100) of values in any order; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
