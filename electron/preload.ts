/**
 * The sandboxed preload: exposes the kiosk API as `window.xiaojin` and nothing else.
 * Bundled to CommonJS (dist/electron/preload.cjs) because a sandboxed preload can only
 * `require('electron')`, not load modules.
 */
import type { ElectronPreload } from './shell/electron-api.ts';
import { createPreloadBridge } from './shell/preload-bridge.ts';

// Electron is an optional dependency without types on most machines; see electron-api.ts.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { contextBridge, ipcRenderer } = require('electron') as ElectronPreload;

contextBridge.exposeInMainWorld('xiaojin', createPreloadBridge(ipcRenderer));
