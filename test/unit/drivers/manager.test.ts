import { afterEach, describe, expect, it } from 'vitest';
import { DeviceManager, type DeviceConfig, type DeviceHealth } from '../../../drivers/manager.ts';
import { createMemoryPair, type MemoryTransport } from '../../../drivers/transport/memory.ts';
import { PortAbsentError } from '../../../drivers/transport/serial.ts';
import { IdCardSimulator } from '../../../drivers/idcard/simulator.ts';
import { PrinterSimulator } from '../../../drivers/printer/simulator.ts';
import { fixtureCards, toSimCard } from '../../../drivers/idcard/fixtures.ts';
import type { CardRead } from '../../../drivers/idcard/reader.ts';
import type { ScanEvent } from '../../../drivers/scanner/symbology.ts';
import { SimulatedDevices } from '../../../drivers/simulated.ts';
import { HidDeviceAbsentError } from '../../../drivers/hid/transport.ts';

const managers: DeviceManager[] = [];
afterEach(async () => {
  for (const m of managers.splice(0)) await m.stop();
});

const fast = { reconnect: { minMs: 20, maxMs: 100 }, reader: { timeouts: { find: 150, select: 150, read: 300, sam: 150 }, retries: 1 }, printer: { statusTimeoutMs: 150 } };

describe('DeviceManager with in-process simulators', () => {
  const configs: DeviceConfig[] = [
    { id: 'reader', kind: 'idcard', port: 'sim', pollMs: 20 },
    { id: 'printer', kind: 'printer', port: 'sim', pollMs: 30 },
    { id: 'scanner', kind: 'scanner', port: 'sim' },
    { id: 'touch', kind: 'touch', port: 'sim' },
  ];

  it('opens everything, reports health, re-emits cards and scans, prints', async () => {
    const m = new DeviceManager(configs, { ...fast, simulators: new SimulatedDevices({ paper: 500 }) });
    managers.push(m);
    await m.start();
    expect(m.health().map((h) => [h.id, h.state])).toEqual([
      ['reader', 'ok'],
      ['printer', 'ok'],
      ['scanner', 'ok'],
      ['touch', 'ok'],
    ]);
    expect(m.health()[1].paper).toBe('ok');

    const present = new Promise<[CardRead, string]>((resolve) => m.once('card-present', (r, id) => resolve([r, id])));
    m.simulators.idcard!.insert(toSimCard(fixtureCards['foreign-permanent']));
    const [read, id] = await present;
    expect(id).toBe('reader');
    expect(read.card.cardType).toBe('foreign-permanent');
    const removed = new Promise<string>((resolve) => m.once('card-removed', resolve));
    m.simulators.idcard!.remove();
    expect(await removed).toBe('reader');

    const scan = new Promise<ScanEvent>((resolve) => m.once('scan', resolve));
    await m.simulators.scanner!.scan('A023');
    expect(await scan).toEqual({ data: 'A023', symbology: 'qr', aim: ']Q1' });

    const job = await m.print({ items: [{ type: 'text', text: '测试小票' }] });
    expect(job.state).toBe('done');
    expect(m.simulators.printer!.receipts.at(-1)!.text).toBe('测试小票');
    expect(m.printJob(job.jobId)?.state).toBe('done');
    expect((await m.printerStatus())?.paper).toBe('ok');
  });

  it('reports paper out as faulty with paper out, then ok again', async () => {
    const m = new DeviceManager([configs[1]], { ...fast, simulators: new SimulatedDevices() });
    managers.push(m);
    await m.start();
    const seen: DeviceHealth[] = [];
    m.on('health', (h) => seen.push(h));
    m.simulators.printer!.setPaper(0);
    await expect.poll(() => m.health()[0].paper).toBe('out');
    expect(m.health()[0]).toMatchObject({ state: 'faulty', paper: 'out', detail: expect.stringMatching(/paper out/) });
    m.simulators.printer!.setPaper(500);
    await expect.poll(() => m.health()[0].state).toBe('ok');
    expect(seen.map((h) => h.paper)).toEqual(['out', 'ok']);
  });

  it('reports a jammed cutter as faulty until it is cleared', async () => {
    const m = new DeviceManager([configs[1]], { ...fast, simulators: new SimulatedDevices() });
    managers.push(m);
    await m.start();
    m.simulators.printer!.cutterError = true;
    await expect.poll(() => m.health()[0].state).toBe('faulty');
    m.simulators.printer!.cutterError = false;
    await expect.poll(() => m.health()[0].state).toBe('ok');
  });

  it('sees an unplugged reader absent, cannot open it until it is plugged back, then reopens it by itself', async () => {
    const m = new DeviceManager([configs[0]], { ...fast, simulators: new SimulatedDevices() });
    managers.push(m);
    await m.start();
    await m.simulators.unplug!('idcard');
    await expect.poll(() => m.health()[0].detail).toMatch(/does not exist/);
    expect(m.health()[0].state).toBe('absent');
    m.simulators.replug!('idcard');
    await expect.poll(() => m.health()[0].state).toBe('ok');
    const present = new Promise<string>((resolve) => m.once('card-present', (_r, id) => resolve(id)));
    m.simulators.idcard!.insert(toSimCard(fixtureCards.resident));
    expect(await present).toBe('reader');
  });

  it('survives throwing listeners', async () => {
    const m = new DeviceManager([configs[0]], { ...fast, simulators: new SimulatedDevices() });
    managers.push(m);
    const events: string[] = [];
    m.on('card-present', () => events.push('present'));
    m.on('card-removed', () => events.push('removed'));
    const bug = (): never => {
      throw new Error('UI bug');
    };
    for (const event of ['health', 'card-present', 'card-removed'] as const) m.on(event, bug);
    await m.start();
    m.simulators.idcard!.insert(toSimCard(fixtureCards.resident));
    await expect.poll(() => events).toEqual(['present']);
    // Polling went on past the throws: the card leaving is seen too, and the reader stays healthy.
    m.simulators.idcard!.remove();
    await expect.poll(() => events).toEqual(['present', 'removed']);
    expect(m.health()[0].state).toBe('ok');
  });
});

describe('DeviceManager reconnecting', () => {
  it('marks a vanished port absent and reopens it with backoff when it returns', async () => {
    let plugged = false;
    const sim = new IdCardSimulator(null, { card: null });
    let current: MemoryTransport | null = null;
    const m = new DeviceManager([{ id: 'reader', kind: 'idcard', port: '/dev/ttyFAKE0', pollMs: 20 }], {
      ...fast,
      openSerial: async (path) => {
        if (!plugged) throw new PortAbsentError(path);
        const [a, b] = createMemoryPair('fake');
        sim.attach(b);
        current = b;
        return a;
      },
    });
    managers.push(m);
    const states: string[] = [];
    m.on('health', (h) => states.push(h.state));
    await m.start();
    expect(m.health()[0]).toMatchObject({ state: 'absent', detail: expect.stringMatching(/does not exist/) });
    plugged = true;
    await expect.poll(() => m.health()[0].state).toBe('ok');
    // Unplug: the port closes under the driver.
    plugged = false;
    await current!.close();
    await expect.poll(() => m.health()[0].state).toBe('absent');
    expect(m.health()[0].detail).toMatch(/disconnected|does not exist/);
    plugged = true;
    await expect.poll(() => m.health()[0].state).toBe('ok');
    sim.insert(toSimCard(fixtureCards.resident));
    const read = await new Promise<CardRead>((resolve) => m.once('card-present', resolve));
    expect(read.card.cardType).toBe('resident');
    expect(states).toEqual(['absent', 'ok', 'absent', 'ok']);
  });

  it('reports a reader that does not answer as faulty, and recovers', async () => {
    const sim = new IdCardSimulator(null);
    sim.inject({ kind: 'silent' });
    const m = new DeviceManager([{ id: 'reader', kind: 'idcard', port: '/dev/ttyFAKE1', pollMs: 20 }], {
      ...fast,
      openSerial: async () => {
        const [a, b] = createMemoryPair('fake');
        sim.attach(b);
        return a;
      },
    });
    managers.push(m);
    await m.start();
    expect(m.health()[0]).toMatchObject({ state: 'faulty', detail: expect.stringMatching(/does not answer/) });
    sim.clearFaults();
    await expect.poll(() => m.health()[0].state).toBe('ok');
  });

  it('holds print jobs across a printer reconnect and prints them after', async () => {
    const sim = new PrinterSimulator(null, { paper: 500 });
    let plugged = true;
    let current: MemoryTransport | null = null;
    const m = new DeviceManager([{ id: 'p', kind: 'printer', port: '/dev/ttyFAKE2', pollMs: 30 }], {
      ...fast,
      printer: { statusTimeoutMs: 100, msPerLine: 0 },
      openSerial: async (path) => {
        if (!plugged) throw new PortAbsentError(path);
        const [a, b] = createMemoryPair('fake');
        sim.attach(b);
        current = b;
        return a;
      },
    });
    managers.push(m);
    await m.start();
    plugged = false;
    await current!.close();
    await expect.poll(() => m.health()[0].state).toBe('absent');
    const job = await m.print({ items: [{ type: 'text', text: '断线期间的小票' }] });
    expect(job.state).toBe('held');
    plugged = true;
    const done = await m.whenPrinted(job.jobId);
    expect(done.state).toBe('done');
    expect(sim.receipts.map((r) => r.text)).toEqual(['断线期间的小票']);
  });

  it('reports HID devices that are not connected as absent, and bad config as faulty', async () => {
    const m = new DeviceManager(
      [
        { id: 'touch', kind: 'touch', port: 'hid', hid: { vendorId: 0x222a, productId: 0x0001 } },
        { id: 'scan', kind: 'scanner', port: 'hid' },
      ],
      { ...fast, openHid: async (s) => Promise.reject(new HidDeviceAbsentError(s.vendorId, s.productId)) },
    );
    managers.push(m);
    await m.start();
    expect(m.health()[0]).toMatchObject({ state: 'absent', detail: expect.stringMatching(/222a:0001/) });
    expect(m.health()[1]).toMatchObject({ state: 'faulty', detail: expect.stringMatching(/needs hid.vendorId/) });
  });
});
