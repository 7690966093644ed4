/**
 * The terminal's link to the central platform as a kiosk module. It must run first:
 * it gives every later module the durable transaction log (the outbox, committed before
 * the screen confirms anything) and, when a platform URL is set, the live link that
 * sends the outbox, carries queue requests, reports device health and brings new
 * configuration versions. Without a URL, or before enrollment, the kiosk keeps working
 * on its own configuration and its transactions wait on disk.
 */
import { join } from 'node:path';
import { Outbox, type OutboxOptions } from './outbox.ts';
import { SyncClient, loadPersistedConfig } from './sync-client.ts';
import { enrollDevice, readCredential, saveCredential, type StoredCredential } from './sync-credential.ts';
import type { EnrollResponse } from '../../protocol/sync.ts';
import { robotHealthOf } from '../../protocol/robot-command.ts';
import type { TerminalContext } from './kiosk-services.ts';
import { definePart, type CentralLink, type TerminalPart, type TransactionLog } from './compose.ts';
import { CENTRAL_LINK, OUTBOX_DISK, OutageClock, recordOutage } from './fault-log.ts';

export interface SyncModuleOptions {
  /** Platform URL; defaults to the kiosk options' centralUrl. */
  centralUrl?: string;
  /** A one-time enrollment code from the staff console, used when no credential is stored yet. */
  enrollCode?: string;
  /** The one-machine hall: enrol through the platform's loopback-only endpoint. */
  localEnrollment?: boolean;
  /** The token the platform issued its launcher (RunningServer.launcherToken, or XIAOJIN_LAUNCHER_TOKEN). */
  launcherToken?: string;
  software?: string;
  outbox?: Omit<OutboxOptions, 'dataDir'>;
  reconnectDelayMs?: number;
  reconnectDelayMaxMs?: number;
  /** A lost link counts as a fault in the terminal's history only past this many seconds (default 5). */
  linkFaultMinSeconds?: number;
}

const CONFIG_FILE = 'config-current.json';

/**
 * Reaching here means this terminal holds no credential: on a second start it would have
 * read its file. So an enrolled device of this id lost its file, and the launcher (the
 * only holder of the token) asks the platform to retire the old secret and issue a new one.
 */
async function enrollOverLoopback(rt: TerminalContext, url: string, token: string | undefined): Promise<StoredCredential> {
  const kind = rt.kiosk.kind;
  const res = await fetch(new URL('/api/enroll/local', url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-xiaojin-launcher': token ?? '' },
    body: JSON.stringify({ deviceId: rt.kiosk.id, kind, name: rt.kiosk.name, replace: true }),
  });
  const body = (await res.json()) as (EnrollResponse & { secret: string }) | { error: { code: string; message: string } };
  if (!res.ok || 'error' in body) throw new Error(`local enrollment refused: ${'error' in body ? body.error.message : `HTTP ${res.status}`}`);
  const cred: StoredCredential = { url, deviceId: body.deviceId, secret: body.secret, kind, hallId: body.hallId, confirmed: true };
  saveCredential(rt.dataDir, cred);
  return cred;
}

async function credentialFor(rt: TerminalContext, url: string, opts: SyncModuleOptions): Promise<StoredCredential | null> {
  const stored = readCredential(rt.dataDir);
  if (stored && stored.url === url) return stored;
  if (opts.enrollCode) return enrollDevice({ dataDir: rt.dataDir, url, code: opts.enrollCode, kind: rt.kiosk.kind, deviceId: rt.kiosk.id, name: rt.kiosk.name });
  if (opts.localEnrollment) return enrollOverLoopback(rt, url, opts.launcherToken ?? process.env.XIAOJIN_LAUNCHER_TOKEN);
  return stored;
}

/** The sync client as kiosk modules see the platform. */
export function centralLinkOf(client: SyncClient): CentralLink {
  return {
    get online() {
      return client.online;
    },
    request: (event, payload, timeoutMs) => client.request(event, payload, timeoutMs),
    onOnline: (handler) => void client.on('online', handler),
    onPush: (event, handler) => client.onPush(event, handler),
    idKeySecret: () => client.idKeySecret,
    answer: (event, handler) => client.answer(event, handler),
  };
}

export function syncPart(opts: SyncModuleOptions = {}): TerminalPart {
  return definePart({
    name: 'sync',
    needs: [],
    provides: ['transactions', 'central'],
    build: async (rt) => {
      const outbox = new Outbox({ dataDir: rt.dataDir, ...opts.outbox });
      outbox.on('backlog', (b: { level: string; reason: string }) => (b.level === 'ok' ? rt.log.info(b, b.reason) : rt.log.warn(b, b.reason)));
      // A transaction the platform refuses for good is kept aside on disk; staff must hear of it.
      outbox.on('dead-letter', (d: { id: string; type: string; code: string }) => rt.log.error({ tx: d.id, type: d.type, code: d.code }, 'transaction refused by the central platform'));
      const transactions: TransactionLog = { append: (type, payload) => outbox.append(type, payload), status: () => outbox.status() };
      outbox.on('unwritable', (f: { error: string }) => rt.log.error({ err: f.error }, 'the outbox cannot write; holding transactions in memory and retrying'));
      // Recorded once the outbox writes again: until then there is nowhere durable to record it.
      outbox.on('writable', (f: { since: string; until: string; error: string }) => {
        rt.log.info({ since: f.since }, 'the outbox writes again');
        void recordOutage(transactions, rt.log, OUTBOX_DISK, { since: f.since, until: f.until, detail: f.error });
      });
      const standAlone = { provides: { transactions, central: null } };
      rt.onClose(() => outbox.close());

      const url = opts.centralUrl ?? rt.options.centralUrl;
      if (!url) {
        rt.log.info('no central platform configured: transactions stay in the local outbox');
        return standAlone;
      }

      // Resume on the last configuration the platform gave, not the folder's, after a restart offline.
      const configFile = join(rt.dataDir, CONFIG_FILE);
      const persisted = loadPersistedConfig(configFile);
      if (persisted && persisted.version !== rt.store.version) rt.store.apply(persisted.config, persisted.version, configFile);

      let credential: StoredCredential | null;
      try {
        credential = await credentialFor(rt, url, opts);
      } catch (err) {
        rt.log.error({ err: (err as Error).message }, 'enrollment with the central platform failed; running on the local outbox');
        return standAlone;
      }
      if (!credential) {
        rt.log.warn('not enrolled with the central platform (no credential, no enrollment code); running on the local outbox');
        return standAlone;
      }

      const client = new SyncClient({
        url,
        credential,
        outbox,
        config: rt.store,
        configFile,
        software: opts.software,
        reconnectDelayMs: opts.reconnectDelayMs,
        reconnectDelayMaxMs: opts.reconnectDelayMaxMs,
      });
      // A lost link is recorded when it comes back (nothing reaches the platform meanwhile), with when it was lost.
      const outages = new OutageClock((opts.linkFaultMinSeconds ?? 5) * 1000, (outage) => void recordOutage(transactions, rt.log, CENTRAL_LINK, outage));
      let everOnline = false;
      client.on('online', (online: boolean) => {
        if (online) outages.back();
        else if (everOnline) outages.lost('central platform unreachable');
        everOnline ||= online;
        rt.hub.emit('kiosk.online', { online });
        rt.log.info({ online }, online ? 'linked to the central platform' : 'central platform unreachable; working offline');
      });
      client.on('auth-error', (e: { code: string; message: string }) => rt.log.error({ code: e.code }, `the central platform refused this terminal: ${e.message}`));
      client.on('config-error', (e: { version: number; error: string }) => rt.log.error({ version: e.version }, `configuration not applied: ${e.error}`));
      const offDevices = rt.hub.on('kiosk.devices', (devices) => client.reportHealth(devices));
      // A robot's guide goes to the console with the devices: state, battery, position.
      const offRobot = rt.hub.on('robot.state', (r) => {
        if (r.base) client.reportRobot(robotHealthOf(r));
      });
      client.start();
      rt.onClose(async () => {
        offDevices();
        offRobot();
        await client.stop();
      });
      return { provides: { transactions, central: centralLinkOf(client) } };
    },
  });
}
