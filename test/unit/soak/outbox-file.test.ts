/** How the soak's fault classes read an outbox's progress from two looks at its file. */
import { describe, expect, it } from 'vitest';
import { backlogSent, sentSince, type OutboxState } from '../../../cli/soak/faults/outbox-file.ts';

const state = (lastSeq: number, oldestPendingSeq: number | null, deadLetters = 0): OutboxState => ({
  lastSeq,
  oldestPendingSeq,
  pending: oldestPendingSeq === null ? 0 : lastSeq - oldestPendingSeq + 1,
  deadLetters,
});

describe('outbox progress between two looks', () => {
  const since = state(10, 8);

  it('a transaction recorded since but still waiting is not sent', () => {
    expect(sentSince(since, state(11, 11))).toBe(false);
    // The old backlog went, the new one waits: the backlog is sent, nothing new is.
    expect(backlogSent(since, state(11, 11))).toBe(true);
  });

  it('nothing recorded since is nothing sent since, however empty the outbox', () => {
    expect(sentSince(since, state(10, null))).toBe(false);
    expect(backlogSent(since, state(10, null))).toBe(true);
  });

  it('the first transaction recorded since, acknowledged, is sent since', () => {
    expect(sentSince(since, state(12, 12))).toBe(true);
    expect(sentSince(since, state(12, null))).toBe(true);
  });

  it('the old backlog still waiting is neither', () => {
    expect(backlogSent(since, state(12, 9))).toBe(false);
    expect(sentSince(since, state(12, 9))).toBe(false);
  });

  it('a transaction refused for good left the outbox without reaching the platform', () => {
    expect(backlogSent(since, state(12, null, 1))).toBe(false);
    expect(sentSince(since, state(12, null, 1))).toBe(false);
  });
});
