/**
 * The kiosk's simulated ID-card reader, driven the way its /sim routes are by hand: a card
 * is put down only after the reader has seen the last one go, or the reader, which reports
 * changes, would not report it anew.
 */
import { expect } from 'vitest';
import type { RunningHall } from '../../cli/hall.ts';

export interface CardReader {
  /** POSTs to one of the kiosk host's /sim routes. */
  sim(path: string, body: unknown): Promise<void>;
  /** Puts a simulator card (by its fixture name, with any /sim/idcard/insert option) on the reader. */
  insert(card: Record<string, string>): Promise<void>;
  /** Takes the card off the reader and waits until the reader has seen it go; nothing when none lies there. */
  take(): Promise<void>;
}

export function cardReader(hall: () => RunningHall): CardReader {
  let onReader = false;
  const sim = async (path: string, body: unknown) => {
    const res = await fetch(`${new URL(hall().urls.kiosk).origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.ok, `${path} answered ${res.status}`).toBe(true);
  };
  const take = async () => {
    if (!onReader) return;
    const manager = hall().kiosk.get('devices').manager!;
    const gone = new Promise<void>((resolve) => manager.once('card-removed', () => resolve()));
    await sim('/sim/idcard/remove', {});
    await gone;
    onReader = false;
  };
  return {
    sim,
    take,
    async insert(card) {
      await take();
      await sim('/sim/idcard/insert', card);
      onReader = true;
    },
  };
}
