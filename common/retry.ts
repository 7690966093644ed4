/**
 * Retrying and backing off, in one place: a device port coming back, the platform's
 * link coming back, an outbox batch sent again, a device command repeated after line
 * trouble. Drivers and the terminal's services share it, so every wait grows the same way.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface BackoffOptions {
  /** The first wait. */
  baseMs: number;
  /** Doubling stops here. */
  maxMs: number;
  /**
   * Spread each wait over [ceiling / 2, ceiling]: terminals that lost the platform
   * together must not all come back in the same instant.
   */
  jitter?: boolean;
}

/** The wait before retry number `attempt` (0 for the first). */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  // The exponent is capped only so the arithmetic stays finite; maxMs is the real ceiling.
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(attempt, 30));
  return options.jitter ? Math.round(ceiling / 2 + random() * (ceiling / 2)) : ceiling;
}

/**
 * A timer that runs an action again after a growing wait, at most one pending at a
 * time; reset() after a success starts the next failure from the shortest wait.
 */
export class Backoff {
  private attempt = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly options: BackoffOptions) {}

  /** Runs `action` after the next wait, unless one is already pending; returns the wait. */
  schedule(action: () => void): number | null {
    if (this.timer) return null;
    const delayMs = backoffDelay(this.attempt++, this.options);
    this.timer = setTimeout(() => {
      this.timer = null;
      action();
    }, delayMs);
    return delayMs;
  }

  /** The wait for the next attempt, counted, for callers that wait themselves. */
  next(): { attempt: number; delayMs: number } {
    const delayMs = backoffDelay(this.attempt++, this.options);
    return { attempt: this.attempt, delayMs };
  }

  get pending(): boolean {
    return this.timer !== null;
  }

  reset(): void {
    this.attempt = 0;
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

export interface RetryOptions {
  /** Extra attempts after the first. */
  retries: number;
  delayMs: number;
  /** Whether this failure is worth another attempt; anything else is thrown at once. */
  retryable: (err: unknown) => boolean;
  onRetry?: (err: unknown, attempt: number) => void;
}

/** Runs `fn` until it succeeds, fails with something not retryable, or runs out of attempts. */
export async function retry<T>(fn: () => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!options.retryable(err) || attempt >= options.retries) throw err;
      options.onRetry?.(err, attempt);
      await sleep(options.delayMs);
    }
  }
}
