/**
 * The part of Electron's API the kiosk shell uses, declared here rather than taken from
 * the `electron` package: Electron is an optional dependency that a build or CI machine
 * often lacks, and the type check must pass there too. Signatures follow Electron 41;
 * main.ts and preload.ts obtain the real module with `require('electron')` and cast it
 * to these shapes.
 */

export interface ElectronEvent {
  preventDefault(): void;
}

export interface WebFrameMain {
  readonly url: string;
  readonly origin: string;
  readonly parent: WebFrameMain | null;
}

export interface PermissionRequestDetails {
  requestingUrl?: string;
  isMainFrame?: boolean;
  mediaTypes?: ('video' | 'audio')[];
  /** Set on permission checks (as opposed to requests) for 'media'. */
  mediaType?: 'video' | 'audio' | 'unknown';
}

export interface OnBeforeRequestDetails {
  url: string;
  resourceType?: string;
}

export interface Session {
  webRequest: {
    onBeforeRequest(listener: (details: OnBeforeRequestDetails, callback: (response: { cancel?: boolean }) => void) => void): void;
  };
  protocol: {
    handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
  };
  setPermissionRequestHandler(
    handler: (webContents: WebContents, permission: string, callback: (granted: boolean) => void, details: PermissionRequestDetails) => void,
  ): void;
  setPermissionCheckHandler(handler: (webContents: WebContents | null, permission: string, requestingOrigin: string, details: PermissionRequestDetails) => boolean): void;
  setDevicePermissionHandler?(handler: () => boolean): void;
  clearStorageData(options?: { storages?: string[] }): Promise<void>;
  clearCache(): Promise<void>;
}

export interface RenderProcessGoneDetails {
  reason: string;
  exitCode: number;
}

export interface WebContents {
  readonly id: number;
  readonly session: Session;
  readonly mainFrame: WebFrameMain;
  send(channel: string, ...args: unknown[]): void;
  loadURL(url: string): Promise<void>;
  getURL(): string;
  isDestroyed(): boolean;
  isCrashed(): boolean;
  forcefullyCrashRenderer(): void;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' } | { action: 'allow' }): void;
  on(event: 'render-process-gone', listener: (event: ElectronEvent, details: RenderProcessGoneDetails) => void): this;
  on(event: 'unresponsive' | 'responsive', listener: () => void): this;
  on(event: 'will-navigate' | 'will-redirect' | 'will-frame-navigate', listener: (event: ElectronEvent & { url: string }, url: string) => void): this;
  on(event: 'will-attach-webview', listener: (event: ElectronEvent) => void): this;
  on(event: 'did-fail-load', listener: (event: ElectronEvent, errorCode: number, errorDescription: string, validatedURL: string, isMainFrame: boolean) => void): this;
}

export interface BrowserWindowOptions {
  width?: number;
  height?: number;
  show?: boolean;
  kiosk?: boolean;
  fullscreen?: boolean;
  autoHideMenuBar?: boolean;
  backgroundColor?: string;
  title?: string;
  webPreferences: {
    preload: string;
    contextIsolation: true;
    sandbox: true;
    nodeIntegration: false;
    nodeIntegrationInWorker: false;
    nodeIntegrationInSubFrames: false;
    webSecurity: true;
    allowRunningInsecureContent: false;
    webviewTag: false;
    navigateOnDragDrop: false;
    spellcheck: boolean;
    devTools: boolean;
    backgroundThrottling: boolean;
    autoplayPolicy?: 'no-user-gesture-required' | 'user-gesture-required' | 'document-user-activation-required';
  };
}

export interface BrowserWindow {
  readonly webContents: WebContents;
  show(): void;
  focus(): void;
  restore(): void;
  isMinimized(): boolean;
  isDestroyed(): boolean;
  on(event: 'ready-to-show' | 'closed', listener: () => void): this;
}

export interface IpcMainInvokeEvent {
  readonly sender: WebContents;
  readonly senderFrame: WebFrameMain | null;
}

export interface ElectronMain {
  app: {
    readonly isPackaged: boolean;
    getPath(name: 'userData'): string;
    requestSingleInstanceLock(): boolean;
    whenReady(): Promise<void>;
    quit(): void;
    exit(code?: number): void;
    on(event: 'second-instance' | 'window-all-closed', listener: () => void): void;
    on(event: 'before-quit', listener: (event: ElectronEvent) => void): void;
    on(event: 'web-contents-created', listener: (event: ElectronEvent, contents: WebContents) => void): void;
  };
  BrowserWindow: new (options: BrowserWindowOptions) => BrowserWindow;
  Menu: { setApplicationMenu(menu: null): void };
  ipcMain: {
    handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void;
    on(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => void): void;
  };
  protocol: {
    registerSchemesAsPrivileged(schemes: { scheme: string; privileges: Record<string, boolean> }[]): void;
  };
  session: { defaultSession: Session };
}

export interface IpcRendererEvent {
  readonly senderId?: number;
}

export interface IpcRenderer {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: (event: IpcRendererEvent, ...args: unknown[]) => void): void;
}

export interface ElectronPreload {
  contextBridge: { exposeInMainWorld(key: string, api: unknown): void };
  ipcRenderer: IpcRenderer;
}
