/**
 * Everything behind one kiosk's screen, as plain Node: the configuration in force, the
 * devices, the catalogue, the citizen's session and the link to the central platform.
 * Electron's main process and the browser kiosk host both build one of these and only
 * differ in how the screen reaches its router.
 */
import { watch, type FSWatcher } from 'node:fs';
import type { Logger } from 'pino';
import { ConfigStore, DEFAULT_CONFIG_DIR } from '../../config/load.ts';
import type { KioskConfig } from '../../config/schema.ts';
import { ApiRouter } from '../api/router.ts';
import { EventHub } from '../api/events.ts';
import { ApiError } from '../../protocol/ui/errors.ts';
import type { KioskInfo } from '../../protocol/ui/domains/kiosk.ts';
import { CatalogueService } from './catalogue.ts';
import { createLogger } from './log.ts';
import { ScreenWatchdog, type WatchdogOptions } from './watchdog.ts';
import { runClosers, type Closer } from '../../common/closers.ts';
import { terminalServiceAt } from '../../common/terminal-hours.ts';
import { SwitchableClock } from '../../protocol/clock.ts';
import {
  CompositionError,
  checkProvided,
  grantedTo,
  orderParts,
  type Capabilities,
  type Capability,
  type TerminalPart,
} from './compose.ts';

export type { CentralLink, PrinterPort, TransactionLog } from './compose.ts';

/** How often a terminal looks at its own hours: a minute's edge, seen within half a minute. */
const SERVICE_CHECK_MS = 30_000;

export interface KioskOptions {
  kioskId: string;
  dataDir: string;
  configDir?: string;
  /** Central platform URL; without one the kiosk runs stand-alone on its own config. */
  centralUrl?: string;
  log?: Logger;
  watchdog?: WatchdogOptions;
  /**
   * Re-read the configuration folder when a file in it changes (default: only when there is
   * no central platform, whose pushed versions are otherwise the truth).
   */
  watchConfig?: boolean;
  /** The robot base's rosbridge URL, over the configuration's (the hall's simulated base). */
  robotBaseUrl?: string;
}

/** What every part is built with: the terminal itself, before any part has added to it. */
export interface TerminalContext {
  /** This terminal's entry in the configuration in force (replaced when the configuration changes). */
  readonly kiosk: KioskConfig;
  readonly store: ConfigStore;
  readonly hub: EventHub;
  readonly log: Logger;
  readonly dataDir: string;
  readonly options: KioskOptions;
  /** Hears the screen's heartbeats; whoever owns the browser reloads it on 'hung'. */
  readonly watchdog: ScreenWatchdog;
  /** What "now" is for the terminal's own hours; tests stand it at a chosen hour. */
  readonly clock: SwitchableClock;
  /** Registers cleanup run when the terminal stops, last registered first. */
  onClose(fn: () => Promise<void> | void): void;
}

export interface KioskServices {
  readonly context: TerminalContext;
  readonly router: ApiRouter;
  readonly hub: EventHub;
  /** A capability the terminal's parts provided; throws if none of its parts provides it. */
  get<K extends Capability>(cap: K): Capabilities[K];
  /** Whether one of the terminal's parts provides the capability. */
  has(cap: Capability): boolean;
  close(): Promise<void>;
}

export function kioskConfigOf(store: ConfigStore, kioskId: string): KioskConfig {
  const kiosk = store.config.kiosks.find((k) => k.id === kioskId);
  if (!kiosk) throw new Error(`kiosk ${kioskId} is not in the hall configuration (known: ${store.config.kiosks.map((k) => k.id).join(', ')})`);
  return kiosk;
}

/**
 * A technician editing a stand-alone terminal's configuration sees it applied when the
 * file is saved, or, if the file is wrong, a log line naming file, field and expectation
 * while the kiosk keeps running on the last good configuration.
 */
function watchConfigDir(store: ConfigStore, dir: string, log: Logger): () => void {
  let timer: NodeJS.Timeout | null = null;
  const reload = () => {
    timer = null;
    const error = store.reloadDir(dir);
    if (error) log.error({ err: error.message }, 'configuration change refused; the last good configuration stays in force');
    else log.info({ version: store.version }, 'configuration reloaded from its folder');
  };
  let watcher: FSWatcher;
  try {
    watcher = watch(dir, () => {
      // Editors save in several writes: wait for the folder to settle before reading it.
      if (timer) clearTimeout(timer);
      timer = setTimeout(reload, 300);
    });
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'cannot watch the configuration folder');
    return () => {};
  }
  watcher.on('error', (err) => log.warn({ err: err.message }, 'configuration folder watch failed'));
  return () => {
    if (timer) clearTimeout(timer);
    watcher.close();
  };
}

/**
 * Builds a terminal from its parts: the context first, then each part in the order its
 * declared needs require, each given only what it declared. A part that fails to build
 * stops the terminal cleanly: what was already built is closed again.
 */
export async function composeTerminal(options: KioskOptions, parts: readonly TerminalPart[]): Promise<KioskServices> {
  const ordered = orderParts(parts);
  const log = options.log ?? createLogger(`kiosk:${options.kioskId}`);
  const store = ConfigStore.fromDir(options.configDir ?? DEFAULT_CONFIG_DIR);
  const hub = new EventHub();
  const closers: Closer[] = [];
  const router = new ApiRouter((method, err) => log.error({ method, err: (err as Error).message }, 'handler failed'));
  let kiosk = kioskConfigOf(store, options.kioskId);
  const watchdog = new ScreenWatchdog(options.watchdog);
  const clock = new SwitchableClock();
  const context: TerminalContext = {
    get kiosk() {
      return kiosk;
    },
    store,
    hub,
    log,
    dataDir: options.dataDir,
    options,
    watchdog,
    clock,
    onClose: (fn) => closers.push(fn),
  };
  const provided = new Map<Capability, unknown>();
  // The map is keyed by capability and filled only from parts' typed `provides`.
  const lookup = <K extends Capability>(cap: K) => provided.get(cap) as Capabilities[K] | undefined;
  const get = <K extends Capability>(cap: K): Capabilities[K] => {
    if (!provided.has(cap)) throw new CompositionError(`this terminal has no part providing '${cap}'`);
    return lookup(cap)!;
  };
  const close = () => runClosers(closers, (err) => log.warn({ err: err.message }, 'cleanup failed'));

  watchdog.on('hung', (h) => {
    log.warn(h, 'the kiosk screen stopped answering; wiping the session and sending it home');
    hub.emit('kiosk.reset', { reason: 'hang' });
  });
  watchdog.on('recovered', () => log.info('the kiosk screen answers again'));
  closers.push(() => watchdog.stop());

  router.register(new CatalogueService(store, options.kioskId).handlers());
  router.register({
    'kiosk.info': (): KioskInfo => {
      const config = store.config;
      const devices = lookup('devices');
      const central = lookup('central');
      const speech = lookup('speech');
      return {
        kioskId: kiosk.id,
        kind: kiosk.kind,
        name: kiosk.name,
        hallName: config.hall.name,
        hallNameEn: config.hall.nameEn,
        configVersion: store.version,
        idleTimeoutSeconds: kiosk.idleTimeoutSeconds,
        idleCountdownSeconds: kiosk.idleCountdownSeconds,
        devices: devices?.health() ?? [],
        tts: speech?.tts ?? false,
        online: central?.online ?? false,
        service: terminalServiceAt(kiosk, clock.now()),
        records: kiosk.records,
      };
    },
    'kiosk.heartbeat': ({ screen }) => {
      watchdog.beat(screen);
      return { ok: true as const };
    },
    'kiosk.speak': () => {
      throw new ApiError('unavailable', 'no speech engine on this terminal');
    },
  });
  store.on('change', ({ version }: { version: number }) => {
    kiosk = kioskConfigOf(store, options.kioskId);
    hub.emit('kiosk.config', { version });
    announceService();
  });
  // The screen hears when the terminal's own hours open or close it, within a check's period.
  let lastService = JSON.stringify(terminalServiceAt(kiosk, clock.now()));
  function announceService(): void {
    const now = terminalServiceAt(kiosk, clock.now());
    const key = JSON.stringify(now);
    if (key === lastService) return;
    lastService = key;
    hub.emit('kiosk.service', now);
  }
  const serviceTimer = setInterval(announceService, SERVICE_CHECK_MS);
  serviceTimer.unref();
  closers.push(() => clearInterval(serviceTimer));

  const configDir = options.configDir ?? DEFAULT_CONFIG_DIR;
  if (options.watchConfig ?? !options.centralUrl) closers.push(watchConfigDir(store, configDir, log));

  try {
    for (const part of ordered) {
      const built = await part.build(context, grantedTo(part, provided));
      checkProvided(part, built.provides);
      for (const cap of part.provides) provided.set(cap, built.provides[cap]);
      router.register(built.handlers);
    }
  } catch (err) {
    await close();
    throw err;
  }

  return { context, router, hub, get, has: (cap) => provided.has(cap), close };
}
