/**
 * The Electron kiosk shell: the same kiosk services the browser host runs, with the screen
 * in a locked-down BrowserWindow instead of Chromium's kiosk mode. Electron comes in as an
 * argument typed by electron-api.ts, so main.ts hands it the real module and the tests
 * hand it their own implementation of that interface, in process, with nothing posing as
 * the `electron` package.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { BrowserWindow, ElectronMain, WebContents } from './electron-api.ts';
import { IPC } from '../../protocol/ui/ipc-wire.ts';
import { AUDIO_FRAME } from '../../protocol/ui/domains/voice.ts';
import { ConfigError } from '../../config/load.ts';
import { composeTerminal, type KioskServices } from '../services/kiosk-services.ts';
import { terminalParts } from '../services/modules.ts';
import { createLogger } from '../services/log.ts';
import { createIpcHandler, eventPayload } from './ipc-guard.ts';
import { serveAsset } from './app-protocol.ts';
import { APP_SCHEME, homeUrl, navigationAllowed, permissionAllowed, requestAllowed, type Screen } from './security.ts';
import { isLoopbackUrl, parseShellOptions, screenFor, type ShellOptions } from './options.ts';
import { RecoveryPolicy } from './recovery.ts';

/** Chromium error for a navigation we cancelled ourselves; not a failure to recover from. */
const ERR_ABORTED = -3;
/** Closing devices and flushing the outbox must not keep a kiosk from restarting forever. */
const SHUTDOWN_LIMIT_MS = 10_000;

/** What the shell needs of its process besides Electron. */
export interface ShellHost {
  /** The flags after the executable (and the app path when not packaged). */
  argv: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** dist/electron/, where the bundle and its preload live; the built pages are next door. */
  here: string;
}

/**
 * Opens the kiosk window with its services behind it and keeps it alive. Resolves once the
 * window shows the home page, or once a failed start has been reported and the app told to exit.
 */
export function runKioskShell(electron: ElectronMain, host: ShellHost): Promise<void> {
  const { app, BrowserWindow, Menu, ipcMain, protocol, session } = electron;
  const log: Logger = createLogger('electron');

  let options: ShellOptions;
  try {
    options = parseShellOptions(host.argv, host.env, { rendererDir: resolve(host.here, '../renderer'), cwd: host.cwd, dataRoot: app.isPackaged ? app.getPath('userData') : undefined });
  } catch (err) {
    console.error(`xiaojin electron: ${(err as Error).message}`);
    app.exit(2);
    throw err;
  }

  // Must happen before 'ready': the scheme gets a real origin, so 'self' in the CSP and
  // the IPC origin check mean the kiosk's own pages and nothing else.
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } }]);

  let services: KioskServices | null = null;
  let win: BrowserWindow | null = null;
  let quitting = false;
  let closed = false;

  function hardenContents(contents: WebContents, devTools: boolean): void {
    contents.on('will-navigate', (event, url) => {
      if (!navigationAllowed(event.url ?? url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!navigationAllowed(event.url ?? url)) event.preventDefault();
    });
    contents.on('will-frame-navigate', (event, url) => {
      if (!navigationAllowed(event.url ?? url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      // A technician's devtools may open their own windows; a citizen's link never does.
      if (devTools && url.startsWith('devtools:')) return { action: 'allow' };
      log.warn({ url: url.slice(0, 200) }, 'window.open refused');
      return { action: 'deny' };
    });
  }

  function hardenSession(screen: Screen, rendererDir: string, devTools: boolean): void {
    const ses = session.defaultSession;
    ses.protocol.handle(APP_SCHEME, (request) => serveAsset(rendererDir, request));
    ses.webRequest.onBeforeRequest((details, callback) => {
      const allowed = requestAllowed(details.url, devTools);
      if (!allowed) log.warn({ url: details.url.slice(0, 200) }, 'request blocked');
      callback({ cancel: !allowed });
    });
    ses.setPermissionRequestHandler((_contents, permission, callback, details) =>
      callback(permissionAllowed(screen, { permission, requestingUrl: details.requestingUrl, mediaTypes: details.mediaTypes, isMainFrame: details.isMainFrame })),
    );
    ses.setPermissionCheckHandler((_contents, permission, origin, details) =>
      permissionAllowed(screen, { permission, requestingUrl: origin, mediaTypes: details.mediaType ? [details.mediaType] : [], isMainFrame: details.isMainFrame }),
    );
    // WebHID, Web Serial and WebUSB would reach the same readers and printers the drivers own.
    ses.setDevicePermissionHandler?.(() => false);
  }

  function createWindow(screen: Screen, opts: ShellOptions): BrowserWindow {
    const kiosk = !opts.windowed;
    const window = new BrowserWindow({
      width: screen === 'robot' ? 1280 : 720,
      height: screen === 'robot' ? 800 : 1280,
      show: false,
      kiosk,
      fullscreen: kiosk,
      autoHideMenuBar: true,
      backgroundColor: '#ffffff',
      title: '小今',
      webPreferences: {
        preload: join(host.here, 'preload.cjs'),
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        navigateOnDragDrop: false,
        spellcheck: false,
        devTools: opts.devTools,
        // A kiosk behind a screensaver or the robot between visitors must keep its timers running.
        backgroundThrottling: false,
        // Called numbers and the robot's answers are spoken without anyone touching the screen first.
        autoplayPolicy: 'no-user-gesture-required',
      },
    });
    window.on('ready-to-show', () => window.show());
    return window;
  }

  /** Sends the page home with nothing left of the last citizen, backing off when it keeps failing. */
  function recoverer(window: BrowserWindow, screen: Screen, running: KioskServices) {
    const policy = new RecoveryPolicy();
    const contents = window.webContents;
    let hangTimer: NodeJS.Timeout | null = null;
    let pending: NodeJS.Timeout | null = null;

    const clearHang = () => {
      if (hangTimer) clearTimeout(hangTimer);
      hangTimer = null;
    };

    const sendHome = (reason: string) => {
      clearHang();
      if (quitting || pending) return;
      const delay = policy.failure(Date.now());
      log.warn({ reason, delayMs: delay }, 'kiosk page failed; reloading home');
      // The session module signs the citizen out on this event, whatever state the page was in.
      running.hub.emit('kiosk.reset', { reason });
      pending = setTimeout(() => {
        pending = null;
        if (quitting || window.isDestroyed()) return;
        void (async () => {
          // Page storage may hold the last citizen's drafts or searches.
          await contents.session.clearStorageData().catch((err: Error) => log.error({ err: err.message }, 'clearing page storage failed'));
          await contents.loadURL(homeUrl(screen)).catch((err: Error) => log.error({ err: err.message }, 'reloading the kiosk page failed'));
        })();
      }, delay);
    };

    contents.on('render-process-gone', (_event, details) => {
      if (!RecoveryPolicy.isCrash(details.reason)) return;
      running.context.watchdog.crashed(`renderer ${details.reason}`);
      sendHome(`renderer ${details.reason} (exit ${details.exitCode})`);
    });
    contents.on('unresponsive', () => {
      if (hangTimer) return;
      hangTimer = setTimeout(() => {
        hangTimer = null;
        sendHome('renderer unresponsive');
        if (!contents.isDestroyed() && !contents.isCrashed()) contents.forcefullyCrashRenderer();
      }, policy.hangGraceMs);
    });
    contents.on('responsive', clearHang);
    contents.on('did-fail-load', (_event, code, description, url, isMainFrame) => {
      if (isMainFrame && code !== ERR_ABORTED) sendHome(`load of ${url.slice(0, 200)} failed: ${description}`);
    });
    return () => {
      clearHang();
      if (pending) clearTimeout(pending);
    };
  }

  async function start(opts: ShellOptions): Promise<void> {
    await app.whenReady();
    Menu.setApplicationMenu(null);
    mkdirSync(opts.dataDir, { recursive: true });
    const running = await composeTerminal(
      { kioskId: opts.kioskId, dataDir: opts.dataDir, configDir: opts.configDir, centralUrl: opts.centralUrl, log: log.child({ terminal: opts.kioskId }) },
      terminalParts({ sync: { enrollCode: opts.enrollCode, localEnrollment: isLoopbackUrl(opts.centralUrl), software: 'xiaojin-electron' } }),
    );
    services = running;
    if (quitting) return;
    const screen = screenFor(running.context.kiosk.kind, opts.screen);
    hardenSession(screen, opts.rendererDir, opts.devTools);

    const window = createWindow(screen, opts);
    win = window;
    const handleCall = createIpcHandler(running.router, (reason, method) => log.warn({ reason, method }, 'IPC call refused'));
    ipcMain.handle(IPC.call, (event, method, input) =>
      handleCall(
        {
          frameUrl: event.senderFrame?.url ?? null,
          isMainFrame: !!event.senderFrame && event.senderFrame.parent === null,
          fromKioskWindow: !window.isDestroyed() && event.sender.id === window.webContents.id,
        },
        method,
        input,
      ),
    );
    const voice = running.has('voice') ? running.get('voice') : null;
    // Only a robot that can listen opens the audio channel, and only to its own window's microphone.
    if (voice) ipcMain.on(IPC.audio, (event, data) => {
      if (window.isDestroyed() || event.sender.id !== window.webContents.id || !(data instanceof ArrayBuffer)) return;
      if (data.byteLength === 0 || data.byteLength % 2 !== 0 || data.byteLength > 2 * AUDIO_FRAME.maxSamples) return;
      voice.feed(new Int16Array(data));
    });
    const unsubscribe = running.hub.subscribe((name, payload) => {
      if (window.isDestroyed() || window.webContents.isDestroyed()) return;
      window.webContents.send(IPC.event, name, eventPayload(payload));
    });
    const stopRecovery = recoverer(window, screen, running);
    running.context.onClose(() => {
      stopRecovery();
      unsubscribe();
    });
    window.on('closed', () => {
      win = null;
    });
    await window.webContents.loadURL(homeUrl(screen));
    log.info({ kiosk: opts.kioskId, screen, kioskMode: !opts.windowed }, 'kiosk window open');
  }

  if (!app.requestSingleInstanceLock()) {
    // A second launch (an autostart entry plus a technician's double-click) would fight over the serial ports.
    app.quit();
    return Promise.resolve();
  }
  app.on('second-instance', () => {
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, options.devTools));
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    if (quitting) return;
    quitting = true;
    const force = setTimeout(() => {
      log.error('kiosk services did not stop in time; exiting');
      app.exit(1);
    }, SHUTDOWN_LIMIT_MS);
    force.unref();
    void (async () => {
      try {
        await services?.close();
      } catch (err) {
        log.error({ err: (err as Error).message }, 'stopping the kiosk services failed');
      }
      clearTimeout(force);
      closed = true;
      app.quit();
    })();
  });
  return start(options).catch((err: unknown) => {
    // A bad configuration file is the likeliest cause; its problems name file and field.
    const message = err instanceof ConfigError ? `the hall configuration is not valid:\n${err.message}` : (err as Error).stack ?? String(err);
    console.error(`xiaojin electron: cannot start the kiosk: ${message}`);
    log.error({ err: (err as Error).message }, 'kiosk failed to start');
    quitting = true;
    void (services?.close() ?? Promise.resolve()).finally(() => app.exit(1));
  });
}
