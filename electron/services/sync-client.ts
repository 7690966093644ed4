/**
 * The kiosk's connection to the central platform.
 *
 *   const client = new SyncClient({
 *     url: 'http://platform:8600',
 *     credential: { deviceId: 'kiosk-1', secret },   // from enrollDevice / readCredential (sync-credential.ts)
 *     outbox,                                          // an Outbox; the client drives its sending
 *     config: configStore,                             // optional ConfigStore that pushes are applied to
 *     configFile: join(dataDir, 'config.json'),        // optional: where the running version is kept
 *   });
 *   client.start();
 *   client.on('online', (online: boolean) => …);
 *   const answer = await client.request('queue:take', { … }, 5000);   // request/ack calls
 *   const off = client.onPush('queue:called', (payload) => …);        // platform pushes
 *   client.answer('robot:command', async (payload) => ack);            // platform requests
 *   client.reportHealth(devices);                                      // DeviceHealth[]
 *   await client.stop();
 *
 * Events: 'online' (boolean), 'config' ({ version }) after a pushed configuration is in
 * force, 'config-error' ({ version, error }), 'auth-error' ({ code, message }) when the
 * platform refuses the handshake for good (retry false: revoked, unknown, malformed) — the
 * client then stops retrying —
 * and 'sync-error' (a SyncError the platform pushed).
 *
 * Reconnects back off exponentially with jitter (socket.io's own for lost links, the same
 * shape for refused handshakes). On every connect the client says hello, lets the outbox
 * catch up from the platform's last applied sequence, reports health, and fetches the
 * configuration if the platform's version differs from the one it runs.
 */
import { createHash, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { closeSync, existsSync, fchmodSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { io, type Socket } from 'socket.io-client';
import type { ConfigStore } from '../../config/load.ts';
import { upgradeStoredConfig, validateConfig } from '../../config/load.ts';
import type { HallConfig } from '../../config/schema.ts';
import { ApiError } from '../../protocol/ui/errors.ts';
import type { DeviceHealth } from '../../protocol/ui/domains/kiosk.ts';
import type { Outbox } from './outbox.ts';
import { Backoff } from '../../common/retry.ts';
import { ConfigFetchReply, EVENTS, HelloAckSchema, PROTOCOL_VERSION, summarizeIssues, BatchAck, type ConfigFetchAck, type HelloAck, type OutboxHealth, type RobotHealth, type SyncError, type TxEnvelope } from '../../protocol/sync.ts';

export interface DeviceCredential {
  deviceId: string;
  secret: string;
}

export interface SyncClientOptions {
  url: string;
  credential: DeviceCredential;
  outbox: Outbox;
  config?: ConfigStore;
  configFile?: string;
  software?: string;
  /** How long to wait for a batch acknowledgement before resending (default 30 s). */
  ackTimeoutMs?: number;
  /** Reconnect delays, ms (default 1 s growing to 30 s, ±50 % jitter). */
  reconnectDelayMs?: number;
  reconnectDelayMaxMs?: number;
  /** Health is re-sent this often while online, so the pending count stays fresh (default 30 s). */
  healthIntervalMs?: number;
  /** PEM certificate(s) to trust for a wss:// platform beyond the system's (a hall's own CA or a self-signed certificate). */
  ca?: string;
}

export class SyncClient extends EventEmitter {
  readonly socket: Socket;
  private isOnline = false;
  private stopped = true;
  private health: DeviceHealth[] = [];
  private robot: RobotHealth | undefined;
  private robotTimer: NodeJS.Timeout | null = null;
  private healthTimer: NodeJS.Timeout | null = null;
  private readonly reconnect: Backoff;
  private fetching: Promise<void> | null = null;
  private wantVersion = 0;
  private runningVersion: number;
  private idKey: string | null = null;
  private readonly opts: SyncClientOptions;

  constructor(options: SyncClientOptions) {
    super();
    this.opts = options;
    this.reconnect = new Backoff({ baseMs: options.reconnectDelayMs ?? 1000, maxMs: options.reconnectDelayMaxMs ?? 30_000, jitter: true });
    this.runningVersion = options.config?.version ?? 0;
    this.socket = io(options.url, {
      autoConnect: false,
      transports: ['websocket'],
      auth: { deviceId: options.credential.deviceId, secret: options.credential.secret, protocol: PROTOCOL_VERSION },
      reconnectionDelay: options.reconnectDelayMs ?? 1000,
      reconnectionDelayMax: options.reconnectDelayMaxMs ?? 30_000,
      randomizationFactor: 0.5,
      timeout: 10_000,
      ...(options.ca ? { ca: options.ca } : {}),
    });
    // A full disk reaches the console now, not once the outbox can record it.
    const outboxChanged = () => this.isOnline && this.sendHealth();
    options.outbox.on('unwritable', outboxChanged);
    options.outbox.on('writable', outboxChanged);
    this.socket.on('connect', () => void this.onConnect());
    this.socket.on('disconnect', (reason) => {
      this.setOnline(false);
      // socket.io does not come back by itself after the server closed the socket.
      if (reason === 'io server disconnect') this.scheduleRetry();
    });
    this.socket.on('connect_error', (err: Error & { data?: SyncError }) => {
      // A refusal that trying again cannot cure (unknown or revoked device, wrong protocol, malformed auth).
      const code = err.data?.code;
      if (code && err.data?.retry === false) {
        this.emit('auth-error', { code, message: err.data.message ?? err.message });
        this.stopped = true;
        return;
      }
      if (!this.socket.active) this.scheduleRetry();
    });
    this.socket.on(EVENTS.configAvailable, (msg: { version?: number }) => {
      if (typeof msg?.version === 'number' && msg.version !== this.runningVersion) this.fetchConfig(msg.version);
    });
    this.socket.on(EVENTS.error, (err: SyncError) => {
      this.emit('sync-error', err);
      if (err?.code === 'revoked') this.emit('auth-error', { code: 'revoked', message: err.message });
    });
  }

  get online(): boolean {
    return this.isOnline;
  }

  get configVersion(): number {
    return this.runningVersion;
  }

  get deviceId(): string {
    return this.opts.credential.deviceId;
  }

  /** The hall's ID-number key from the last hello; null until the platform has answered once. */
  get idKeySecret(): string | null {
    return this.idKey;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.socket.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.reconnect.cancel();
    if (this.robotTimer) clearTimeout(this.robotTimer);
    this.opts.outbox.run(null);
    this.socket.disconnect();
    this.setOnline(false);
    await this.fetching?.catch(() => {});
  }

  /** Call a platform event that answers through an acknowledgement. Rejects with ApiError('offline') when it cannot. */
  async request(event: string, payload: unknown, timeoutMs = 5000): Promise<unknown> {
    if (!this.isOnline) throw new ApiError('offline', 'the central platform is not reachable');
    try {
      return await this.socket.timeout(timeoutMs).emitWithAck(event, payload);
    } catch {
      throw new ApiError('offline', `the central platform did not answer ${event} within ${timeoutMs} ms`);
    }
  }

  /** Listen to an event the platform pushes; returns a function that stops listening. */
  onPush(event: string, handler: (payload: unknown) => void): () => void {
    const listener = (payload: unknown) => handler(payload);
    this.socket.on(event, listener);
    return () => this.socket.off(event, listener);
  }

  /**
   * Answer a request the platform sends this terminal (a staff command from the console):
   * the handler's result is the acknowledgement. Returns a function that stops answering.
   */
  answer(event: string, handler: (payload: unknown) => Promise<unknown>): () => void {
    const listener = (payload: unknown, ack?: (reply: unknown) => void) => {
      void handler(payload).then((reply) => {
        if (typeof ack === 'function') ack(reply);
      });
    };
    this.socket.on(event, listener);
    return () => this.socket.off(event, listener);
  }

  /** The kiosk's device health; sent now if online and on every reconnect. */
  reportHealth(devices: DeviceHealth[]): void {
    this.health = devices;
    if (this.isOnline) this.sendHealth();
  }

  /**
   * The robot's guide state; its pose changes ten times a second, so the report goes at
   * most once a second (the latest state wins).
   */
  reportRobot(robot: RobotHealth): void {
    this.robot = robot;
    if (this.robotTimer) return;
    if (this.isOnline) this.sendHealth();
    this.robotTimer = setTimeout(() => {
      this.robotTimer = null;
      if (this.isOnline) this.sendHealth();
    }, 1000);
  }

  private sendHealth(): void {
    this.socket.emit(EVENTS.health, {
      devices: this.health,
      ...(this.robot ? { robot: this.robot } : {}),
      configVersion: this.runningVersion,
      pending: this.opts.outbox.pending,
      software: this.opts.software,
      outbox: this.outboxHealth(),
    });
  }

  private outboxHealth(): OutboxHealth {
    const fault = this.opts.outbox.diskFault;
    return fault ? { writable: false, since: fault.since, error: fault.error.slice(0, 500) } : { writable: true };
  }

  private setOnline(online: boolean): void {
    if (online === this.isOnline) return;
    this.isOnline = online;
    if (!online) {
      this.opts.outbox.run(null);
      if (this.healthTimer) clearInterval(this.healthTimer);
      this.healthTimer = null;
    }
    this.emit('online', online);
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    this.reconnect.schedule(() => {
      if (!this.stopped && !this.socket.connected) this.socket.connect();
    });
  }

  private async onConnect(): Promise<void> {
    let hello: HelloAck | { ok: false; error: SyncError };
    try {
      hello = await this.socket.timeout(10_000).emitWithAck(EVENTS.hello, {
        configVersion: this.runningVersion,
        lastAssignedSeq: this.opts.outbox.lastAssignedSeq,
        pending: this.opts.outbox.pending,
        software: this.opts.software,
      });
    } catch {
      // No answer: drop the link and let the reconnect logic try again.
      this.socket.disconnect();
      this.scheduleRetry();
      return;
    }
    if (hello.ok) {
      const checked = HelloAckSchema.safeParse(hello);
      // A platform of another version (or a proxy's page) must not renumber the outbox.
      if (!checked.success) hello = { ok: false, error: { code: 'bad-request', message: `unusable hello answer: ${summarizeIssues(checked.error)}`, retry: true } };
    }
    if (!hello.ok) {
      this.emit('sync-error', hello.error);
      this.socket.disconnect();
      this.scheduleRetry();
      return;
    }
    this.reconnect.reset();
    // Held in memory only: every use of it (appointments) needs the platform anyway.
    // A platform that gives this kind of device no key (load devices) means no bookings here.
    this.idKey = typeof hello.idKeySecret === 'string' && hello.idKeySecret.length >= 32 ? hello.idKeySecret : null;
    this.opts.outbox.rebase(hello.lastSeq);
    this.setOnline(true);
    this.opts.outbox.run(this.sender);
    this.sendHealth();
    this.healthTimer ??= setInterval(() => this.isOnline && this.sendHealth(), this.opts.healthIntervalMs ?? 30_000);
    this.healthTimer.unref?.();
    if (hello.configVersion !== this.runningVersion) this.fetchConfig(hello.configVersion);
  }

  private readonly sender = async (txs: TxEnvelope[]): Promise<BatchAck> => {
    if (!this.socket.connected) throw new Error('offline');
    const ack = BatchAck.safeParse(await this.socket.timeout(this.opts.ackTimeoutMs ?? 30_000).emitWithAck(EVENTS.batch, { batchId: randomUUID(), txs }));
    // An acknowledgement the kiosk cannot read marks nothing synced: the batch is sent again.
    if (!ack.success) throw new Error(`unusable batch acknowledgement: ${summarizeIssues(ack.error)}`);
    return ack.data;
  };

  /** Fetch, check and apply the platform's configuration; concurrent announcements coalesce. */
  private fetchConfig(version: number): void {
    this.wantVersion = Math.max(this.wantVersion, version);
    if (!this.opts.config || this.fetching || !this.isOnline) return;
    this.fetching = (async () => {
      // Yield first so `fetching` is set before the finally below can clear it.
      await null;
      try {
        while (this.isOnline && this.wantVersion !== this.runningVersion) {
          const target = this.wantVersion;
          const reply = ConfigFetchReply.safeParse(await this.request(EVENTS.configFetch, {}, 60_000));
          if (!reply.success) throw new Error(`unusable configuration answer: ${summarizeIssues(reply.error)}`);
          const res = reply.data;
          if (!res.ok) throw new Error(`${res.error.code}: ${res.error.message}`);
          this.applyConfig(res);
          if (this.runningVersion !== target && res.version === this.runningVersion) this.wantVersion = res.version;
        }
      } catch (err) {
        this.emit('config-error', { version: this.wantVersion, error: (err as Error).message });
      } finally {
        this.fetching = null;
      }
    })();
  }

  private applyConfig(res: ConfigFetchAck): void {
    const json = gunzipSync(Buffer.from(res.body, 'base64')).toString('utf8');
    if (createHash('sha256').update(json).digest('hex') !== res.sha256) throw new Error(`configuration version ${res.version} arrived damaged`);
    const store = this.opts.config!;
    const error = store.apply(JSON.parse(json), res.version, `configuration version ${res.version}`);
    if (error) {
      this.socket.emit(EVENTS.configApplied, { version: res.version, ok: false, error: error.message.slice(0, 2000) });
      throw error;
    }
    if (this.opts.configFile) writeAtomically(this.opts.configFile, JSON.stringify({ version: res.version, config: store.config }));
    this.runningVersion = res.version;
    this.socket.emit(EVENTS.configApplied, { version: res.version, ok: true });
    this.emit('config', { version: res.version });
  }
}

/** Write a file so a crash leaves either the old or the new content, never half of one. */
export function writeAtomically(file: string, text: string, mode?: number): void {
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', mode);
  try {
    if (mode !== undefined) fchmodSync(fd, mode);
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/** The configuration a kiosk last received from the platform, if any, for its next start. */
export function loadPersistedConfig(file: string): { version: number; config: HallConfig } | null {
  if (!existsSync(file)) return null;
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { version: number; config: unknown };
    return { version: saved.version, config: validateConfig(upgradeStoredConfig(saved.config).value, file) };
  } catch {
    return null;
  }
}
