/**
 * One simulated hall day of the soak run, as CI runs it: `xiaojin soak` in the cluster
 * configuration (PostgreSQL and Redis) with every fault class at least once, visitors scaled down for a two-core machine, and every invariant
 * of the summary held. XIAOJIN_SOAK_SEED replays a failure's seed.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SoakSummary } from '../../../cli/soak/contract.ts';
import { FAULT_NAMES } from '../../../cli/soak/faults/index.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const SEED = Number(process.env.XIAOJIN_SOAK_SEED ?? 20261207);
const out = mkdtempSync(join(tmpdir(), 'xiaojin-soak-test-'));

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the soak run over one simulated day', () => {
  it('keeps every invariant through traffic and one fault of each class', { timeout: 14 * 60_000 }, async () => {
    const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
      execFile(process.execPath, [join(ROOT, 'bin/xiaojin.mjs'), 'soak', '--days', '1', '--seed', String(SEED), '--out', out, '--visitors', '300', '--fault-repeats', '1', '--cluster'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024, timeout: 13 * 60_000, killSignal: 'SIGTERM' }, (err, stdout, stderr) =>
        done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
    const summary = SoakSummary.parse(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')));
    const failed = summary.invariants.filter((i) => !i.held).map((i) => `${i.name}: ${i.detail}`);
    expect(failed, `seed ${SEED}\n${run.stdout}\n${run.stderr.slice(-4000)}`).toEqual([]);
    expect(run.code).toBe(0);

    expect(new Set(summary.faults.map((f) => f.name))).toEqual(new Set(FAULT_NAMES));
    for (const f of summary.faults) {
      expect(f.noticedS, `${f.name} noticed`).not.toBeNull();
      expect(f.recoveredS, `${f.name} recovered`).not.toBeNull();
    }
    // The day had its visitors and their transactions reached the platform.
    expect(summary.visitors).toBeGreaterThan(100);
    expect(summary.transactions.made).toBeGreaterThan(summary.visitors);
    expect(summary.transactions.atPlatform).toBe(summary.transactions.made);
    expect(summary.tickets.issued).toBeGreaterThan(50);
    // A sample every simulated hour, each with every process in it.
    expect(summary.samples.length).toBeGreaterThanOrEqual(24);
    for (const name of ['central', 'kiosk-1', 'teller-1', 'robot-1']) expect(summary.samples[0].rssMb[name]).toBeGreaterThan(0);
  });
});
