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
import { ApiRouter, type Handlers } from '../api/router.ts';
import { EventHub } from '../api/events.ts';
import { ApiError } from '../../protocol/ui/errors.ts';
import type { DeviceHealth, KioskInfo } from '../../protocol/ui/domains/kiosk.ts';
import { CatalogueService } from './catalogue.ts';
import { createLogger } from './log.ts';
import { ScreenWatchdog, type WatchdogOptions } from './watchdog.ts';

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
}

/** The kiosk's durable record of what happened; `append` resolves only after the commit. */
export interface TransactionLog {
  append(type: string, payload: unknown): Promise<{ id: string }>;
}

/** The link to the central platform, for calls that need its answer (taking a ticket). */
export interface CentralLink {
  readonly online: boolean;
  request<T = unknown>(event: string, payload: unknown, timeoutMs?: number): Promise<T>;
  onPush(event: string, handler: (payload: unknown) => void): void;
  onOnline(handler: (online: boolean) => void): void;
  /** The hall's key for pseudonymising ID numbers, once the platform has given it. */
  idKeySecret(): string | null;
}

/** The receipt printer as domain modules see it (a job ends done, held or failed). */
export interface PrinterPort {
  print(doc: unknown): Promise<import('../../protocol/ui/domains/print.ts').PrintJobStatus>;
  job(jobId: string): import('../../protocol/ui/domains/print.ts').PrintJobStatus | undefined;
  readonly available: boolean;
}

/** What each domain module is given to build its handlers. */
export interface KioskRuntime {
  readonly kiosk: KioskConfig;
  readonly store: ConfigStore;
  readonly hub: EventHub;
  readonly log: Logger;
  readonly dataDir: string;
  readonly options: KioskOptions;
  /** Registers cleanup run when the kiosk stops, last registered first. */
  onClose(fn: () => Promise<void> | void): void;
  /** The device health the kiosk reports; modules that own devices keep it current. */
  devices: DeviceHealth[];
  online: boolean;
  tts: boolean;
  /** Set by the transactions module before other modules are built. */
  transactions: TransactionLog | null;
  central: CentralLink | null;
  printer: PrinterPort | null;
  /** Hears the screen's heartbeats; whoever owns the browser reloads it on 'hung'. */
  readonly watchdog: ScreenWatchdog;
  /** The device manager (drivers/manager.ts) when this kiosk has devices. */
  deviceManager: import('../../drivers/manager.ts').DeviceManager | null;
}

export type KioskModule = (rt: KioskRuntime) => Promise<Handlers> | Handlers;

export interface KioskServices {
  runtime: KioskRuntime;
  router: ApiRouter;
  hub: EventHub;
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

export async function createKioskServices(options: KioskOptions, modules: KioskModule[] = []): Promise<KioskServices> {
  const log = options.log ?? createLogger(`kiosk:${options.kioskId}`);
  const store = ConfigStore.fromDir(options.configDir ?? DEFAULT_CONFIG_DIR);
  const hub = new EventHub();
  const closers: (() => Promise<void> | void)[] = [];
  const router = new ApiRouter((method, err) => log.error({ method, err: (err as Error).message }, 'handler failed'));
  const runtime: KioskRuntime = {
    kiosk: kioskConfigOf(store, options.kioskId),
    store,
    hub,
    log,
    dataDir: options.dataDir,
    options,
    onClose: (fn) => closers.push(fn),
    devices: [],
    online: false,
    tts: false,
    transactions: null,
    central: null,
    printer: null,
    deviceManager: null,
    watchdog: new ScreenWatchdog(options.watchdog),
  };
  runtime.watchdog.on('hung', (h) => {
    log.warn(h, 'the kiosk screen stopped answering; wiping the session and sending it home');
    hub.emit('kiosk.reset', { reason: 'hang' });
  });
  runtime.watchdog.on('recovered', () => log.info('the kiosk screen answers again'));
  closers.push(() => runtime.watchdog.stop());

  const catalogue = new CatalogueService(store, options.kioskId);
  router.register(catalogue.handlers());
  router.register({
    'kiosk.info': (): KioskInfo => {
      const config = store.config;
      const kiosk = kioskConfigOf(store, options.kioskId);
      return {
        kioskId: kiosk.id,
        kind: kiosk.kind,
        name: kiosk.name,
        hallName: config.hall.name,
        hallNameEn: config.hall.nameEn,
        configVersion: store.version,
        idleTimeoutSeconds: kiosk.idleTimeoutSeconds,
        idleCountdownSeconds: kiosk.idleCountdownSeconds,
        guideBaseUrl: config.hall.guideBaseUrl,
        devices: runtime.devices,
        tts: runtime.tts,
        online: runtime.online,
      };
    },
    'kiosk.heartbeat': ({ screen }) => {
      runtime.watchdog.beat(screen);
      return { ok: true as const };
    },
    'kiosk.speak': () => {
      if (!runtime.tts) throw new ApiError('unavailable', 'no speech engine on this terminal');
      return { queued: false };
    },
  });
  store.on('change', ({ version }: { version: number }) => {
    (runtime as { kiosk: KioskConfig }).kiosk = kioskConfigOf(store, options.kioskId);
    hub.emit('kiosk.config', { version });
  });

  const configDir = options.configDir ?? DEFAULT_CONFIG_DIR;
  if (options.watchConfig ?? !options.centralUrl) closers.push(watchConfigDir(store, configDir, log));

  for (const mod of modules) router.register(await mod(runtime));

  return {
    runtime,
    router,
    hub,
    async close() {
      for (const fn of closers.reverse()) {
        try {
          await fn();
        } catch (err) {
          log.warn({ err: (err as Error).message }, 'cleanup failed');
        }
      }
    },
  };
}
