/**
 * The node's link to the Redis that joins it to the other nodes. Redis is a convenience,
 * not a dependency: while it is down a node keeps serving its own devices, commands fail
 * at once instead of queueing (a queued publish held a local broadcast for seconds, and
 * its timeout later surfaced as an unhandled rejection), the client reconnects with
 * backoff, and whoever registered `onReconnect` catches up from the database.
 */
import { createClient } from 'redis';
import type { Logger } from 'pino';
import { backoffDelay } from '../../common/retry.ts';

type Client = ReturnType<typeof createClient>;
/** What closing needs of a client and of the adapter's duplicates of it. */
interface Closable {
  readonly isReady: boolean;
  readonly isOpen: boolean;
  quit(): Promise<unknown>;
  destroy(): void;
}

export interface RedisLink {
  /** The client to hand to the socket.io adapter (its publishes never reject unhandled). */
  readonly adapterClient: Client;
  /** True while commands can reach Redis. */
  ready(): boolean;
  /** Runs after each reconnection (not the first connection), errors logged. */
  onReconnect(fn: () => Promise<void> | void): void;
  close(): Promise<void>;
}

export const RECONNECT_MAX_MS = 2000;
/** How long start waits for Redis before going on without it. */
export const START_WAIT_MS = 3000;

/** Exponential backoff from 50 ms, capped, so a restarted Redis is found within seconds. */
export function reconnectDelay(retries: number): number {
  return backoffDelay(retries, { baseMs: 50, maxMs: RECONNECT_MAX_MS });
}

export async function connectRedis(url: string, log: Logger): Promise<RedisLink> {
  const client: Client = createClient({ url, disableOfflineQueue: true, socket: { connectTimeout: 3000, reconnectStrategy: reconnectDelay } });
  let up = false;
  let started = false;
  const reconnectHandlers: (() => Promise<void> | void)[] = [];
  client.on('error', (err: Error) => {
    if (up) log.warn({ err: err.message }, 'redis connection problem');
  });
  client.on('end', () => (up = false));
  client.on('reconnecting', () => {
    if (up) log.warn('redis link lost: serving this node only until it returns');
    up = false;
  });
  client.on('ready', () => {
    up = true;
    if (!started) return;
    log.info('redis link back: catching up from the database');
    for (const fn of reconnectHandlers) {
      Promise.resolve()
        .then(fn)
        .catch((err: Error) => log.error({ err: err.message }, 'catch-up after redis returned failed'));
    }
  });
  // A node whose Redis is down at start serves its own devices and joins the others later.
  const connecting = client.connect().then(
    () => true,
    (err: Error) => (log.warn({ err: err.message }, 'redis did not answer'), false),
  );
  let waited: ReturnType<typeof setTimeout> | undefined;
  const linked = await Promise.race([connecting, new Promise<false>((r) => (waited = setTimeout(() => r(false), START_WAIT_MS)))]);
  clearTimeout(waited);
  started = true;
  if (!linked) log.warn('starting without redis: serving this node only until it answers');
  const duplicates: Closable[] = [];

  return {
    adapterClient: adapterView(client, log, duplicates),
    ready: () => up && client.isReady,
    onReconnect: (fn) => void reconnectHandlers.push(fn),
    async close() {
      up = false;
      // QUIT waits for a Redis that may never come back; only a live link says goodbye.
      // The adapter's reader waits on a queued XREAD and would reconnect forever; end it here.
      for (const c of [client as Closable, ...duplicates]) {
        if (c.isReady) await c.quit().catch(() => c.destroy());
        else if (c.isOpen) c.destroy();
      }
    },
  };
}

/**
 * What the Redis Streams adapter sees of the client. The adapter fires PUBLISH for
 * node-to-node messages without catching it, so each publish gets a handler here. Its
 * reading and subscribing clients are duplicates that keep the offline queue: a blocking
 * XREAD that failed at once would spin the adapter's read loop while Redis is down.
 */
function adapterView(client: Client, log: Logger, duplicates: Closable[]): Client {
  return new Proxy(client, {
    get(target, prop) {
      if (prop === 'publish') {
        return (...args: Parameters<Client['publish']>) => {
          const p = target.publish(...args);
          p.catch((err: Error) => log.debug({ err: err.message }, 'node-to-node message not sent (redis unavailable)'));
          return p;
        };
      }
      if (prop === 'duplicate') {
        return (overrides?: Parameters<Client['duplicate']>[0]) => {
          const copy = target.duplicate({ ...overrides, disableOfflineQueue: false });
          duplicates.push(copy);
          // The adapter awaits this without a catch. It resolves once Redis answers (the client
          // retries until then); if the node stops first it stays pending instead of rejecting.
          const connect = copy.connect.bind(copy);
          copy.connect = () => new Promise((resolve) => void connect().then(resolve, () => {}));
          return copy;
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
