import { afterEach, describe, expect, it } from 'vitest';
import { DeviceManager } from '../../../drivers/manager.ts';
import { SimulatedDevices } from '../../../drivers/simulated.ts';

const managers: DeviceManager[] = [];
afterEach(async () => {
  for (const m of managers.splice(0)) await m.stop();
});

describe('the device supervisor and its simulators', () => {
  it('builds no simulators itself: a device on port sim without them is faulty, with the reason', async () => {
    const m = new DeviceManager([{ id: 'printer', kind: 'printer', port: 'sim' }], { reconnect: { minMs: 10_000, maxMs: 10_000 } });
    managers.push(m);
    await m.start();
    expect(m.simulators.printer).toBeUndefined();
    expect(m.health()[0]).toMatchObject({ state: 'faulty', detail: expect.stringMatching(/no simulator for a printer/) });
  });

  it('opens port sim through the simulators it is given, and exposes them', async () => {
    const simulators = new SimulatedDevices({ paper: 10 });
    const m = new DeviceManager([{ id: 'printer', kind: 'printer', port: 'sim', pollMs: 30 }], { simulators });
    managers.push(m);
    await m.start();
    expect(m.simulators.printer).toBe(simulators.printer);
    expect(m.health()[0].state).toBe('ok');
    const job = await m.print({ items: [{ type: 'text', text: '小票' }] });
    expect(job.state).toBe('done');
    expect(simulators.printer!.receipts).toHaveLength(1);
  });
});
