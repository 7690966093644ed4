/**
 * How the Electron kiosk is told which terminal it is and how to show itself. Flags win
 * over environment variables, which suit a kiosk's autostart entry; a technician at a
 * desk uses --windowed to get an ordinary window with developer tools.
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import type { Screen } from './security.ts';

export interface ShellOptions {
  kioskId: string;
  /** Which page to show; by default the robot gets the robot screen, everything else the kiosk. */
  screen: Screen | null;
  windowed: boolean;
  devTools: boolean;
  configDir: string | undefined;
  /** This terminal's own data folder (the same layout `xiaojin start` uses: DATA/<kiosk id>). */
  dataDir: string;
  centralUrl: string | undefined;
  /** One-time code from the staff console for a terminal that holds no credential yet. */
  enrollCode: string | undefined;
  rendererDir: string;
}

const truthy = (v: string | undefined) => v !== undefined && /^(1|true|yes|on)$/i.test(v.trim());

/**
 * `dataRoot` is where data/ lives without --data or XIAOJIN_DATA: the working directory
 * from a checkout, Electron's per-user data folder once installed (an installed kiosk's
 * working directory is wherever its launcher happened to be, often read-only).
 */
export function parseShellOptions(argv: string[], env: NodeJS.ProcessEnv, defaults: { rendererDir: string; cwd: string; dataRoot?: string }): ShellOptions {
  // Chromium and Electron add switches of their own to argv; strict parsing would reject them.
  const { values } = parseArgs({
    args: argv,
    strict: false,
    allowPositionals: true,
    options: {
      kiosk: { type: 'string' },
      screen: { type: 'string' },
      windowed: { type: 'boolean' },
      devtools: { type: 'boolean' },
      config: { type: 'string' },
      data: { type: 'string' },
      central: { type: 'string' },
      'enroll-code': { type: 'string' },
      renderer: { type: 'string' },
    },
  });
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  const kioskId = str(values.kiosk) ?? str(env.XIAOJIN_KIOSK) ?? 'kiosk-1';
  if (!/^[\w.-]{1,64}$/.test(kioskId)) throw new Error(`kiosk id ${JSON.stringify(kioskId)} is not a terminal id from kiosks.json`);
  const screen = str(values.screen) ?? str(env.XIAOJIN_SCREEN);
  if (screen !== undefined && screen !== 'kiosk' && screen !== 'robot') throw new Error(`--screen must be kiosk or robot, got ${screen}`);
  const windowed = values.windowed === true || truthy(env.XIAOJIN_WINDOWED);
  const config = str(values.config) ?? str(env.XIAOJIN_CONFIG);
  const data = str(values.data) ?? str(env.XIAOJIN_DATA) ?? resolve(defaults.dataRoot ?? defaults.cwd, 'data');
  const central = str(values.central) ?? str(env.XIAOJIN_CENTRAL_URL);
  if (central !== undefined && !/^https?:\/\//.test(central)) throw new Error(`--central must be an http(s) URL, got ${central}`);
  return {
    kioskId,
    screen: (screen as Screen | undefined) ?? null,
    windowed,
    // Developer tools on a public kiosk would let anyone at the screen drive the API.
    devTools: windowed && (values.devtools === true || truthy(env.XIAOJIN_DEVTOOLS)),
    configDir: config ? resolve(defaults.cwd, config) : undefined,
    dataDir: resolve(defaults.cwd, data, kioskId),
    centralUrl: central,
    enrollCode: str(values['enroll-code']) ?? str(env.XIAOJIN_ENROLL_CODE),
    rendererDir: resolve(defaults.cwd, str(values.renderer) ?? defaults.rendererDir),
  };
}

export function screenFor(kind: 'kiosk' | 'teller' | 'robot', chosen: Screen | null): Screen {
  return chosen ?? (kind === 'robot' ? 'robot' : 'kiosk');
}

/** A platform on this very machine (the one-machine hall) enrols terminals over loopback without a code. */
export function isLoopbackUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const host = new URL(url).hostname;
    return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
  } catch {
    return false;
  }
}
