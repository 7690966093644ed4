/**
 * When the kiosk page dies or hangs, main sends it home with a clean session. A page
 * that dies again at once (a bad build, a broken GPU driver) would otherwise reload in
 * a tight loop and burn the CPU the device drivers need, so repeated failures within a
 * window back off, up to a ceiling that still brings the screen back on its own.
 */
import { backoffDelay } from '../../common/retry.ts';

export interface RecoveryOptions {
  /** Failures counted within this window make up a crash loop. */
  windowMs?: number;
  /** Failures allowed within the window before backing off. */
  burst?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** How long an unresponsive page gets to recover by itself before it is reloaded. */
  hangGraceMs?: number;
}

export class RecoveryPolicy {
  readonly hangGraceMs: number;
  private failures: number[] = [];
  private readonly windowMs: number;
  private readonly burst: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(opts: RecoveryOptions = {}) {
    this.windowMs = opts.windowMs ?? 60_000;
    this.burst = opts.burst ?? 3;
    this.baseDelayMs = opts.baseDelayMs ?? 1_000;
    this.maxDelayMs = opts.maxDelayMs ?? 30_000;
    this.hangGraceMs = opts.hangGraceMs ?? 5_000;
  }

  /** Records a failure at `now` and returns how long to wait before reloading the page. */
  failure(now: number): number {
    this.failures = this.failures.filter((t) => now - t < this.windowMs);
    this.failures.push(now);
    const excess = this.failures.length - this.burst;
    if (excess <= 0) return 0;
    return backoffDelay(excess - 1, { baseMs: this.baseDelayMs, maxMs: this.maxDelayMs });
  }

  /** Reasons Chromium gives for a renderer that ended on purpose (shutdown), not a crash. */
  static isCrash(reason: string): boolean {
    return reason !== 'clean-exit';
  }
}
