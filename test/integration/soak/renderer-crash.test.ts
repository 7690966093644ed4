/**
 * renderer-crash against a terminal with its screen in Chromium (headless): the kiosk
 * page's renderer is killed with SIGKILL; the browser-kiosk launcher hears the crash and
 * opens the page again, and the terminal's health shows a new page beating.
 */
import { describe, expect, it } from 'vitest';
import { rendererCrash } from '../../../cli/soak/faults/renderer-crash.ts';
import { pageRenderer, screenState } from '../../../cli/soak/faults/screen.ts';
import { processState, screenTerminalPerTest } from '../../helpers/screen-terminal.ts';

const screenTerminal = screenTerminalPerTest();

describe('renderer-crash', () => {
  it('kills the page\'s renderer and the launcher brings a beating page back', async () => {
    const { terminal, hall } = await screenTerminal({ silenceMs: 60_000 });
    const fault = rendererCrash({ terminal: 'kiosk-1' });
    const pid = pageRenderer(hall, 'kiosk-1');
    const before = (await screenState(hall, 'kiosk-1'))!;
    expect(await fault.recovered(hall)).toBe(false);

    await fault.inject(hall);
    await expect.poll(() => processState(pid)).toBe(null);
    // The launcher counted a crash, not a hang: the page was brought back for the right cause.
    await expect.poll(() => terminal.screen.recoveries.crash, { timeout: 30_000 }).toBe(1);
    await fault.restore(hall);
    await expect.poll(() => fault.recovered(hall), { timeout: 30_000 }).toBe(true);
    expect((await screenState(hall, 'kiosk-1'))!.pages).toBe(before.pages + 1);
    expect(terminal.screen.recoveries.hang).toBe(0);
    expect(pageRenderer(hall, 'kiosk-1')).not.toBe(pid);
  });
});
