import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock, SIM_CLOCK_ENV, formatSimClock, hallInstant, parseSimClock, scaledClock } from '../../../protocol/clock.ts';

const ROOT = resolve(import.meta.dirname, '../../..');

/** What a fresh process's SwitchableClock reads, with the given environment. */
function childNow(env: Record<string, string | undefined>): { now: number; wallBefore: number; wallAfter: number } {
  const script = "import { SwitchableClock } from './protocol/clock.ts'; const wallBefore = Date.now(); const now = new SwitchableClock().now(); console.log(JSON.stringify({ now, wallBefore, wallAfter: Date.now() }));";
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
  return JSON.parse(out.trim()) as { now: number; wallBefore: number; wallAfter: number };
}

describe('the soak run’s shared hall clock', () => {
  it('runs speed times the wall clock from the shared start', () => {
    const wall = new ManualClock(1_000_000);
    const sim = hallInstant('2026-03-02', '07:30');
    const clock = scaledClock({ simStartMs: sim, realStartMs: 1_000_000, speed: 720 }, wall);
    expect(clock.now()).toBe(sim);
    wall.advance(5_000);
    // Five wall seconds at 720× are one simulated hour.
    expect(clock.now()).toBe(sim + 3600_000);
  });

  it('reads back what the runner writes and refuses a malformed value with the expected form', () => {
    const spec = { simStartMs: hallInstant('2026-03-02', '07:30'), realStartMs: 1_700_000_000_000, speed: 720 };
    expect(parseSimClock(formatSimClock(spec))).toEqual(spec);
    for (const bad of ['', '1,2', '1,2,0', 'a,b,c', '1,2,-3', '1.5,2,3']) expect(() => parseSimClock(bad)).toThrow(/simStartMs,realStartMs,speed/);
  });

  it('leaves a process without the variable on real time, and puts one with it on the hall clock', () => {
    const real = childNow({ [SIM_CLOCK_ENV]: undefined });
    expect(real.now).toBeGreaterThanOrEqual(real.wallBefore);
    expect(real.now).toBeLessThanOrEqual(real.wallAfter);

    const simStart = hallInstant('2026-03-02', '07:30');
    const sped = childNow({ [SIM_CLOCK_ENV]: formatSimClock({ simStartMs: simStart, realStartMs: Date.now(), speed: 720 }) });
    expect(sped.now).toBeGreaterThanOrEqual(simStart);
    expect(sped.now).toBeLessThan(simStart + 24 * 3600_000);
  });
});
