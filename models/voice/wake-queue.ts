/**
 * Wake candidates waiting for the rest of their phrase before the wake check looks at them.
 *
 * The spotter may fire again while one waits (its stream was reset on the first fire), and
 * each later candidate gets its own look with more of the phrase in view: a first look
 * that came too early (the check heard 小今小 and a rival scored as well) must not lose a
 * wake the second look would have accepted.
 */
export interface WakeCandidate {
  tokens: string[];
  /** The sample count at which the check may look at it. */
  due: number;
}

/** Candidates beyond this many within one check delay are the same phrase heard again. */
const MAX_PENDING = 4;

export class WakeQueue {
  private pending: WakeCandidate[] = [];

  constructor(private readonly delaySamples: number) {}

  get size(): number {
    return this.pending.length;
  }

  add(tokens: string[], now: number): void {
    if (this.pending.length < MAX_PENDING) this.pending.push({ tokens, due: now + this.delaySamples });
  }

  /**
   * Removes and returns the first candidate due by `now`, dropping the others due with it:
   * they would be checked on the same audio, so one look serves them all.
   */
  takeDue(now: number): WakeCandidate | null {
    const due = this.pending.filter((c) => now >= c.due);
    if (!due.length) return null;
    this.pending = this.pending.filter((c) => now < c.due);
    return due[0];
  }

  /** A wake was accepted (or the stream restarted): what waited belongs to it. */
  clear(): void {
    this.pending = [];
  }
}
