import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { percentile, writeSection } from '../../../bench/report.ts';

describe('bench report', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('replaces its own block in place and leaves the rest of the file alone', () => {
    dir = mkdtempSync(join(tmpdir(), 'xj-bench-report-'));
    const file = join(dir, 'docs', 'benchmarks.md');
    writeSection('a', 'first A', file);
    writeSection('b', 'only B', file);
    writeFileSync(file, readFileSync(file, 'utf8') + '\nA note kept by hand.\n');
    writeSection('a', 'second A', file);
    const doc = readFileSync(file, 'utf8');
    expect(doc).toContain('<!-- bench:a -->\nsecond A\n<!-- /bench:a -->');
    expect(doc).not.toContain('first A');
    expect(doc.indexOf('bench:a')).toBeLessThan(doc.indexOf('bench:b'));
    expect(doc).toContain('only B');
    expect(doc).toContain('A note kept by hand.');
  });

  it('takes nearest-rank percentiles of unsorted values', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([3], 99)).toBe(3);
    expect(percentile([], 50)).toBeNaN();
  });
});
