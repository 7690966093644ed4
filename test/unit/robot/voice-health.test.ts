import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeviceHealthSchema } from '../../../protocol/sync.ts';
import { voiceDevices, voiceHealth, type VoiceStageHealth } from '../../../models/voice/health.ts';
import { fetchModel } from '../../../models/voice/models.ts';
import { STT_MODEL } from '../../../models/voice/vosk.ts';
import { KWS, MIRROR } from '../../integration/voice/mirror.ts';

const fresh = () => mkdtempSync(join(tmpdir(), 'xj-vh-'));
const noTts = () => ({ engine: null, reason: 'no speech engine: espeak-ng is not installed' });
const byStage = (h: VoiceStageHealth[]) => Object.fromEntries(h.map((s) => [s.stage, s]));

/** A vosk model folder with the files the manifest requires (its archive sum is checked at fetch, not here). */
function voskFolder(dir: string): void {
  mkdirSync(join(dir, STT_MODEL, 'am'), { recursive: true });
  mkdirSync(join(dir, STT_MODEL, 'conf'), { recursive: true });
  writeFileSync(join(dir, STT_MODEL, 'am/final.mdl'), 'x');
  writeFileSync(join(dir, STT_MODEL, 'conf/model.conf'), '');
}

describe('voice health', () => {
  it('on an empty models folder: VAD from its npm package, spotter and recognition not installed, each with the reason', async () => {
    const h = byStage(await voiceHealth({ dir: fresh() }));
    expect(h.vad).toEqual({ stage: 'vad', state: 'ok', engine: 'silero-vad-v5' });
    expect(h.kws).toMatchObject({ state: 'absent', engine: KWS });
    expect(h.kws.reason).toMatch(/is not installed in .*xiaojin models fetch kws-zipformer/);
    expect(h.stt).toMatchObject({ state: 'absent', engine: STT_MODEL });
    expect(h.stt.reason).toMatch(/vosk-model-small-cn-0\.22 is not installed.*free questions need recognition, touch and command words work without it$/);
    // espeak-ng is installed on the build machines.
    expect(h.tts).toEqual({ stage: 'tts', state: 'ok', engine: 'EspeakEngine' });
  });

  it('with the spotter and a recognition model installed, and no speech engine', async () => {
    const dir = fresh();
    await fetchModel(KWS, { from: MIRROR, dir });
    voskFolder(dir);
    const h = byStage(await voiceHealth({ dir, tts: noTts }));
    expect(h.kws).toEqual({ stage: 'kws', state: 'ok', engine: KWS });
    expect(h.stt).toEqual({ stage: 'stt', state: 'ok', engine: STT_MODEL });
    expect(h.tts).toEqual({ stage: 'tts', state: 'absent', engine: 'none', reason: 'no speech engine: espeak-ng is not installed' });
  });

  it('calls a truncated model and a recognition model without its files faulty', async () => {
    const dir = fresh();
    mkdirSync(join(dir, 'silero-vad-v5'));
    writeFileSync(join(dir, 'silero-vad-v5', 'silero_vad_v5.onnx'), Buffer.alloc(1000));
    mkdirSync(join(dir, STT_MODEL));
    const h = byStage(await voiceHealth({ dir }));
    expect(h.vad.state).toBe('faulty');
    expect(h.vad.reason).toMatch(/silero_vad_v5\.onnx is 1000 bytes, the manifest says 2327524 \(truncated\)/);
    expect(h.stt.state).toBe('faulty');
    expect(h.stt.reason).toMatch(/am\/final\.mdl is missing/);
  });

  it('says when libvosk is missing or is not a library although the model is there', async () => {
    const dir = fresh();
    voskFolder(dir);
    const missing = byStage(await voiceHealth({ dir, voskLibrary: join(fresh(), 'libvosk.so') }));
    expect(missing.stt.state).toBe('absent');
    expect(missing.stt.reason).toMatch(/^libvosk is missing/);
    const junk = join(fresh(), 'libvosk.so');
    writeFileSync(junk, 'not a library');
    const broken = byStage(await voiceHealth({ dir, voskLibrary: junk }));
    expect(broken.stt.state).toBe('faulty');
    expect(broken.stt.reason).toMatch(/^libvosk at .* does not load/);
  });

  it('gives device-health entries of kind voice that the platform accepts', async () => {
    const since = new Date().toISOString();
    const devices = voiceDevices(await voiceHealth({ dir: fresh(), tts: noTts }), since);
    expect(devices.map((d) => [d.id, d.kind, d.state])).toEqual([
      ['voice-vad', 'voice', 'ok'],
      ['voice-kws', 'voice', 'absent'],
      ['voice-stt', 'voice', 'absent'],
      ['voice-tts', 'voice', 'absent'],
    ]);
    for (const d of devices) expect(DeviceHealthSchema.parse(d)).toEqual(d);
    expect(devices[0]).not.toHaveProperty('detail');
  });
});
