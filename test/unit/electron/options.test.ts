import { describe, expect, it } from 'vitest';
import { isLoopbackUrl, parseShellOptions, screenFor } from '../../../electron/shell/options.ts';
import { RecoveryPolicy } from '../../../electron/shell/recovery.ts';

const defaults = { rendererDir: '/opt/xiaojin/dist/renderer', cwd: '/srv/hall' };

describe('shell options', () => {
  it('defaults to kiosk-1 in kiosk mode with its data under data/<id>', () => {
    const o = parseShellOptions([], {}, defaults);
    expect(o).toMatchObject({ kioskId: 'kiosk-1', screen: null, windowed: false, devTools: false, dataDir: '/srv/hall/data/kiosk-1', configDir: undefined });
    expect(o.rendererDir).toBe('/opt/xiaojin/dist/renderer');
  });

  it('an installed kiosk keeps its data in its per-user folder, not wherever it was launched from', () => {
    const installed = { ...defaults, cwd: '/', dataRoot: '/home/kiosk/.config/Xiaojin' };
    expect(parseShellOptions([], {}, installed).dataDir).toBe('/home/kiosk/.config/Xiaojin/data/kiosk-1');
    expect(parseShellOptions([], { XIAOJIN_DATA: '/var/lib/xiaojin' }, installed).dataDir).toBe('/var/lib/xiaojin/kiosk-1');
  });

  it('takes flags over environment, and ignores switches Chromium adds', () => {
    const o = parseShellOptions(
      ['--kiosk', 'robot-1', '--no-sandbox', '--enable-logging', 'dist/electron/main.js', '--config=conf', '--data', '/var/lib/xiaojin'],
      { XIAOJIN_KIOSK: 'kiosk-9', XIAOJIN_CONFIG: '/etc/other', XIAOJIN_CENTRAL_URL: 'http://10.0.0.2:4800' },
      defaults,
    );
    expect(o).toMatchObject({ kioskId: 'robot-1', configDir: '/srv/hall/conf', dataDir: '/var/lib/xiaojin/robot-1', centralUrl: 'http://10.0.0.2:4800' });
  });

  it('grants developer tools only to a windowed technician session', () => {
    expect(parseShellOptions(['--devtools'], {}, defaults).devTools).toBe(false);
    expect(parseShellOptions(['--windowed', '--devtools'], {}, defaults)).toMatchObject({ windowed: true, devTools: true });
    expect(parseShellOptions([], { XIAOJIN_WINDOWED: '1', XIAOJIN_DEVTOOLS: 'yes' }, defaults)).toMatchObject({ windowed: true, devTools: true });
    expect(parseShellOptions([], { XIAOJIN_WINDOWED: '0' }, defaults).windowed).toBe(false);
  });

  it('refuses ids and URLs that would point the kiosk somewhere strange', () => {
    expect(() => parseShellOptions(['--kiosk', '../../etc'], {}, defaults)).toThrow(/kiosk id/);
    expect(() => parseShellOptions(['--screen', 'console'], {}, defaults)).toThrow(/kiosk or robot/);
    expect(() => parseShellOptions(['--central', 'file:///etc/passwd'], {}, defaults)).toThrow(/http/);
  });

  it('shows the robot screen on a robot unless told otherwise', () => {
    expect(screenFor('robot', null)).toBe('robot');
    expect(screenFor('teller', null)).toBe('kiosk');
    expect(screenFor('robot', 'kiosk')).toBe('kiosk');
  });

  it('enrols over loopback only when the platform is on this machine', () => {
    expect(isLoopbackUrl('http://127.0.0.1:4800')).toBe(true);
    expect(isLoopbackUrl('http://localhost:4800')).toBe(true);
    expect(isLoopbackUrl('http://10.0.0.2:4800')).toBe(false);
    expect(isLoopbackUrl(undefined)).toBe(false);
  });
});

describe('recovery policy', () => {
  it('reloads at once for the first failures, then backs off up to a ceiling', () => {
    const p = new RecoveryPolicy({ burst: 2, baseDelayMs: 1000, maxDelayMs: 5000, windowMs: 60_000 });
    const delays = [0, 1, 2, 3, 4, 5].map((i) => p.failure(i * 1000));
    expect(delays).toEqual([0, 0, 1000, 2000, 4000, 5000]);
  });

  it('forgets failures older than the window', () => {
    const p = new RecoveryPolicy({ burst: 1, windowMs: 10_000 });
    expect(p.failure(0)).toBe(0);
    expect(p.failure(1000)).toBeGreaterThan(0);
    expect(p.failure(30_000)).toBe(0);
  });

  it('treats a clean renderer exit as no crash', () => {
    expect(RecoveryPolicy.isCrash('clean-exit')).toBe(false);
    expect(RecoveryPolicy.isCrash('crashed')).toBe(true);
    expect(RecoveryPolicy.isCrash('oom')).toBe(true);
  });
});
