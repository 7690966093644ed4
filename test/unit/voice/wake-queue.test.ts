import { describe, expect, it } from 'vitest';
import { WakeQueue } from '../../../models/voice/wake-queue.ts';

describe('WakeQueue', () => {
  it('gives a later candidate its own look after the first was due', () => {
    const q = new WakeQueue(100);
    q.add(['x', 'iao3'], 0);
    q.add(['j', 'in1'], 60);
    expect(q.takeDue(99)).toBeNull();
    expect(q.takeDue(100)?.due).toBe(100);
    // The first look turned it down; the second candidate still waits for its own.
    expect(q.size).toBe(1);
    expect(q.takeDue(159)).toBeNull();
    expect(q.takeDue(160)?.tokens).toEqual(['j', 'in1']);
    expect(q.size).toBe(0);
  });

  it('serves candidates due together with one look', () => {
    const q = new WakeQueue(100);
    q.add(['a'], 0);
    q.add(['b'], 10);
    q.add(['c'], 500);
    expect(q.takeDue(200)?.tokens).toEqual(['a']);
    expect(q.size).toBe(1);
    expect(q.takeDue(200)).toBeNull();
  });

  it('keeps at most four candidates and forgets them all on clear', () => {
    const q = new WakeQueue(100);
    for (let i = 0; i < 10; i++) q.add([String(i)], i);
    expect(q.size).toBe(4);
    q.clear();
    expect(q.takeDue(10_000)).toBeNull();
  });
});
