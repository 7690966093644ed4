import { afterEach, describe, expect, it, vi } from 'vitest';
import { ScreenWatchdog, type HangReport } from '../../../electron/services/watchdog.ts';

describe('screen watchdog', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  function rig(silenceMs = 5000) {
    vi.useFakeTimers();
    const dog = new ScreenWatchdog({ silenceMs, checkMs: 100 });
    const hangs: HangReport[] = [];
    let recovered = 0;
    dog.on('hung', (h) => hangs.push(h));
    dog.on('recovered', () => recovered++);
    return { dog, hangs, recovered: () => recovered };
  }

  it('does not judge a screen it has never heard from', () => {
    const { dog, hangs } = rig();
    vi.advanceTimersByTime(60_000);
    expect(hangs).toEqual([]);
    expect(dog.alive).toBe(false);
    dog.stop();
  });

  it('declares one hang after silence, with the last screen, and hears the recovery', () => {
    const { dog, hangs, recovered } = rig();
    dog.beat('guide');
    vi.advanceTimersByTime(4000);
    dog.beat('search');
    vi.advanceTimersByTime(4900);
    expect(hangs).toEqual([]);
    vi.advanceTimersByTime(30_000);
    expect(hangs).toHaveLength(1);
    expect(hangs[0]).toMatchObject({ reason: 'silent', screen: 'search' });
    expect(hangs[0].silentMs).toBeGreaterThan(5000);
    dog.beat('home');
    expect(recovered()).toBe(1);
    expect(dog.alive).toBe(true);
    dog.stop();
  });

  it('takes the worker\'s report at once, and a reload resets the judgement', () => {
    const { dog, hangs } = rig();
    dog.beat('home');
    dog.beat('hung');
    dog.beat('hung');
    expect(hangs.map((h) => h.reason)).toEqual(['reported']);
    dog.reset();
    vi.advanceTimersByTime(60_000);
    expect(hangs).toHaveLength(1);
    dog.stop();
  });

  it('states what the terminal\'s health shows: alive, the last beat and the pages opened', () => {
    const { dog } = rig();
    expect(dog.state).toEqual({ alive: false, lastBeatAt: null, pages: 0 });
    dog.reset();
    dog.beat('home');
    const first = dog.state;
    expect(first).toMatchObject({ alive: true, pages: 1 });
    expect(first.lastBeatAt).toBe(Date.now());
    vi.advanceTimersByTime(30_000);
    expect(dog.state).toMatchObject({ alive: false, lastBeatAt: first.lastBeatAt, pages: 1 });
    // The launcher opened the page again: no beat from the new one yet.
    dog.reset();
    expect(dog.state).toEqual({ alive: false, lastBeatAt: null, pages: 2 });
    dog.stop();
  });
});
