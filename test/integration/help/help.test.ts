/**
 * 一键求助 over real servers: a kiosk's help request raised while its link is down waits
 * in the outbox and reaches the staff namespace when the link returns, once however often
 * it was tapped, naming the terminal and its place on the hall map and nothing of the
 * citizen; a member of staff acknowledges it and the kiosk hears so. Real platform on
 * SQLite, real sync client and outbox, real sockets.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import pino from 'pino';
import { io, type Socket } from 'socket.io-client';
import { enrollLocal, startServer, type RunningServer } from '../../../server/app.ts';
import { Outbox } from '../../../electron/services/outbox.ts';
import { SyncClient } from '../../../electron/services/sync-client.ts';
import { composeTerminal, type KioskServices } from '../../../electron/services/kiosk-services.ts';
import { centralLinkOf } from '../../../electron/services/sync.ts';
import { helpPart } from '../../../electron/services/help.ts';
import { linkPart } from '../../helpers/terminal-parts.ts';
import { STAFF_NAMESPACE, type HelpListAnswer, type HelpView } from '../../../protocol/help.ts';
import type { HelpStatus } from '../../../protocol/ui/domains/help.ts';

const ADMIN = { username: 'admin', password: 'correct-horse-9' };
let server: RunningServer;
let dir: string;
let client: SyncClient;
let outbox: Outbox;
let kiosk: KioskServices;
let token: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xj-help-'));
  server = await startServer({ port: 0, dataDir: join(dir, 'central'), logLevel: 'warn', staticDir: join(dir, 'none'), seedAdmin: ADMIN });
  const credential = await enrollLocal(server.ctx, 'kiosk-1', 'kiosk');
  outbox = new Outbox({ dataDir: join(dir, 'kiosk') });
  client = new SyncClient({ url: server.url, credential, outbox });
  const transactions = { append: async (type: string, payload: unknown) => ({ id: (await outbox.append(type, payload)).id }) };
  kiosk = await composeTerminal({ kioskId: 'kiosk-1', dataDir: join(dir, 'kiosk'), centralUrl: server.url, log: pino({ level: 'silent' }) }, [
    linkPart(transactions, centralLinkOf(client)),
    helpPart,
  ]);
  const res = await fetch(`${server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
  token = ((await res.json()) as { token: string }).token;
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await kiosk?.close();
  await client?.stop();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

function staffSocket(headers: Record<string, string>): Socket {
  const s = io(`${server.url}${STAFF_NAMESPACE}`, { transports: ['websocket'], extraHeaders: headers, reconnection: false, forceNew: true });
  sockets.push(s);
  return s;
}

async function call<T>(method: string, input: unknown): Promise<T> {
  const r = await kiosk.router.dispatch(method as 'help.status', input as Record<string, never>);
  if (!r.ok) throw new Error(r.error.message);
  return r.value as T;
}

async function staffApi<T>(method: string, path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as T };
}

describe('a help request', () => {
  it('is refused to a staff socket without a session', async () => {
    const anon = staffSocket({});
    const refused = await new Promise<string>((resolve) => anon.on('connect_error', (e) => resolve(e.message)));
    expect(refused).toMatch(/sign in/);
  });

  it('waits out a cut link, reaches staff once with the terminal’s place, and is acknowledged back to the kiosk', async () => {
    const seen: HelpView[] = [];
    const staff = staffSocket({ authorization: `Bearer ${token}` });
    staff.on('help:changed', (h: HelpView) => seen.push(h));
    await new Promise<void>((resolve, reject) => {
      staff.on('connect', () => resolve());
      staff.on('connect_error', reject);
    });

    // The link is down (the client not started): taps at once, two with one request id, are one request.
    const first = randomUUID();
    const taps = await Promise.all([
      call<HelpStatus>('help.raise', { requestId: first, screen: 'ticket' }),
      call<HelpStatus>('help.raise', { requestId: first, screen: 'ticket' }),
      call<HelpStatus>('help.raise', { requestId: randomUUID(), screen: 'ticket' }),
    ]);
    expect(new Set(taps.map((t) => t.helpId)).size).toBe(1);
    expect(taps[0].state).toBe('queued');
    expect(outbox.peek(100).filter((t) => t.type === 'help')).toHaveLength(1);
    const helpId = taps[0].helpId;

    client.start();
    await vi.waitFor(() => expect(seen.map((h) => h.id)).toContain(helpId), { timeout: 15_000 });
    const shown = seen.find((h) => h.id === helpId)!;
    expect(shown).toMatchObject({ deviceId: 'kiosk-1', state: 'open', screen: 'ticket', place: { terminalName: '一楼自助服务终端1号', floor: 'F1', position: { x: 44, y: 12 } } });
    await vi.waitFor(async () => expect((await call<HelpStatus>('help.status', {}))?.state).toBe('open'), { timeout: 15_000 });

    // What reached the platform names the terminal and the screen, nothing of the citizen.
    const rows = await server.ctx.db.query<{ payload: string }>("SELECT payload FROM transactions WHERE type = 'help'");
    expect(rows).toHaveLength(1);
    expect(Object.keys(JSON.parse(rows[0].payload)).sort()).toEqual(['helpId', 'raisedAt', 'screen']);

    // Tapped again while staff have not answered: still the same request.
    expect((await call<HelpStatus>('help.raise', { requestId: randomUUID() })).helpId).toBe(helpId);

    const list = await staffApi<HelpListAnswer>('GET', '/api/help');
    expect(list.body.requests.filter((r) => r.id === helpId)).toHaveLength(1);
    expect(list.body.map.floors.map((f) => f.id)).toContain('F1');

    const ack = await staffApi<{ help: HelpView }>('POST', `/api/help/${helpId}/acknowledge`);
    expect(ack.status).toBe(200);
    expect(ack.body.help).toMatchObject({ state: 'acknowledged', acknowledgedBy: expect.any(String) });
    await vi.waitFor(async () => expect((await call<HelpStatus>('help.status', {}))?.state).toBe('acknowledged'), { timeout: 15_000 });
    await vi.waitFor(() => expect(seen.filter((h) => h.id === helpId).map((h) => h.state)).toEqual(['open', 'acknowledged']));

    // Once staff are on their way, a new tap is a new request.
    expect((await call<HelpStatus>('help.raise', { requestId: randomUUID() })).helpId).not.toBe(helpId);
  });

  it('refuses to acknowledge an unknown request and a malformed id', async () => {
    expect((await staffApi('POST', `/api/help/${randomUUID()}/acknowledge`)).status).toBe(404);
    expect((await staffApi('POST', '/api/help/not-a-uuid/acknowledge')).status).toBe(400);
  });
});
