/**
 * The Electron binary cannot be downloaded here, so the bundles are checked two ways:
 * by reading them (the preload may require nothing but 'electron'), and by running
 * main.js under Node against a stand-in 'electron' module that records what main asks
 * of it and plays the part of the window, the session and the renderer.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../../..');
mkdirSync(join(ROOT, 'dist'), { recursive: true });
// Inside the checkout so the bundle resolves the project's node_modules as dist/electron would.
const out = mkdtempSync(join(ROOT, 'dist', 'electron-test-'));
const scratch = mkdtempSync(join(tmpdir(), 'xiaojin-electron-'));

beforeAll(async () => {
  await run(process.execPath, [join(ROOT, 'scripts/build-electron.mjs'), '--out', out, '--skip-renderer'], { cwd: ROOT, timeout: 60_000 });
}, 60_000);

afterAll(() => {
  rmSync(out, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

/** Every module a bundle loads, whether by require() or by import. */
function loads(code: string): string[] {
  const found = new Set<string>();
  for (const m of code.matchAll(/\brequire\d*\(\s*["']([^"']+)["']\s*\)/g)) found.add(m[1]);
  for (const m of code.matchAll(/\)\(\s*["']([^"']+)["']\s*\)/g)) found.add(m[1]);
  for (const m of code.matchAll(/^\s*import\s[^;]*?from\s*["']([^"']+)["']/gm)) found.add(m[1]);
  for (const m of code.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)) found.add(m[1]);
  return [...found].sort();
}

describe('Electron bundles', () => {
  it('writes main.js and a CommonJS preload.cjs', () => {
    expect(existsSync(join(out, 'main.js'))).toBe(true);
    expect(existsSync(join(out, 'preload.cjs'))).toBe(true);
  });

  it('preload.cjs loads nothing but electron, as a sandboxed preload must', () => {
    const code = readFileSync(join(out, 'preload.cjs'), 'utf8');
    expect(loads(code)).toEqual(['electron']);
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    expect(code).toContain('exposeInMainWorld("xiaojin"');
    // The page must never be handed ipcRenderer itself.
    expect(code).not.toMatch(/exposeInMainWorld\(\s*"[^"]*"\s*,\s*(ipcRenderer|\{[^}]*ipcRenderer)/);
    expect(code.match(/exposeInMainWorld\(/g)).toHaveLength(1);
  });

  it('main.js loads electron and leaves npm packages to node_modules', () => {
    const code = readFileSync(join(out, 'main.js'), 'utf8');
    const mods = loads(code);
    expect(mods).toContain('electron');
    expect(mods).toContain('zod');
    expect(mods.filter((m) => m.startsWith('.'))).toEqual([]);
    expect(code).toMatch(/createRequire\d*\(import\.meta\.url\)\("electron"\)/);
  });
});

const FAKE_ELECTRON = `module.exports = globalThis.__xiaojinFakeElectron;\n`;

const DRIVER = String.raw`
import { EventEmitter } from 'node:events';
import { pathToFileURL } from 'node:url';

const records = [];
const ipc = new Map();
const protocols = new Map();
const windows = [];
const hooks = {};
let loaded;
const firstLoad = new Promise((r) => (loaded = r));

const defaultSession = {
  protocol: { handle: (scheme, handler) => protocols.set(scheme, handler) },
  webRequest: { onBeforeRequest: (l) => (hooks.beforeRequest = l) },
  setPermissionRequestHandler: (h) => (hooks.permissionRequest = h),
  setPermissionCheckHandler: (h) => (hooks.permissionCheck = h),
  setDevicePermissionHandler: (h) => (hooks.devicePermission = h),
  clearStorageData: async () => void records.push('clearStorageData'),
  clearCache: async () => {},
};

class WebContents extends EventEmitter {
  id = 1;
  session = defaultSession;
  mainFrame = { url: '', origin: 'xiaojin://app', parent: null };
  sent = [];
  loads = [];
  send(...args) { this.sent.push(args); }
  async loadURL(url) { this.loads.push(url); this.mainFrame.url = url; loaded(); }
  getURL() { return this.mainFrame.url; }
  isDestroyed() { return false; }
  isCrashed() { return false; }
  forcefullyCrashRenderer() { records.push('crashRenderer'); }
  setWindowOpenHandler(h) { this.openHandler = h; }
}

const app = new EventEmitter();
Object.assign(app, {
  isPackaged: false,
  requestSingleInstanceLock: () => true,
  whenReady: async () => {},
  quit() {
    const event = { prevented: false, preventDefault() { this.prevented = true; } };
    app.emit('before-quit', event);
    if (!event.prevented) { records.push('quit'); console.log('RECORDS ' + JSON.stringify(records)); process.exit(0); }
  },
  exit(code) { console.log('EXIT ' + code); process.exit(code); },
});

globalThis.__xiaojinFakeElectron = {
  app,
  BrowserWindow: class extends EventEmitter {
    constructor(options) {
      super();
      this.options = options;
      this.webContents = new WebContents();
      windows.push(this);
      app.emit('web-contents-created', {}, this.webContents);
    }
    show() {} focus() {} restore() {}
    isMinimized() { return false; }
    isDestroyed() { return false; }
  },
  Menu: { setApplicationMenu: (m) => records.push('menu:' + m) },
  ipcMain: { handle: (channel, fn) => ipc.set(channel, fn) },
  protocol: { registerSchemesAsPrivileged: (s) => (hooks.schemes = s) },
  session: { defaultSession },
};

await import(pathToFileURL(process.env.MAIN_JS).href);
await firstLoad;
const win = windows[0];
const wc = win.webContents;
const r = { options: win.options, firstLoad: wc.loads[0], schemes: hooks.schemes, ipcChannels: [...ipc.keys()] };

const page = await protocols.get('xiaojin')({ url: 'xiaojin://app/kiosk/index.html', method: 'GET' });
r.page = { status: page.status, csp: page.headers.get('content-security-policy'), body: await page.text() };

const call = ipc.get('xiaojin:call');
const from = (url, { parent = null, id = 1 } = {}) => ({ sender: { id }, senderFrame: url === null ? null : { url, origin: '', parent } });
const home = 'xiaojin://app/kiosk/index.html';
r.info = await call(from(home), 'kiosk.info', {});
r.evil = await call(from('https://evil.example/'), 'kiosk.info', {});
r.frame = await call(from(home, { parent: {} }), 'kiosk.info', {});
r.otherContents = await call(from(home, { id: 2 }), 'kiosk.info', {});
r.unknown = await call(from(home), 'kiosk.selfDestruct', {});
r.bad = await call(from(home), 'kiosk.speak', { text: '' });

const nav = (name, url) => { const e = { url, prevented: false, preventDefault() { this.prevented = true; } }; wc.emit(name, e, url); return e.prevented; };
r.navigation = { away: nav('will-navigate', 'https://evil.example/'), home: nav('will-navigate', home), redirect: nav('will-redirect', 'http://127.0.0.1/') };
r.windowOpen = wc.openHandler({ url: 'https://evil.example/' });
r.webview = (() => { const e = { prevented: false, preventDefault() { this.prevented = true; } }; wc.emit('will-attach-webview', e); return e.prevented; })();
r.permissions = {};
hooks.permissionRequest(wc, 'media', (g) => (r.permissions.mic = g), { requestingUrl: home, mediaTypes: ['audio'], isMainFrame: true });
hooks.permissionRequest(wc, 'geolocation', (g) => (r.permissions.geo = g), { requestingUrl: home, isMainFrame: true });
r.permissions.check = hooks.permissionCheck(wc, 'media', 'xiaojin://app', { mediaType: 'video' });
r.permissions.device = hooks.devicePermission?.();
hooks.beforeRequest({ url: 'https://tracker.example/x.js' }, (res) => (r.remoteCancelled = res.cancel));
hooks.beforeRequest({ url: 'xiaojin://app/assets/x.js' }, (res) => (r.appCancelled = res.cancel));

const loadsBefore = wc.loads.length;
wc.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
for (let i = 0; i < 100 && wc.loads.length === loadsBefore; i++) await new Promise((res) => setTimeout(res, 50));
r.afterCrash = { reloadedTo: wc.loads.at(-1), reloads: wc.loads.length - loadsBefore, reset: wc.sent.find(([ch, name]) => ch === 'xiaojin:event' && name === 'kiosk.reset') ?? null };
r.records = records;
console.log('RESULT ' + JSON.stringify(r));
app.quit();
`;

describe('main.js against a stand-in Electron', () => {
  it('opens the kiosk locked down, guards IPC, and recovers a crashed page', async () => {
    // Beside the bundle, so main.js finds it before the project's own electron package.
    const fake = join(out, 'node_modules');
    mkdirSync(join(fake, 'electron'), { recursive: true });
    writeFileSync(join(fake, 'electron', 'index.js'), FAKE_ELECTRON);
    const renderer = join(scratch, 'renderer');
    mkdirSync(join(renderer, 'kiosk'), { recursive: true });
    writeFileSync(join(renderer, 'kiosk', 'index.html'), '<!doctype html><title>小今 自助服务</title>');
    const driver = join(scratch, 'driver.mjs');
    writeFileSync(driver, DRIVER);

    const { stdout } = await run(process.execPath, [driver, '--kiosk', 'kiosk-1', '--data', join(scratch, 'data'), '--renderer', renderer, '--config', join(ROOT, 'config/default')], {
      cwd: scratch,
      timeout: 60_000,
      maxBuffer: 16 << 20,
      env: { ...process.env, MAIN_JS: join(out, 'main.js'), XIAOJIN_LOG: 'warn', XIAOJIN_WINDOWED: '', XIAOJIN_KIOSK: '' },
    });
    const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
    expect(line, stdout.slice(-2000)).toBeDefined();
    const r = JSON.parse(line!.slice('RESULT '.length));

    expect(r.schemes).toEqual([{ scheme: 'xiaojin', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
    expect(r.options).toMatchObject({ kiosk: true, fullscreen: true });
    expect(r.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, devTools: false, webviewTag: false });
    expect(r.options.webPreferences.preload).toBe(join(out, 'preload.cjs'));
    expect(r.firstLoad).toBe('xiaojin://app/kiosk/index.html');
    expect(r.ipcChannels).toEqual(['xiaojin:call']);
    expect(r.page.status).toBe(200);
    expect(r.page.body).toContain('小今');
    expect(r.page.csp).toContain("script-src 'self'");
    expect(r.page.csp).not.toContain('unsafe-eval');

    expect(r.info).toMatchObject({ ok: true, value: { kioskId: 'kiosk-1', kind: 'kiosk' } });
    expect(r.info.value.hallName).toMatch(/[\u4e00-\u9fff]/);
    for (const refused of [r.evil, r.frame, r.otherContents]) expect(refused).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(r.unknown).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    expect(r.bad).toMatchObject({ ok: false, error: { code: 'bad-input' } });

    expect(r.navigation).toEqual({ away: true, home: false, redirect: true });
    expect(r.windowOpen).toEqual({ action: 'deny' });
    expect(r.webview).toBe(true);
    expect(r.permissions).toEqual({ mic: false, geo: false, check: false, device: false });
    expect(r.remoteCancelled).toBe(true);
    expect(r.appCancelled).toBe(false);

    expect(r.afterCrash.reloadedTo).toBe('xiaojin://app/kiosk/index.html');
    expect(r.afterCrash.reloads).toBe(1);
    expect(r.afterCrash.reset).toEqual(['xiaojin:event', 'kiosk.reset', { reason: 'renderer crashed (exit 139)' }]);
    expect(r.records).toContain('clearStorageData');
    expect(r.records).toContain('menu:null');

    // Quitting closes the services first, then quits for real.
    const tail = stdout.split('\n').find((l) => l.startsWith('RECORDS '));
    expect(tail, stdout.slice(-2000)).toBeDefined();
    expect(JSON.parse(tail!.slice('RECORDS '.length))).toContain('quit');
  }, 90_000);
});
