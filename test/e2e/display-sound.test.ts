/**
 * The call display's sound in Debian Chromium, launched the way the kiosk launcher
 * launches it (--autoplay-policy=no-user-gesture-required) and the way a plain browser
 * is: with the flag the first call is voiced with nobody touching the screen; without it
 * the board says sound is blocked, and one tap on its button brings the voice back.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import { startServer, type RunningServer } from '../../server/app.ts';
import { queueOf } from '../../server/queue/index.ts';
import { BROWSER_KIOSK_FLAGS } from '../../electron/host/browser-kiosk.ts';
import { artifactDir, launchChromium, type LaunchedBrowser } from './browser.ts';
import { ADMIN, removeTempDirs, tempDir } from '../integration/server/helpers.ts';

const STATIC = resolve(import.meta.dirname, '../../dist/renderer');
const AUTOPLAY = '--autoplay-policy=no-user-gesture-required';
let server: RunningServer;
let browser: LaunchedBrowser | undefined;
const shots = artifactDir('display');

beforeEach(async () => {
  server = await startServer({ port: 0, dataDir: tempDir(), logLevel: 'silent', seedAdmin: ADMIN, staticDir: STATIC });
});

afterEach(async () => {
  await browser?.close();
  browser = undefined;
  await server?.close();
  removeTempDirs();
});

async function openBoard(args: string[]) {
  browser = await launchChromium(undefined, args);
  const page = await browser.browser.newPage();
  await page.goto(`${server.url}/display/`);
  await page.getByTestId('display').waitFor();
  // The board checks its sound as it opens; wait for the verdict before calling anyone.
  await expect.poll(() => page.getByTestId('display').getAttribute('data-sound')).not.toBe('checking');
  return page;
}

const call = (number: string) => queueOf(server.ctx)!.announcer.announce({ number, windowId: 'B02' });

describe('call display sound', () => {
  it('the kiosk launcher starts Chromium with the autoplay policy a display needs', () => {
    expect(BROWSER_KIOSK_FLAGS).toContain(AUTOPLAY);
  });

  it('announces from the start when Chromium runs with the launcher’s autoplay policy', async () => {
    const page = await openBoard([AUTOPLAY]);
    expect(await page.getByTestId('display').getAttribute('data-sound')).toBe('allowed');
    call('A001');
    await expect.poll(() => page.getByTestId('display').getAttribute('data-voiced')).toBe('1');
    expect(await page.getByTestId('sound-blocked').count()).toBe(0);
    await page.screenshot({ path: join(shots, 'sound-allowed.png') });
  });

  it('says visibly that sound is blocked in a browser without it, and a tap turns it on', async () => {
    const page = await openBoard([]);
    const notice = page.getByTestId('sound-blocked');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('浏览器阻止了声音，叫号不会播报。');
    await page.screenshot({ path: join(shots, 'sound-blocked.png') });
    await notice.getByRole('button', { name: '开启声音' }).click();
    await notice.waitFor({ state: 'detached' });
    call('A002');
    await expect.poll(() => page.getByTestId('display').getAttribute('data-voiced')).toBe('1');
  });
});
