/**
 * renderer-hang against a terminal with its screen in Chromium (headless), kept alive
 * by the browser-kiosk launcher and the watchdog: the kiosk page's renderer is stopped
 * with SIGSTOP; the page stops beating, the watchdog opens it anew, and once the fault
 * is restored the page beats again. A short hang, restored before the watchdog acts,
 * ends with the same page beating again.
 */
import { describe, expect, it } from 'vitest';
import { rendererHang } from '../../../cli/soak/faults/renderer-hang.ts';
import { pageRenderer, screenState } from '../../../cli/soak/faults/screen.ts';
import { processState, screenTerminalPerTest } from '../../helpers/screen-terminal.ts';

const screenTerminal = screenTerminalPerTest();

describe('renderer-hang', () => {
  it('freezes the page until the watchdog opens it anew, and the page beats after restore', async () => {
    const { terminal, hall } = await screenTerminal({ silenceMs: 6000 });
    const fault = rendererHang({ terminal: 'kiosk-1' });
    const pid = pageRenderer(hall, 'kiosk-1');
    const before = (await screenState(hall, 'kiosk-1'))!;
    expect(before.alive).toBe(true);

    await fault.inject(hall);
    await expect.poll(() => processState(pid)).toBe('T');
    // Seen from outside: the terminal's health says its screen went quiet and it opened a new page.
    await expect.poll(async () => (await screenState(hall, 'kiosk-1'))!.pages, { timeout: 30_000 }).toBeGreaterThan(before.pages);
    // The launcher brings the page back while the old renderer is still stopped.
    await expect.poll(() => terminal.screen.recoveries.hang, { timeout: 30_000 }).toBe(1);
    await expect.poll(async () => (await screenState(hall, 'kiosk-1'))!.alive, { timeout: 30_000 }).toBe(true);
    // The browser has let go of the frozen renderer's tab but cannot end a stopped process.
    expect(processState(pid)).toBe('T');

    await fault.restore(hall);
    await expect.poll(() => fault.recovered(hall), { timeout: 30_000 }).toBe(true);
    // The new page is not the frozen one, and the frozen one, let run, goes away.
    expect(pageRenderer(hall, 'kiosk-1')).not.toBe(pid);
    await expect.poll(() => processState(pid), { timeout: 20_000 }).toBe(null);
  });

  it('a hang restored before the watchdog acts ends with the same page beating', async () => {
    const { terminal, hall } = await screenTerminal({ silenceMs: 60_000 });
    const fault = rendererHang({ terminal: 'kiosk-1', holdMs: 1000 });
    const before = (await screenState(hall, 'kiosk-1'))!;
    await fault.inject(hall);
    const pid = hall.notes[0].detail!.pid as number;
    await expect.poll(() => processState(pid)).toBe('T');
    expect(await fault.recovered(hall)).toBe(false);
    await fault.restore(hall);
    await expect.poll(() => processState(pid)).not.toBe('T');
    await expect.poll(() => fault.recovered(hall), { timeout: 20_000 }).toBe(true);
    expect((await screenState(hall, 'kiosk-1'))!.pages).toBe(before.pages);
    expect(terminal.screen.recoveries.hang).toBe(0);
  });
});
