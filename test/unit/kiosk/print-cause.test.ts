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
    expect(zh(`printCause.${job.cause}`)).toBe('打印机缺纸：加纸后将自动重新打印');
    expect(en(`printCause.${job.cause}`)).toBe('the printer is out of paper; the job reprints when paper is loaded');
    expect(paperState({ state: job.state, cause: job.cause }, null)).toBe('paper-out');
  });

  it('has words in both languages for every cause the driver can name', async () => {
    const [zh, en] = [await translator('zh'), await translator('en')];
    for (const cause of HOLD_CAUSES) {
      expect(zh(`printCause.${cause}`), cause).toMatch(/^打印机/);
      expect(en(`printCause.${cause}`), cause).toMatch(/^the printer /);
    }
  });
});
