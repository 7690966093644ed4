import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryPair } from '../../../drivers/transport/memory.ts';
import { IdCardReader, type CardRead } from '../../../drivers/idcard/reader.ts';
import { IdCardSimulator } from '../../../drivers/idcard/simulator.ts';
import { fixtureCards, toSimCard, foreignPermanentCard } from '../../../drivers/idcard/fixtures.ts';
import { encodeCardText } from '../../../drivers/idcard/text.ts';
import {
  CardAccessError,
  NoCardError,
  ReaderDisconnectedError,
  ReaderTimeoutError,
  UnsupportedCardError,
  type IdCardError,
} from '../../../drivers/idcard/errors.ts';

const readers: IdCardReader[] = [];

function rig(options: ConstructorParameters<typeof IdCardReader>[1] = {}) {
  const [a, b] = createMemoryPair('idcard');
  const sim = new IdCardSimulator(b, { card: toSimCard(fixtureCards.resident) });
  const reader = new IdCardReader(a, { timeouts: { find: 200, select: 200, read: 300, sam: 200 }, ...options });
  readers.push(reader);
  return { reader, sim, a, b };
}

afterEach(async () => {
  for (const r of readers.splice(0)) await r.close();
});

describe('IdCardReader over an in-memory simulator', () => {
  it.each(Object.values(fixtureCards))('reads the $type fixture', async (fixture) => {
    const { reader, sim } = rig();
    sim.insert(toSimCard(fixture));
    const read = await reader.readCard({ fingerprint: true, additionalAddress: true });
    expect(read.card.cardType).toBe(fixture.type);
    expect(read.photo).toEqual(fixture.photo);
    expect(read.fingerprint).toEqual(fixture.fingerprint);
    expect(read.additionalAddress).toBe(fixture.additionalAddress);
  });

  it('reports no card as NoCardError, and findCard as false', async () => {
    const { reader, sim } = rig();
    sim.remove();
    expect(await reader.findCard()).toBe(false);
    await expect(reader.readCard()).rejects.toBeInstanceOf(NoCardError);
  });

  it('reads the SAM id and status', async () => {
    const { reader } = rig();
    await reader.samStatus();
    expect(await reader.samId()).toMatch(/^\d+\.\d+-\d+-\d{10}-\d{10}$/);
  });

  it('recovers from a checksum-corrupted answer by retrying', async () => {
    const { reader, sim } = rig();
    sim.inject({ kind: 'checksum-noise', on: 'read', times: 1 });
    const read = await reader.readCard();
    expect(read.card.cardType).toBe('resident');
    expect(sim.counts.get('readTextPhoto')).toBe(2);
  });

  it('resynchronises past garbage and a truncated frame without a retry', async () => {
    const { reader, sim } = rig();
    sim.inject({ kind: 'garbage', on: 'any', times: 3 });
    await reader.readCard();
    expect(sim.counts.get('findCard')).toBe(1);
    expect(sim.counts.get('readTextPhoto')).toBe(1);
  });

  it('retries the sequence after a read failure, and gives up after the bound', async () => {
    const { reader, sim } = rig({ retries: 2 });
    sim.inject({ kind: 'read-failure', times: 1 });
    await reader.readCard();
    sim.inject({ kind: 'select-failure' });
    await expect(reader.readCard()).rejects.toBeInstanceOf(CardAccessError);
    expect(sim.counts.get('selectCard')).toBe(2 + 3);
  });

  it('times out on a slow reader after bounded retries', async () => {
    const { reader, sim, a } = rig({ retries: 1 });
    sim.inject({ kind: 'slow', delayMs: 1500, on: 'find' });
    let answered = false;
    a.on('data', () => (answered = true));
    await expect(reader.readCard()).rejects.toBeInstanceOf(ReaderTimeoutError);
    // It gave up on its own timeouts, before the slow reader said anything at all.
    expect(answered).toBe(false);
    expect(sim.counts.get('findCard')).toBe(2);
  });

  it('drops a late answer instead of taking it for the next command', async () => {
    const { reader, sim } = rig({ retries: 0 });
    sim.inject({ kind: 'slow', delayMs: 250, on: 'find', times: 1 });
    await expect(reader.findCard()).rejects.toBeInstanceOf(ReaderTimeoutError);
    // The late find answer lands while select waits: select must still get its own.
    await reader.selectCard();
  });

  it('fails pending and later commands with ReaderDisconnectedError on unplug', async () => {
    const { reader, sim } = rig();
    sim.inject({ kind: 'silent' });
    const pending = reader.findCard();
    await sim.unplug();
    await expect(pending).rejects.toBeInstanceOf(ReaderDisconnectedError);
    await expect(reader.readCard()).rejects.toBeInstanceOf(ReaderDisconnectedError);
  });
});

describe('card polling', () => {
  it('emits card-present and card-removed once per insertion', async () => {
    const { reader, sim } = rig();
    sim.remove();
    const events: string[] = [];
    const reads: CardRead[] = [];
    reader.on('card-present', (r) => {
      events.push('present');
      reads.push(r);
    });
    reader.on('card-removed', () => events.push('removed'));
    for (let i = 0; i < 3; i++) await reader.pollOnce();
    sim.insert(toSimCard(fixtureCards['hk-macau-taiwan']));
    for (let i = 0; i < 4; i++) await reader.pollOnce();
    sim.remove();
    for (let i = 0; i < 3; i++) await reader.pollOnce();
    sim.insert(toSimCard(fixtureCards.resident));
    for (let i = 0; i < 3; i++) await reader.pollOnce();
    expect(events).toEqual(['present', 'removed', 'present']);
    expect(reads.map((r) => r.card.cardType)).toEqual(['hk-macau-taiwan', 'resident']);
    expect(reads[1].additionalAddress).toBe(fixtureCards.resident.additionalAddress);
  });

  it('polls on its own at the configured interval', async () => {
    const { reader, sim } = rig({ pollMs: 20 });
    const present = new Promise<CardRead>((resolve) => reader.once('card-present', resolve));
    reader.startPolling();
    expect((await present).card.cardType).toBe('resident');
    const removed = new Promise<void>((resolve) => reader.once('card-removed', () => resolve()));
    sim.remove();
    await removed;
    reader.stopPolling();
  });

  it("reports an unsupported 'Y' card once, not on every poll", async () => {
    const { reader, sim } = rig();
    const block = encodeCardText(foreignPermanentCard.text);
    block[248] = 0x59;
    sim.insert({ ...toSimCard(foreignPermanentCard), textBlock: block });
    const errors: IdCardError[] = [];
    reader.on('card-error', (e) => errors.push(e));
    reader.on('card-present', () => errors.push(new Error('unexpected') as IdCardError));
    for (let i = 0; i < 4; i++) await reader.pollOnce();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(UnsupportedCardError);
  });

  it('reports poll failures without emitting removal', async () => {
    const { reader, sim } = rig({ retries: 0 });
    const outcomes: boolean[] = [];
    const events: string[] = [];
    reader.on('poll', (o) => outcomes.push(o.ok));
    reader.on('card-present', () => events.push('present'));
    reader.on('card-removed', () => events.push('removed'));
    await reader.pollOnce();
    sim.inject({ kind: 'silent', times: 1 });
    await reader.pollOnce();
    await reader.pollOnce();
    expect(outcomes).toEqual([true, false, true]);
    expect(events).toEqual(['present']);
  });

  it('a throwing listener does not break polling', async () => {
    const { reader, sim } = rig({ pollMs: 20 });
    const events: string[] = [];
    reader.on('card-present', () => events.push('present'));
    reader.on('card-removed', () => events.push('removed'));
    const bug = (): never => {
      throw new Error('listener bug');
    };
    for (const event of ['card-present', 'card-removed', 'poll'] as const) reader.on(event, bug);
    reader.startPolling();
    await expect.poll(() => events).toEqual(['present']);
    expect(reader.cardPresent).toBe(true);
    // Polling went on past the throws: it sees the card leave and the next one arrive.
    sim.remove();
    await expect.poll(() => events).toEqual(['present', 'removed']);
    sim.insert(toSimCard(fixtureCards.resident));
    await expect.poll(() => events).toEqual(['present', 'removed', 'present']);
    reader.stopPolling();
  });
});
