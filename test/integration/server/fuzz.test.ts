/**
 * Nothing a device or a web client sends can take the platform down. The platform runs
 * as a child process (a crash shows as the process exiting); a hostile device sends
 * generated values (nesting thousands deep, text near and over the limits, lone
 * surrogates, NUL, prototype keys, odd numbers, wrong types) as the arguments of every
 * socket event the platform registers, through socket.io-client and as hand-made frames
 * over a plain WebSocket where the client library would refuse to encode them; the same
 * values go to every HTTP route as body, query and path, signed in and not. After each
 * run a canary kiosk must still be answered and no response may be a 5xx.
 *
 * A failure prints fast-check's seed; XIAOJIN_FUZZ_SEED=<seed> replays it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import WebSocket from 'ws';
import { io as connect, type Socket } from 'socket.io-client';
import { enrollDevice } from '../../../electron/services/sync-credential.ts';
import { EVENTS, LIMITS } from '../../../protocol/sync.ts';
import { removeTempDirs, spawnPlatform, Staff, tempDir, testServer, type PlatformProcess } from './helpers.ts';

const SEED = Number(process.env.XIAOJIN_FUZZ_SEED ?? 20261206);
const ANSWER_MS = 15_000;

interface Route {
  method: string;
  path: string;
}

interface Credential {
  deviceId: string;
  secret: string;
}

let platform: PlatformProcess;
let staff: Staff;
let routes: Route[] = [];
/** Fastify's default body limit, which the platform keeps. */
const BODY_LIMIT = 1024 * 1024;
let events: string[] = [];
let canary: Socket;
let canarySeq = 0;
let hostile: Credential;
let hostileClient: Socket;

// ---------------------------------------------------------------- what the platform registers

/** Full paths and methods out of fastify's route tree (each line adds its segment to its parent's path). */
function parseRouteTree(tree: string): Route[] {
  const found: Route[] = [];
  const prefixes: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^(.*?)[└├]── (\S+)(?: \(([^)]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1].length / 4;
    const path = (prefixes[depth - 1] ?? '') + m[2];
    prefixes[depth] = path;
    for (const method of m[3]?.split(', ') ?? []) if (method !== 'HEAD') found.push({ method, path: path.startsWith('/') ? path : `/${path}` });
  }
  return found;
}

/** The routes and device socket events of a platform started in-process, read rather than listed by hand. */
async function discover(): Promise<{ routes: Route[]; events: string[] }> {
  const server = await testServer();
  try {
    const admin = await Staff.login(server.url);
    const cred = await enrollDevice({ dataDir: tempDir(), url: server.url, code: await admin.code('kiosk'), kind: 'kiosk', deviceId: 'kiosk-discover' });
    const socket = await openClient(server.url, cred);
    const [serverSide] = server.ctx.io.of('/').sockets.values();
    const names = serverSide.eventNames().filter((n): n is string => typeof n === 'string' && !['disconnect', 'disconnecting', 'error'].includes(n));
    socket.disconnect();
    return { routes: parseRouteTree(server.ctx.app.printRoutes({ commonPrefix: false })), events: names };
  } finally {
    await server.close();
  }
}

// ---------------------------------------------------------------- devices

async function openClient(url: string, cred: Credential): Promise<Socket> {
  const socket = connect(url, { transports: ['websocket'], auth: { deviceId: cred.deviceId, secret: cred.secret, protocol: 1 }, reconnection: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/**
 * A device speaking socket.io by hand over a plain WebSocket (engine.io v4 text frames),
 * so the test decides every byte of an event: socket.io-client would recurse into a
 * deeply nested argument while encoding it and overflow in the test instead.
 */
class RawDevice {
  private nextId = 1;
  private readonly waiting = new Map<number, (answer: unknown[]) => void>();
  private closedWith: Error | null = null;
  private readonly onClose: (() => void)[] = [];

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const text = data.toString();
      if (text === '2') return ws.send('3');
      const ack = /^43(\d+)(\[.*)$/s.exec(text);
      if (ack) {
        this.waiting.get(Number(ack[1]))?.(JSON.parse(ack[2]) as unknown[]);
        this.waiting.delete(Number(ack[1]));
      }
    });
    ws.on('close', () => {
      this.closedWith = new Error('the platform closed the connection');
      for (const f of this.onClose.splice(0)) f();
    });
  }

  static open(url: string, cred: Credential): Promise<RawDevice> {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, { maxPayload: 0 });
    return new Promise((resolve, reject) => {
      ws.on('error', reject);
      ws.on('message', function first(data: Buffer) {
        const text = data.toString();
        if (text.startsWith('0')) ws.send(`40${JSON.stringify({ deviceId: cred.deviceId, secret: cred.secret, protocol: 1 })}`);
        else if (text.startsWith('40')) {
          ws.off('message', first);
          resolve(new RawDevice(ws));
        } else if (text.startsWith('44')) reject(new Error(`handshake refused: ${text.slice(0, 200)}`));
      });
    });
  }

  get open(): boolean {
    return this.closedWith === null;
  }

  /** `args` are JSON texts, placed into the frame as they are. */
  send(event: string, args: string[]): void {
    this.ws.send(`42[${[JSON.stringify(event), ...args].join(',')}]`);
  }

  ask(event: string, args: string[]): Promise<unknown[]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.closedWith) return reject(this.closedWith);
      const timer = setTimeout(() => reject(new Error(`no answer to ${event} within ${ANSWER_MS} ms`)), ANSWER_MS);
      this.onClose.push(() => reject(this.closedWith!));
      this.waiting.set(id, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      this.ws.send(`42${id}[${[JSON.stringify(event), ...args].join(',')}]`);
    });
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}

/**
 * One socket.io CONNECT over a plain WebSocket with `auth` as given (JSON text), to `nsp`;
 * then `frames` sent in that namespace. Resolves with the platform's first answer to the CONNECT.
 */
function rawConnect(url: string, nsp: string, auth: string, frames: string[] = []): Promise<string> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`);
  const prefix = nsp === '/' ? '' : `${nsp},`;
  return new Promise<string>((resolve, reject) => {
    ws.on('error', reject);
    ws.on('close', () => resolve('closed'));
    ws.on('message', (data: Buffer) => {
      const text = data.toString();
      if (text.startsWith('0')) return ws.send(`40${prefix}${auth}`);
      if (text.startsWith('40') || text.startsWith('44')) {
        for (const f of frames) ws.send(`42${prefix}${f}`);
        resolve(text.slice(0, 2));
        ws.close();
      }
    });
  });
}

// ---------------------------------------------------------------- hostile values, as JSON text

interface Hostile {
  /** The value as JSON text, built without recursion. */
  text: string;
  /** socket.io-client can encode it (it recurses over arguments while encoding). */
  shallow: boolean;
}

/** Values print short in a failure report: a megabyte string would bury the seed. */
function hostileText(text: string, isShallow: boolean): Hostile {
  return { text, shallow: isShallow, [fc.toStringMethod]: () => `${text.slice(0, 120)}${text.length > 120 ? `… (${text.length} characters)` : ''}` } as Hostile;
}
const shallow = (text: string): Hostile => hostileText(text, true);

const deep = fc
  .record({ depth: fc.integer({ min: LIMITS.maxDepth + 1, max: 8000 }), kind: fc.constantFrom('array', 'object', 'proto', 'mixed') })
  .map(({ depth, kind }): Hostile => {
    const open = { array: '[', object: '{"a":', proto: '{"__proto__":', mixed: '[{"constructor":' }[kind];
    const close = { array: ']', object: '}', proto: '}', mixed: '}]' }[kind];
    return hostileText(open.repeat(depth) + (kind === 'array' ? '' : 'null') + close.repeat(depth), false);
  });

/** Strings near and past the event and payload limits (counted in frame bytes), in one-, three- and escaped six-byte characters. */
const huge = fc
  .record({
    bytes: fc.constantFrom(LIMITS.maxPayloadBytes + 1, LIMITS.maxEventBytes - 256, LIMITS.maxEventBytes + 1024, 64 * 1024),
    unit: fc.constantFrom('x', '中', '\\u0000', '\\ud800'),
  })
  .map(({ bytes, unit }) => shallow(`"${unit.repeat(Math.ceil(bytes / Buffer.byteLength(unit)))}"`));

const odd = fc
  .constantFrom(
    '"\\ud800"',
    '"\\udfff\\ud800"',
    '"a\\u0000b"',
    '"\\u0000"',
    '-0',
    '1e308',
    '1e999',
    '-1e999',
    '5e-324',
    '9007199254740993',
    '"NaN"',
    '"-0"',
    '"Infinity"',
    '"1e308"',
    'null',
    'true',
    '[]',
    '{}',
    '""',
    '"__proto__"',
    '{"__proto__":{"ok":true,"polluted":1}}',
    '{"constructor":{"prototype":{"polluted":1}}}',
    '{"prototype":null,"__proto__":[],"constructor":"x"}',
    '[null,[],{},"",0,-0]',
  )
  .map(shallow);

const leaf = fc.oneof(odd.map((h) => h.text), fc.string({ unit: 'binary', maxLength: 40 }).map((s) => JSON.stringify(s)), fc.double().map((n) => JSON.stringify(n)), fc.integer().map(String));

/** Field names the platform's events and routes read, so values get past the first type check. */
const FIELDS = ['groupId', 'itemCode', 'priority', 'maskedId', 'ticketId', 'idKey', 'appointmentId', 'date', 'start', 'size', 'batchId', 'txs', 'configVersion', 'lastAssignedSeq', 'pending', 'software', 'devices', 'version', 'ok', 'error', 'username', 'password', 'displayName', 'role', 'kind', 'uses', 'deviceId', 'code', 'secret', 'config', 'note', 'baseVersion', 'windowId', 'toGroup', 'reason', '__proto__', 'constructor', 'prototype'];
const shaped = fc.dictionary(fc.constantFrom(...FIELDS), leaf, { minKeys: 1, maxKeys: 6 }).map((o) =>
  shallow(`{${Object.entries(o).map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
);

/** A well-formed batch whose payload or envelope fields are hostile: past the first check, into ingest. */
const batch = fc.record({ payload: fc.oneof(odd, shaped, huge), seq: fc.oneof(fc.constant('1'), leaf), at: fc.oneof(fc.constant(JSON.stringify(new Date().toISOString())), leaf), type: fc.constantFrom('"rating"', '"ticket"', '"signin"', '"misc.x"', '"__proto__"', '"constructor"') }).map(({ payload, seq, at, type }) =>
  shallow(`{"batchId":"${randomUUID()}","txs":[{"id":"${randomUUID()}","seq":${seq},"type":${type},"at":${at},"payload":${payload.text}}]}`),
);

const anything = fc.jsonValue({ maxDepth: 4 }).map((v) => shallow(JSON.stringify(v)));

const hostileValue: fc.Arbitrary<Hostile> = fc.oneof({ arbitrary: deep, weight: 4 }, { arbitrary: odd, weight: 3 }, { arbitrary: shaped, weight: 3 }, { arbitrary: batch, weight: 2 }, { arbitrary: anything, weight: 2 }, { arbitrary: huge, weight: 1 });

/** Path and query text: percent-encoded UTF-8 of hostile strings, or broken percent-encoding. */
const pct = (s: string) => [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
const urlPart = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', '\ud800', '\u0000', '-0', '1e308', 'NaN', '..', 'x'.repeat(2000), '中'.repeat(200)).map(pct),
  fc.string({ unit: 'binary', maxLength: 60 }).map(pct),
  fc.constantFrom('%E0%A4%A', '%', '%00', '%2e%2e%2f', '%ZZ'),
);

// ---------------------------------------------------------------- the canary

async function canaryIsAnswered(): Promise<void> {
  expect(platform.proc.exitCode, 'the platform process exited').toBeNull();
  expect(canary.connected, 'the canary lost its connection').toBe(true);
  const hello = (await canary.timeout(ANSWER_MS).emitWithAck(EVENTS.hello, { configVersion: 1, lastAssignedSeq: canarySeq, pending: 0 })) as { ok: boolean };
  expect(hello.ok).toBe(true);
  canarySeq++;
  const tx = { id: randomUUID(), seq: canarySeq, type: 'rating', at: new Date().toISOString(), payload: { level: 5 } };
  const ack = await canary.timeout(ANSWER_MS).emitWithAck(EVENTS.batch, { batchId: randomUUID(), txs: [tx] });
  expect(ack).toMatchObject({ ok: true, results: [{ id: tx.id, status: 'applied' }] });
  expect((await fetch(`${platform.url}/api/health`)).status).toBe(200);
}

/** An answer in the sync shape, and not `internal`: that would mean a listener fell over on the input (the socket's 5xx). */
const isAnswer = (a: unknown[]) => {
  const answer = a[0] as { ok?: unknown; error?: { code?: unknown } } | null;
  return typeof answer?.ok === 'boolean' && answer.error?.code !== 'internal';
};

beforeAll(async () => {
  ({ routes, events } = await discover());
  platform = await spawnPlatform();
  staff = await Staff.login(platform.url);
  const enrol = async (deviceId: string) => {
    const cred = await enrollDevice({ dataDir: tempDir(), url: platform.url, code: await staff.code('kiosk'), kind: 'kiosk', deviceId });
    return { deviceId: cred.deviceId, secret: cred.secret };
  };
  canary = await openClient(platform.url, await enrol('kiosk-canary'));
  hostile = await enrol('kiosk-hostile');
  hostileClient = await openClient(platform.url, hostile);
}, 120_000);

afterAll(async () => {
  canary?.disconnect();
  hostileClient?.disconnect();
  await platform?.kill();
  removeTempDirs();
});

describe('the platform under hostile input', () => {
  it('finds every device socket event and HTTP route it must fuzz', () => {
    expect(events).toEqual(expect.arrayContaining([EVENTS.hello, EVENTS.batch, EVENTS.health, EVENTS.configFetch, EVENTS.configApplied, 'queue:take', 'queue:reserve-block', 'queue:status', 'queue:lines', 'appointments:slots', 'appointments:book', 'appointments:list', 'appointments:cancel', 'appointments:check-in']));
    expect(routes).toEqual(expect.arrayContaining([{ method: 'POST', path: '/api/login' }, { method: 'POST', path: '/api/config' }, { method: 'PATCH', path: '/api/staff/:id' }, { method: 'GET', path: '/api/health' }]));
    expect(routes.length).toBeGreaterThan(30);
  });

  it('survives a tx:batch nested 6,000 deep in a 12 KB raw frame and answers it', async () => {
    const raw = await RawDevice.open(platform.url, hostile);
    try {
      const nested = '['.repeat(6000) + ']'.repeat(6000);
      const died = platform.exited.then((code) => Promise.reject(new Error(`the platform exited (code ${code})`)));
      const [answer] = (await Promise.race([raw.ask(EVENTS.batch, [nested]), died])) as [{ ok: boolean; error: { code: string; retry: boolean } }];
      expect(answer.ok).toBe(false);
      expect(['too-large', 'bad-request']).toContain(answer.error.code);
      expect(answer.error.retry).toBe(false);
      raw.send(EVENTS.batch, [nested]);
      await canaryIsAnswered();
    } finally {
      await raw.close();
    }
  });

  it('survives a frame past the transport cap: that connection closes, the canary is still answered', async () => {
    const raw = await RawDevice.open(platform.url, hostile);
    const answer = raw.ask(EVENTS.batch, [`"${'x'.repeat(LIMITS.maxFrameBytes)}"`]);
    await expect(answer).rejects.toThrow('closed');
    await canaryIsAnswered();
  });

  it('answers every device socket event, with or without acknowledgement, whatever its arguments', async () => {
    await fc.assert(
      fc.asyncProperty(hostileValue, fc.integer({ min: 0, max: 2 }), async (value, arity) => {
        // A second argument is small: two values past the event limit would pass the transport cap, tested on its own.
        const args = [value.text, '{"__proto__":null}'].slice(0, arity);
        const raw = await RawDevice.open(platform.url, hostile);
        try {
          for (const event of events) raw.send(event, args);
          const answers = await Promise.all(events.map((event) => raw.ask(event, args).then((a) => [event, a] as const)));
          for (const [event, answer] of answers) expect(isAnswer(answer), `${event} answered ${JSON.stringify(answer).slice(0, 200)}`).toBe(true);
          if (value.shallow) {
            const parsed = args.map((a) => JSON.parse(a) as unknown);
            for (const event of events) hostileClient.emit(event, ...parsed);
            for (const event of events) expect(isAnswer([await hostileClient.timeout(ANSWER_MS).emitWithAck(event, ...parsed)]), event).toBe(true);
          }
        } finally {
          await raw.close();
        }
        expect(platform.proc.exitCode).toBeNull();
      }),
      { numRuns: 40, seed: SEED, endOnFailure: true },
    );
    await canaryIsAnswered();
  });

  it('refuses a hostile handshake and shrugs off hostile events on the public display namespace', async () => {
    await fc.assert(
      fc.asyncProperty(hostileValue, async (value) => {
        // socket.io closes the connection on a CONNECT whose auth is not an object or whose frame passes
        // the transport cap; otherwise the handshake check refuses it.
        expect(['44', 'closed']).toContain(await rawConnect(platform.url, '/', value.text));
        expect(['44', 'closed']).toContain(await rawConnect(platform.url, '/', `{"deviceId":${value.text},"secret":${value.text},"protocol":1}`));
        expect(await rawConnect(platform.url, '/display', '{}', [`["queue:state",${value.text}]`, `[${value.text}]`, `1["x",${value.text}]`])).not.toBe('44');
        expect(platform.proc.exitCode).toBeNull();
      }),
      { numRuns: 30, seed: SEED, endOnFailure: true },
    );
    await canaryIsAnswered();
  });

  it('answers every HTTP route below 500 whatever its body, query and path, signed in and not', async () => {
    const failures: string[] = [];
    await fc.assert(
      fc.asyncProperty(hostileValue, urlPart, fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', undefined), async (body, part, contentType) => {
        const query = `?__proto__=${part}&constructor[prototype]=1&day=${part}&limit=-0&since=1e308&version=NaN&day=-0`;
        await Promise.all(
          routes.flatMap((route) =>
            [staff.token, undefined].map(async (token) => {
              // Signing the fuzzer's own session out would leave the rest of the run unsigned.
              if (token && route.path === '/api/logout') return;
              const path = route.path.replace(/:[A-Za-z]+/g, part).replace('*', `${part}/${part}`);
              const withBody = route.method !== 'GET';
              let res: Response;
              try {
                res = await fetch(`${platform.url}${path}${query}`, {
                  method: route.method,
                  headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(withBody && contentType ? { 'content-type': contentType } : {}) },
                  body: withBody ? body.text : undefined,
                });
              } catch (err) {
                // A body past the platform's 1 MiB limit is refused with 413 and the connection
                // closed, which can land while the client is still sending it: a refusal, not a
                // failure (the platform staying up is checked below and by the canary).
                const code = (err as { cause?: { code?: string } }).cause?.code;
                if (withBody && Buffer.byteLength(body.text) > BODY_LIMIT && (code === 'EPIPE' || code === 'ECONNRESET')) return;
                throw err;
              }
              const text = await res.text();
              // Without a built renderer the pages answer 503 by design (server/static.ts); nothing else may.
              const unbuiltPage = res.status === 503 && !route.path.startsWith('/api/') && (res.headers.get('content-type') ?? '').startsWith('text/plain');
              if (res.status >= 500 && !unbuiltPage) failures.push(`${route.method} ${route.path} ${token ? 'signed in' : 'anonymous'}: ${res.status} ${text.slice(0, 200)}`);
              if (res.status >= 400 && res.status < 500 && route.path.startsWith('/api/')) expect(JSON.parse(text), `${route.method} ${route.path}`).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
            }),
          ),
        );
        expect(failures).toEqual([]);
        expect(platform.proc.exitCode).toBeNull();
      }),
      { numRuns: 25, seed: SEED, endOnFailure: true },
    );
    await canaryIsAnswered();
  });
});
