import { beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { ListenReport } from '../../../models/voice/listen.ts';
import { fetchModel } from '../../../models/voice/models.ts';
import { STT_MODEL } from '../../../models/voice/vosk.ts';
import { KWS, MIRROR } from './mirror.ts';
import { concat, msOf, silence, speak, wavFile } from './synth.ts';

const BIN = resolve(import.meta.dirname, '../../../bin/xiaojin.mjs');
const run = promisify(execFile);
const models = mkdtempSync(join(tmpdir(), 'xj-listen-'));
let clip: string;
let speechEndMs: number;

beforeAll(async () => {
  await fetchModel(KWS, { from: MIRROR, dir: models });
  const said = speak('小今小今，带我去');
  speechEndMs = msOf(silence(1000).length + said.length);
  clip = wavFile(concat(silence(1000), said, silence(1000)), 'wake-command.wav');
});

async function listen(wav: string, dir = models): Promise<{ code: number; out: string; err: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, 'robot', 'listen', '--wav', wav], { env: { ...process.env, XIAOJIN_MODELS: dir } });
    return { code: 0, out: stdout, err: stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, out: x.stdout, err: x.stderr };
  }
}

describe('xiaojin robot listen --wav', () => {
  it('hears the wake word and the command in "小今小今，带我去", each stage placed in the audio and timed', async () => {
    const { code, out } = await listen(clip);
    expect(code).toBe(0);
    const r = JSON.parse(out) as ListenReport;
    expect(r.heard).toMatchObject({ wake: '小今小今', commands: ['带我去'] });
    const wake = r.stages.find((s) => s.stage === 'wake')!;
    const cmd = r.stages.find((s) => s.stage === 'command')!;
    const vad = r.stages.find((s) => s.stage === 'vad')!;
    expect(wake.result).toEqual({ text: '小今小今' });
    expect(cmd.result).toEqual({ text: '带我去' });
    // The speech starts after the leading second of silence; each keyword is decided inside the audio, wake first.
    expect(vad.startMs).toBeGreaterThanOrEqual(900);
    expect(vad.endMs).toBeGreaterThan(wake.endMs);
    expect(wake.startMs).toBeGreaterThanOrEqual(vad.startMs);
    expect(wake.endMs).toBeGreaterThan(wake.startMs);
    expect(cmd.startMs).toBe(wake.endMs);
    expect(cmd.endMs).toBeGreaterThan(wake.endMs);
    expect(cmd.endMs).toBeLessThanOrEqual(speechEndMs + 1000);
    // Every stage reports its wall-clock cost; how much is for bench:voice, not a test.
    for (const s of r.stages) expect(Number.isFinite(s.wallMs) && s.wallMs >= 0, s.stage).toBe(true);
    expect(Object.keys(r.totals)).toEqual(expect.arrayContaining(['vad', 'kws']));
    expect(r.audioMs).toBeGreaterThan(speechEndMs);
    if (!existsSync(join(models, STT_MODEL))) expect(r.unavailable.stt).toMatch(/vosk-model-small-cn-0\.22 is not installed.*touch and command words work without it/);
  });

  it('still runs voice activity when the keyword model is missing, and says why the spotter did not', async () => {
    const { code, out } = await listen(clip, mkdtempSync(join(tmpdir(), 'xj-empty-')));
    expect(code).toBe(0);
    const r = JSON.parse(out) as ListenReport;
    expect(r.unavailable.kws).toMatch(/kws-zipformer-wenetspeech-3\.3M-mobile is not installed/);
    expect(r.heard).toEqual({ wake: null, commands: [], text: null });
    expect(r.stages.map((s) => s.stage)).toEqual(['vad']);
  });

  it('refuses a file that is not a WAV, naming it, and prints no report', async () => {
    const bad = join(mkdtempSync(join(tmpdir(), 'xj-bad-')), 'x.wav');
    writeFileSync(bad, 'RIFF junk');
    const { code, out, err } = await listen(bad);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toMatch(/xiaojin robot: .*x\.wav: not a WAV file/);
  });

  it('explains its usage when --wav is missing', async () => {
    const { code, err } = await listen('');
    expect(code).toBe(2);
    expect(err).toContain('robot listen needs --wav FILE');
  });
});
