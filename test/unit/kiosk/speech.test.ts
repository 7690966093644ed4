import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeTerminal } from '../../../electron/services/kiosk-services.ts';
import { speechPart } from '../../../electron/services/speech.ts';
import { createLogger } from '../../../electron/services/log.ts';
import { EspeakEngine, espeakAvailable, type TtsEngine } from '../../../models/speech/tts.ts';

async function kioskWith(engines: { zh: TtsEngine | null; en: TtsEngine | null }) {
  const services = await composeTerminal(
    { kioskId: 'kiosk-1', dataDir: mkdtempSync(join(tmpdir(), 'xj-speech-')), log: createLogger('test', 'silent') },
    [speechPart({ engines })],
  );
  const spoken: { id: number; audio: string }[] = [];
  services.hub.on('kiosk.speech', (s) => spoken.push(s));
  return { services, spoken };
}

/** An engine whose answers arrive in the order the test releases them. */
function gatedEngine() {
  const gates: ((wav: Buffer) => void)[] = [];
  const texts: string[] = [];
  const engine: TtsEngine = {
    name: 'gated',
    synthesize: (text) => {
      texts.push(text);
      return new Promise((resolve) => gates.push(resolve));
    },
  };
  return { engine, gates, texts };
}

describe('kiosk read-aloud', () => {
  it('says plainly when the terminal has no voice', async () => {
    const { services } = await kioskWith({ zh: null, en: null });
    expect(services.get('speech').tts).toBe(false);
    const res = await services.router.dispatch('kiosk.speak', { text: '你好' });
    expect(res).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    await services.close();
  });

  it('plays only the newest screen when an older sentence finishes late', async () => {
    const { engine, gates, texts } = gatedEngine();
    const { services, spoken } = await kioskWith({ zh: engine, en: null });
    expect(services.get('speech').tts).toBe(true);
    const first = services.router.dispatch('kiosk.speak', { text: '首页' });
    const second = services.router.dispatch('kiosk.speak', { text: '办事指南' });
    await expect.poll(() => texts).toEqual(['首页', '办事指南']);
    gates[1](Buffer.from('second'));
    gates[0](Buffer.from('first'));
    expect(await second).toMatchObject({ ok: true, value: { queued: true } });
    expect(await first).toMatchObject({ ok: true, value: { queued: false } });
    expect(spoken.map((s) => Buffer.from(s.audio, 'base64').toString())).toEqual(['second']);
    await services.close();
  });

  it.runIf(espeakAvailable())('speaks Chinese through espeak-ng as a WAV the page can play', async () => {
    const { services, spoken } = await kioskWith({ zh: new EspeakEngine('espeak-ng', 'cmn'), en: null });
    const res = await services.router.dispatch('kiosk.speak', { text: '请将身份证放在读卡区' });
    expect(res).toMatchObject({ ok: true, value: { queued: true } });
    const wav = Buffer.from(spoken[0].audio, 'base64');
    expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
    expect(wav.toString('ascii', 8, 12)).toBe('WAVE');
    expect(wav.length).toBeGreaterThan(10_000);
    await services.close();
  });
});
