import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ptyRig, type PtyRig } from './helpers.ts';
import { IdCardReader } from '../../../drivers/idcard/reader.ts';
import { IdCardSimulator } from '../../../drivers/idcard/simulator.ts';
import { fixtureCards, toSimCard } from '../../../drivers/idcard/fixtures.ts';
import { NoCardError, ReaderDisconnectedError, ReaderTimeoutError } from '../../../drivers/idcard/errors.ts';
import { DeviceManager } from '../../../drivers/manager.ts';
import { openSerial } from '../../../drivers/transport/serial.ts';

let rig: PtyRig;
let reader: IdCardReader;
let sim: IdCardSimulator;

beforeEach(async () => {
  rig = await ptyRig();
  sim = new IdCardSimulator(rig.deviceEnd, { card: null });
  reader = new IdCardReader(rig.driverEnd, { timeouts: { find: 300, select: 300, read: 600, sam: 300 }, retries: 2 });
});

afterEach(async () => {
  reader.stopPolling();
  await rig.dispose();
});

describe('ID-card reader over a socat pty pair', () => {
  it.each(Object.values(fixtureCards))('reads the $type card with fingerprint and additional address', async (fixture) => {
    sim.insert(toSimCard(fixture));
    const read = await reader.readCard({ fingerprint: true, additionalAddress: true });
    expect(read.card.cardType).toBe(fixture.type);
    expect(read.card.idNumber).toBe(fixture.text.idNumber);
    expect(read.photo).toEqual(fixture.photo);
    expect(read.fingerprint).toEqual(fixture.fingerprint);
    expect(read.additionalAddress).toBe(fixture.additionalAddress);
    expect(await reader.samId()).toMatch(/^\d+\.\d+-/);
  });

  it('reports no card', async () => {
    await expect(reader.readCard()).rejects.toBeInstanceOf(NoCardError);
  });

  it('recovers a checksum-corrupted answer by retry', async () => {
    sim.insert(toSimCard(fixtureCards.resident));
    sim.inject({ kind: 'checksum-noise', on: 'read', times: 1 });
    const read = await reader.readCard();
    expect(read.card.name).toBe('李今华');
    expect(sim.counts.get('readTextPhoto')).toBe(2);
  });

  it('finds the frame behind garbage bytes', async () => {
    sim.insert(toSimCard(fixtureCards.resident));
    sim.inject({ kind: 'garbage', bytes: 40, times: 3 });
    const read = await reader.readCard();
    expect(read.card.cardType).toBe('resident');
  });

  it('gives up on a slow device with a timeout, then works when it is quick again', async () => {
    sim.insert(toSimCard(fixtureCards.resident));
    sim.inject({ kind: 'slow', delayMs: 2000, on: 'find' });
    let answered = false;
    const heard = () => (answered = true);
    rig.driverEnd.on('data', heard);
    await expect(reader.readCard()).rejects.toBeInstanceOf(ReaderTimeoutError);
    // It gave up on its own timeouts, before the slow device said anything at all.
    expect(answered).toBe(false);
    rig.driverEnd.off('data', heard);
    sim.clearFaults();
    expect((await reader.readCard()).card.cardType).toBe('resident');
  });

  it('survives unplug and replug of the same port path', async () => {
    sim.insert(toSimCard(fixtureCards.resident));
    await reader.readCard();
    await rig.pair.stop();
    await expect(reader.readCard()).rejects.toBeInstanceOf(ReaderDisconnectedError);
    await rig.pair.start();
    await rig.reopen();
    sim.attach(rig.deviceEnd);
    reader.attach(rig.driverEnd);
    expect((await reader.readCard()).card.cardType).toBe('resident');
  });

  it('polls: card-present once per insertion over the real port', async () => {
    const events: string[] = [];
    reader.on('card-present', (r) => events.push(`present:${r.card.cardType}`));
    reader.on('card-removed', () => events.push('removed'));
    let polls = 0;
    reader.on('poll', () => polls++);
    reader.startPolling(20);
    // A few empty polls first, then a few with the card in: presence is reported once, not per poll.
    await expect.poll(() => polls).toBeGreaterThanOrEqual(3);
    sim.insert(toSimCard(fixtureCards['foreign-permanent']));
    await expect.poll(() => events).toEqual(['present:foreign-permanent']);
    const pollsWithCard = polls + 3;
    await expect.poll(() => polls).toBeGreaterThanOrEqual(pollsWithCard);
    sim.remove();
    await expect.poll(() => events).toEqual(['present:foreign-permanent', 'removed']);
  });
});

describe('DeviceManager over a pty that disappears and comes back', () => {
  it('goes absent on unplug and back to ok on replug, then reads cards again', async () => {
    const manager = new DeviceManager([{ id: 'reader', kind: 'idcard', port: rig.pair.a, pollMs: 30 }], {
      reconnect: { minMs: 50, maxMs: 200 },
      reader: { timeouts: { find: 300, select: 300, read: 600, sam: 300 }, retries: 1 },
    });
    // The manager owns its own connection to the driver end.
    await rig.driverEnd.close();
    reader.detach();
    try {
      await manager.start();
      expect(manager.health()[0].state).toBe('ok');
      await rig.pair.stop();
      await expect.poll(() => manager.health()[0].state).toBe('absent');
      await rig.pair.start();
      const deviceEnd = await openSerial(rig.pair.b);
      rig.deviceEnd = deviceEnd;
      sim.attach(deviceEnd);
      await expect.poll(() => manager.health()[0].state).toBe('ok');
      const present = new Promise<string>((resolve) => manager.once('card-present', (r) => resolve(r.card.cardType)));
      sim.insert(toSimCard(fixtureCards['hk-macau-taiwan']));
      expect(await present).toBe('hk-macau-taiwan');
    } finally {
      await manager.stop();
    }
  });
});
