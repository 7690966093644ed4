/**
 * The robot's voice when something is wrong, end to end in Chromium against a real hall:
 * a refused microphone, a truncated wake-word model, a model file whose checksum no longer
 * matches (and `xiaojin models fetch` refusing such a file), and a missing libvosk. Each
 * puts a plain message on the robot's screen, and the robot still answers by touch.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startHall, type RunningHall } from '../../cli/hall.ts';
import { createLogger } from '../../electron/services/log.ts';
import { fetchModel } from '../../models/voice/models.ts';
import { KWS, MIRROR } from '../integration/voice/mirror.ts';
import { artifactDir, launchChromium, PORTRAIT, type LaunchedBrowser } from './browser.ts';

const BIN = resolve(import.meta.dirname, '../../bin/xiaojin.mjs');
const ENCODER = 'encoder-epoch-12-avg-2-chunk-16-left-64.int8.onnx';
const shots = artifactDir('voice-failures');
const run = promisify(execFile);
const saved = { models: process.env.XIAOJIN_MODELS, vosk: process.env.XIAOJIN_VOSK_LIBRARY };
const open: { hall?: RunningHall; chromium?: LaunchedBrowser; dir?: string } = {};

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

afterEach(async () => {
  await open.chromium?.close();
  await open.hall?.close();
  if (open.dir) rmSync(open.dir, { recursive: true, force: true });
  Object.assign(open, { hall: undefined, chromium: undefined, dir: undefined });
  restore('XIAOJIN_MODELS', saved.models);
  restore('XIAOJIN_VOSK_LIBRARY', saved.vosk);
});

/** A hall whose models folder `prepare` arranges first, and the robot screen in Chromium with a fake microphone unless told otherwise. */
async function robotScreen(prepare: (models: string) => Promise<void> | void, chromiumFlags = ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream']): Promise<Page> {
  open.dir = mkdtempSync(join(tmpdir(), 'xiaojin-voice-fail-'));
  const models = join(open.dir, 'models');
  process.env.XIAOJIN_MODELS = models;
  await prepare(models);
  open.hall = await startHall({ dataDir: open.dir, ports: { central: 0, kiosk: 0, robot: 0 }, log: createLogger('e2e-voice-fail', 'silent') });
  open.chromium = await launchChromium(PORTRAIT, chromiumFlags);
  const page = await open.chromium.browser.newPage();
  await page.goto(open.hall.urls.robot);
  return page;
}

/** The robot still works by touch: touch-to-talk listens (when the pipeline runs), a suggested question gets its answer card. */
async function answersByTouch(page: Page, talk = false): Promise<void> {
  if (talk) {
    await page.getByTestId('talk').click();
    await expect.poll(() => page.getByTestId('voice').getAttribute('data-state')).toBe('listening');
  }
  await page.getByTestId('suggestion').first().click();
  await page.getByTestId('answer').waitFor({ timeout: 30_000 });
  expect((await page.getByTestId('answer').textContent())?.length).toBeGreaterThan(4);
}

describe('robot voice failures', () => {
  it('a refused microphone: the screen says so and what to do instead; touch-to-talk and questions by touch still work', async () => {
    // Without --use-fake-ui-for-media-stream nobody answers Chromium's permission prompt, which headless Chromium counts as a refusal.
    const page = await robotScreen((models) => fetchModel(KWS, { from: MIRROR, dir: models }).then(() => {}), ['--use-fake-device-for-media-stream']);
    await expect.poll(() => page.getByTestId('voice').getAttribute('data-mic'), { timeout: 30_000 }).toBe('denied');
    await expect.poll(() => page.getByTestId('mic-problem').textContent()).toContain('麦克风没有被允许');
    await page.screenshot({ path: join(shots, '01-microphone-refused.png') });
    await answersByTouch(page, true);
  });

  it('a truncated wake-word model: the screen says calling 小今小今 does nothing for now; touch-to-talk and touch still work', async () => {
    const page = await robotScreen(async (models) => {
      await fetchModel(KWS, { from: MIRROR, dir: models });
      const encoder = join(models, KWS, ENCODER);
      truncateSync(encoder, Math.floor(statSync(encoder).size / 2));
    });
    await expect.poll(() => page.getByTestId('voice-notice').getAttribute('data-notice'), { timeout: 30_000 }).toBe('wake-damaged');
    expect(await page.getByTestId('voice-notice').textContent()).toContain('唤醒词模型损坏');
    const status = await open.hall!.robot.router.dispatch('voice.status', {});
    expect(status.ok && (status.value as { missing: { wake?: string } }).missing.wake).toMatch(/truncated/);
    await page.screenshot({ path: join(shots, '02-wake-model-truncated.png') });
    await answersByTouch(page, true);
  });

  it('a wrong checksum: `xiaojin models fetch` refuses the file and keeps what was installed; an installed file altered in place is reported damaged on the screen', async () => {
    const page = await robotScreen(async (models) => {
      await fetchModel(KWS, { from: MIRROR, dir: models });
      // A mirror whose tokens.txt has the right size but another byte.
      const mirror = join(open.dir!, 'bad-mirror');
      cpSync(join(MIRROR, KWS), join(mirror, KWS), { recursive: true });
      const tokens = join(mirror, KWS, 'tokens.txt');
      const bytes = readFileSync(tokens);
      bytes[bytes.length - 2] ^= 1;
      writeFileSync(tokens, bytes);
      const refused = await run(process.execPath, [BIN, 'models', 'fetch', KWS, '--from', mirror], { env: { ...process.env, XIAOJIN_MODELS: models } }).then(
        () => null,
        (e: { code: number; stderr: string }) => e,
      );
      expect(refused?.code).toBe(1);
      expect(refused?.stderr).toMatch(/tokens\.txt has sha256 [0-9a-f]{64}, the manifest says [0-9a-f]{64}.*nothing was installed/);
      // The earlier installation is intact; now a byte of it changes on disk, as a failing card would do.
      const encoder = join(models, KWS, ENCODER);
      const model = readFileSync(encoder);
      model[1000] ^= 0xff;
      writeFileSync(encoder, model);
    });
    await expect.poll(() => page.getByTestId('voice-notice').getAttribute('data-notice'), { timeout: 30_000 }).toBe('wake-damaged');
    const status = await open.hall!.robot.router.dispatch('voice.status', {});
    expect(status.ok && (status.value as { missing: { wake?: string } }).missing.wake).toMatch(/sha256/);
    await page.screenshot({ path: join(shots, '03-wake-model-checksum.png') });
    await answersByTouch(page);
  });

  it('a missing libvosk: the screen says only command words are understood; the wake word and touch still work', async () => {
    process.env.XIAOJIN_VOSK_LIBRARY = '/nonexistent/libvosk.so';
    const page = await robotScreen((models) => fetchModel(KWS, { from: MIRROR, dir: models }).then(() => {}));
    await expect.poll(() => page.getByTestId('voice-notice').getAttribute('data-notice'), { timeout: 30_000 }).toBe('stt-library-missing');
    expect(await page.getByTestId('voice-notice').textContent()).toContain('语音识别程序库缺失');
    const status = await open.hall!.robot.router.dispatch('voice.status', {});
    expect(status.ok && (status.value as { stages: { wake: string | null } }).stages.wake).toBe('sherpa-onnx-kws');
    await expect.poll(() => page.getByTestId('voice').getAttribute('data-mic'), { timeout: 30_000 }).toBe('on');
    await page.screenshot({ path: join(shots, '04-vosk-library-missing.png') });
    await answersByTouch(page);
  });
});
