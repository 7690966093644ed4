import { describe, expect, it } from 'vitest';
import { Announcer, type Player } from '../../../server/queue/announcer.ts';
import { EspeakEngine, espeakAvailable, sealWav, speechOf, wavDurationMs, type TtsEngine } from '../../../models/speech/tts.ts';

/** A WAV of `ms` milliseconds of silence at 16 kHz mono 16-bit. */
function silence(ms: number): Buffer {
  const data = Buffer.alloc(Math.round((16000 * 2 * ms) / 1000));
  const h = Buffer.alloc(44);
  h.write('RIFF', 0);
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVEfmt ', 8);
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(16000, 24);
  h.writeUInt32LE(32000, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36);
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

const fakeEngine: TtsEngine = { name: 'fake', synthesize: async () => silence(1500) };

describe('announcer', () => {
  it('speaks the standard sentence, digits read one by one', () => {
    expect(Announcer.sentence('A001', 'B01')).toBe('请A001号到B01窗口办理');
    expect(speechOf('请A001号到B01窗口办理')).toBe('请A零零一号到B零一窗口办理');
  });

  it('queues calls so a new one never cuts off the one being spoken, repeating each', async () => {
    const played: { text: string; repeat: number; start: number; end: number }[] = [];
    let clock = 0;
    const heard: string[] = [];
    const engine: TtsEngine = { name: 'fake', synthesize: async (text) => (heard.push(text), silence(1000)) };
    const player: Player = async (_wav, repeat, durationMs) => {
      const start = clock;
      // Playback takes real time here so that a call arriving meanwhile could cut in if the queue let it.
      await new Promise((r) => setTimeout(r, 20));
      clock += durationMs * repeat;
      played.push({ text: heard[heard.length - 1], repeat, start, end: clock });
    };
    const a = new Announcer({ engine, repeat: () => 2, player });
    const first = a.announce({ number: 'A001', windowId: 'A01' });
    a.announce({ number: 'B001', windowId: 'A06' });
    a.announce({ number: 'A002', windowId: 'A02', recall: true });
    expect(a.state().queued.length + (a.state().speaking ? 1 : 0)).toBeGreaterThanOrEqual(2);
    await a.idle();
    expect(played.map((p) => p.text)).toEqual(['请A零零一号到A零一窗口办理', '请B零零一号到A零六窗口办理', '请A零零二号到A零二窗口办理']);
    for (let i = 1; i < played.length; i++) expect(played[i].start).toBeGreaterThanOrEqual(played[i - 1].end);
    expect(played.every((p) => p.repeat === 2)).toBe(true);
    const s = a.state();
    expect(s.recent.map((x) => x.state)).toEqual(['done', 'done', 'done']);
    expect(s.recent[0].recall).toBe(true);
    expect(wavDurationMs(a.audio(first.id)!)).toBe(1000);
  });

  it('records announcements as skipped, with the reason, when there is no engine', async () => {
    const a = new Announcer({ engine: null, engineReason: 'no speech engine: espeak-ng is not installed', repeat: () => 1 });
    const x = a.announce({ number: 'C003', windowId: 'B02' });
    await a.idle();
    expect(x).toMatchObject({ state: 'skipped', reason: 'no speech engine: espeak-ng is not installed', audio: false });
    expect(a.state().engine).toBeNull();
  });

  it('skips an announcement whose synthesis fails and goes on with the next', async () => {
    let n = 0;
    const engine: TtsEngine = { name: 'flaky', synthesize: async () => (n++ === 0 ? Promise.reject(new Error('boom')) : silence(100)) };
    const a = new Announcer({ engine, repeat: () => 1, player: async () => {} });
    const x = a.announce({ number: 'A001', windowId: 'A01' });
    const y = a.announce({ number: 'A002', windowId: 'A01' });
    await a.idle();
    expect(x.state).toBe('skipped');
    expect(x.reason).toContain('boom');
    expect(y.state).toBe('done');
  });

  it('reads the duration from a WAV header and seals piped WAV sizes', () => {
    expect(wavDurationMs(silence(2500))).toBe(2500);
    const piped = silence(500);
    piped.writeUInt32LE(0x7ffff000, 40);
    piped.writeUInt32LE(0x7ffff024, 4);
    expect(sealWav(piped).readUInt32LE(40)).toBe(16000);
  });

  it.skipIf(!espeakAvailable())('synthesizes Mandarin with espeak-ng', async () => {
    const wav = await new EspeakEngine().synthesize(speechOf('请A001号到B01窗口办理'));
    expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
    expect(wav.readUInt32LE(4)).toBe(wav.length - 8);
    expect(wavDurationMs(wav)).toBeGreaterThan(1500);
  });

  it('uses the engine it is given', async () => {
    const a = new Announcer({ engine: fakeEngine, repeat: () => 3, player: async () => {} });
    const x = a.announce({ number: 'D001', windowId: 'B06' });
    await a.idle();
    expect(x).toMatchObject({ state: 'done', repeat: 3, audio: true, durationMs: 1500 });
  });
});
