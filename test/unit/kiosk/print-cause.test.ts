import { afterEach, describe, expect, it } from 'vitest';
import i18next from 'i18next';
import { strings } from '../../../renderer/kiosk/strings.ts';
import { paperState } from '../../../renderer/kiosk/appointments.ts';
import { DeviceManager } from '../../../drivers/manager.ts';
import { SimulatedDevices } from '../../../drivers/simulated.ts';
import { HOLD_CAUSES } from '../../../drivers/printer/printer.ts';

const managers: DeviceManager[] = [];
afterEach(async () => {
  for (const m of managers.splice(0)) await m.stop();
});

async function translator(lng: 'zh' | 'en') {
  const i18n = i18next.createInstance();
  await i18n.init({ lng, resources: strings, interpolation: { escapeValue: false } });
  return i18n.t.bind(i18n);
}

describe('a held print job on the kiosk screen', () => {
  it('comes from the driver as a code that the kiosk words in Chinese and English', async () => {
    const simulators = new SimulatedDevices({ paper: 0 });
    const m = new DeviceManager([{ id: 'printer', kind: 'printer', port: 'sim', pollMs: 30 }], { simulators });
    managers.push(m);
    await m.start();
    const job = await m.print({ items: [{ type: 'text', text: '材料清单' }] });
    expect(job).toMatchObject({ state: 'held', cause: 'paper-out' });
    const [zh, en] = [await translator('zh'), await translator('en')];
    expect(zh(`printCause.${job.cause}`)).toBe('打印机缺纸');
    expect(en(`printCause.${job.cause}`)).toBe('the printer is out of paper');
    // The screen promises no later print: the held checklist is withdrawn, for the same citizen to reprint.
    expect(zh('guide.heldNoQr', { reason: zh(`printCause.${job.cause}`) })).toContain('不会稍后自动打出');
    expect(en('guide.heldNoQr', { reason: en(`printCause.${job.cause}`) })).toContain('will not print by itself later');
    expect(paperState({ state: job.state, cause: job.cause }, null)).toBe('paper-out');
  });

  it('can be withdrawn from the real driver, so it never prints later for someone else', async () => {
    const simulators = new SimulatedDevices({ paper: 0 });
    const m = new DeviceManager([{ id: 'printer', kind: 'printer', port: 'sim', pollMs: 30 }], { simulators });
    managers.push(m);
    await m.start();
    const job = await m.print({ items: [{ type: 'text', text: '材料清单' }] });
    expect(job.state).toBe('held');
    expect(m.cancelPrintJob(job.jobId)).toBe(true);
    expect(m.printJob(job.jobId)?.state).toBe('failed');
    // Nothing is left queued to print when paper comes back.
    expect(m.cancelPrintJob(job.jobId)).toBe(false);
  });

  it('has words in both languages for every cause the driver can name', async () => {
    const [zh, en] = [await translator('zh'), await translator('en')];
    for (const cause of HOLD_CAUSES) {
      expect(zh(`printCause.${cause}`), cause).toMatch(/^打印机/);
      expect(en(`printCause.${cause}`), cause).toMatch(/^the printer /);
    }
  });
});
