/**
 * The kiosk shell in process, given its own implementation of the Electron interface the
 * production code declares (electron/shell/electron-api.ts): the type checker holds it to
 * that interface, and the shell cannot tell it from Electron except by what it records.
 */
import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type {
  BrowserWindow,
  BrowserWindowOptions,
  ElectronEvent,
  ElectronMain,
  IpcMainInvokeEvent,
  OnBeforeRequestDetails,
  PermissionRequestDetails,
  Session,
  WebContents,
  WebFrameMain,
} from '../../../electron/shell/electron-api.ts';
import { runKioskShell } from '../../../electron/shell/kiosk-shell.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const HOME = 'xiaojin://app/kiosk/index.html';

/** An event the shell may cancel, remembering whether it did. */
function cancellable<T extends object>(fields: T): T & ElectronEvent & { prevented: boolean } {
  return Object.assign(Object.create(null) as object, fields, {
    prevented: false,
    preventDefault() {
      this.prevented = true;
    },
  });
}

/** Electron's main-process API as the shell uses it: records what is asked and lets the test play the page. */
function testElectron() {
  const records: string[] = [];
  const ipc = new Map<string, (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown>();
  const protocols = new Map<string, (request: Request) => Response | Promise<Response>>();
  const windows: TestWindow[] = [];
  const hooks: {
    schemes?: { scheme: string; privileges: Record<string, boolean> }[];
    beforeRequest?: (details: OnBeforeRequestDetails, callback: (response: { cancel?: boolean }) => void) => void;
    permissionRequest?: (contents: WebContents, permission: string, callback: (granted: boolean) => void, details: PermissionRequestDetails) => void;
    permissionCheck?: (contents: WebContents | null, permission: string, origin: string, details: PermissionRequestDetails) => boolean;
    devicePermission?: () => boolean;
  } = {};

  const defaultSession: Session = {
    protocol: { handle: (scheme, handler) => void protocols.set(scheme, handler) },
    webRequest: { onBeforeRequest: (listener) => void (hooks.beforeRequest = listener) },
    setPermissionRequestHandler: (handler) => void (hooks.permissionRequest = handler),
    setPermissionCheckHandler: (handler) => void (hooks.permissionCheck = handler),
    setDevicePermissionHandler: (handler) => void (hooks.devicePermission = handler),
    clearStorageData: async () => void records.push('clearStorageData'),
    clearCache: async () => {},
  };

  class TestContents extends EventEmitter implements WebContents {
    readonly id = 1;
    readonly session = defaultSession;
    readonly mainFrame: WebFrameMain = { url: '', origin: 'xiaojin://app', parent: null };
    readonly sent: unknown[][] = [];
    readonly loads: string[] = [];
    openHandler: Parameters<WebContents['setWindowOpenHandler']>[0] | null = null;
    send(...args: unknown[]): void {
      this.sent.push(args);
    }
    async loadURL(url: string): Promise<void> {
      this.loads.push(url);
    }
    getURL(): string {
      return this.loads.at(-1) ?? '';
    }
    isDestroyed(): boolean {
      return false;
    }
    isCrashed(): boolean {
      return false;
    }
    forcefullyCrashRenderer(): void {
      records.push('crashRenderer');
    }
    setWindowOpenHandler(handler: Parameters<WebContents['setWindowOpenHandler']>[0]): void {
      this.openHandler = handler;
    }
  }

  class TestWindow extends EventEmitter implements BrowserWindow {
    readonly webContents = new TestContents();
    constructor(readonly options: BrowserWindowOptions) {
      super();
      windows.push(this);
      app.emit('web-contents-created', cancellable({}), this.webContents);
    }
    show(): void {}
    focus(): void {}
    restore(): void {}
    isMinimized(): boolean {
      return false;
    }
    isDestroyed(): boolean {
      return false;
    }
  }

  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    requestSingleInstanceLock: () => true,
    whenReady: async () => {},
    quit() {
      const event = cancellable({});
      app.emit('before-quit', event);
      if (!event.prevented) records.push('quit');
    },
    exit(code?: number) {
      records.push(`exit:${code}`);
    },
  });

  const api: ElectronMain = {
    app: app as EventEmitter & ElectronMain['app'],
    BrowserWindow: TestWindow,
    Menu: { setApplicationMenu: (menu) => void records.push(`menu:${menu}`) },
    ipcMain: { handle: (channel, listener) => void ipc.set(channel, listener), on: (channel, listener) => void ipc.set(channel, listener) },
    protocol: { registerSchemesAsPrivileged: (schemes) => void (hooks.schemes = schemes) },
    session: { defaultSession },
  };
  return { api, app, records, ipc, protocols, windows, hooks };
}

const dirs: string[] = [];
let quit: (() => Promise<void>) | null = null;

afterEach(async () => {
  await quit?.();
  quit = null;
  vi.unstubAllEnvs();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function openKiosk() {
  vi.stubEnv('XIAOJIN_LOG', 'silent');
  const scratch = mkdtempSync(join(tmpdir(), 'xiaojin-shell-'));
  dirs.push(scratch);
  const renderer = join(scratch, 'renderer');
  mkdirSync(join(renderer, 'kiosk'), { recursive: true });
  writeFileSync(join(renderer, 'kiosk', 'index.html'), '<!doctype html><title>小今 自助服务</title>');
  const here = join(scratch, 'dist', 'electron');
  const electron = testElectron();
  const argv = ['--kiosk', 'kiosk-1', '--data', join(scratch, 'data'), '--renderer', renderer, '--config', join(ROOT, 'config/default')];
  await runKioskShell(electron.api, { argv, env: {}, cwd: scratch, here });
  quit = async () => {
    electron.app.quit();
    // The shell holds the quit until its services have closed, then quits for real.
    await expect.poll(() => electron.records).toContain('quit');
  };
  const win = electron.windows[0];
  return { ...electron, here, win, wc: win.webContents };
}

/** An IPC call as a frame at `url` would send it. */
function from(url: string | null, { parent = null, id = 1 }: { parent?: WebFrameMain | null; id?: number } = {}): IpcMainInvokeEvent {
  return { sender: { id } as WebContents, senderFrame: url === null ? null : { url, origin: '', parent } };
}

describe('the Electron kiosk shell', () => {
  it('opens the kiosk locked down on its own scheme', async () => {
    const { hooks, win, wc, here, ipc, protocols, records } = await openKiosk();
    expect(hooks.schemes).toEqual([{ scheme: 'xiaojin', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
    expect(win.options).toMatchObject({ kiosk: true, fullscreen: true });
    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, devTools: false, webviewTag: false });
    // Calls and the robot's answers are spoken with nobody touching the screen first.
    expect(win.options.webPreferences.autoplayPolicy).toBe('no-user-gesture-required');
    expect(win.options.webPreferences.preload).toBe(join(here, 'preload.cjs'));
    expect(wc.loads).toEqual([HOME]);
    expect([...ipc.keys()]).toEqual(['xiaojin:call']);
    expect(records).toContain('menu:null');

    const page = await protocols.get('xiaojin')!(new Request(HOME));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('小今');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).not.toContain('unsafe-eval');
  });

  it('answers the kiosk page over IPC and refuses every other sender', async () => {
    const { ipc } = await openKiosk();
    const call = ipc.get('xiaojin:call')!;
    const info = (await call(from(HOME), 'kiosk.info', {})) as { ok: true; value: { hallName: string } };
    expect(info).toMatchObject({ ok: true, value: { kioskId: 'kiosk-1', kind: 'kiosk' } });
    expect(info.value.hallName).toMatch(/[\u4e00-\u9fff]/);
    for (const sender of [from('https://evil.example/'), from(HOME, { parent: from(HOME).senderFrame }), from(HOME, { id: 2 }), from(null)]) {
      expect(await call(sender, 'kiosk.info', {})).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    }
    expect(await call(from(HOME), 'kiosk.selfDestruct', {})).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    expect(await call(from(HOME), 'kiosk.speak', { text: '' })).toMatchObject({ ok: false, error: { code: 'bad-input' } });
  });

  it('keeps the page from leaving, opening windows, embedding, or asking for devices', async () => {
    const { wc, hooks } = await openKiosk();
    const navigate = (name: string, url: string) => {
      const event = cancellable({ url });
      wc.emit(name, event, url);
      return event.prevented;
    };
    expect(navigate('will-navigate', 'https://evil.example/')).toBe(true);
    expect(navigate('will-navigate', HOME)).toBe(false);
    expect(navigate('will-redirect', 'http://127.0.0.1/')).toBe(true);
    expect(wc.openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    const webview = cancellable({});
    wc.emit('will-attach-webview', webview);
    expect(webview.prevented).toBe(true);

    const granted: Record<string, boolean> = {};
    hooks.permissionRequest!(wc, 'media', (g) => (granted.mic = g), { requestingUrl: HOME, mediaTypes: ['audio'], isMainFrame: true });
    hooks.permissionRequest!(wc, 'geolocation', (g) => (granted.geo = g), { requestingUrl: HOME, isMainFrame: true });
    expect(granted).toEqual({ mic: false, geo: false });
    expect(hooks.permissionCheck!(wc, 'media', 'xiaojin://app', { mediaType: 'video' })).toBe(false);
    expect(hooks.devicePermission!()).toBe(false);

    const cancelled: Record<string, boolean | undefined> = {};
    hooks.beforeRequest!({ url: 'https://tracker.example/x.js' }, (res) => (cancelled.remote = res.cancel));
    hooks.beforeRequest!({ url: 'xiaojin://app/assets/x.js' }, (res) => (cancelled.app = res.cancel));
    expect(cancelled).toEqual({ remote: true, app: false });
  });

  it('sends a crashed page home with the citizen signed out and page storage wiped', async () => {
    const { wc, records } = await openKiosk();
    wc.emit('render-process-gone', cancellable({}), { reason: 'crashed', exitCode: 139 });
    expect(wc.sent).toContainEqual(['xiaojin:event', 'kiosk.reset', { reason: 'renderer crashed (exit 139)' }]);
    await expect.poll(() => wc.loads).toEqual([HOME, HOME]);
    expect(records).toContain('clearStorageData');
  });
});
