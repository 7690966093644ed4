/**
 * The platform on SQLite with real kiosks (outbox + sync client) and raw protocol
 * clients: enrollment, exactly-once application, follow-ups, live configuration,
 * device health and revocation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { io as connect, type Socket } from 'socket.io-client';
import type { RunningServer } from '../../../server/app.ts';
import { EVENTS, type BatchAck, type HelloAck } from '../../../protocol/sync.ts';
import { Outbox } from '../../../electron/services/outbox.ts';
import { SyncClient } from '../../../electron/services/sync-client.ts';
import { enrollDevice } from '../../../electron/services/sync-credential.ts';
import { kiosk, online, removeTempDirs, Staff, tempDir, testServer, waitFor, type TestKiosk } from './helpers.ts';

let server: RunningServer;
let staff: Staff;
const open: TestKiosk[] = [];
const sockets: Socket[] = [];

beforeAll(async () => {
  server = await testServer();
  staff = await Staff.login(server.url);
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  for (const k of open) await k.close();
  await server?.close();
  removeTempDirs();
});

async function rawDevice(deviceId: string): Promise<{ socket: Socket; secret: string }> {
  const dataDir = tempDir();
  const cred = await enrollDevice({ dataDir, url: server.url, code: await staff.code('kiosk'), kind: 'kiosk', deviceId });
  return { socket: await rawSocket(cred.deviceId, cred.secret), secret: cred.secret };
}

/** A connected device socket that has said hello (unless told not to). */
async function rawSocket(deviceId: string, secret: string, hello = true): Promise<Socket> {
  const socket = connect(server.url, { transports: ['websocket'], auth: { deviceId, secret, protocol: 1 }, reconnection: false });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  if (hello) await socket.timeout(10_000).emitWithAck(EVENTS.hello, { configVersion: 0, lastAssignedSeq: 0, pending: 0 });
  return socket;
}

const tx = (seq: number, type = 'rating', payload: Record<string, unknown> = { level: 5 }) => ({ id: randomUUID(), seq, type, at: new Date().toISOString(), payload });
const send = (s: Socket, txs: unknown[]) => s.timeout(10_000).emitWithAck(EVENTS.batch, { batchId: randomUUID(), txs }) as Promise<BatchAck>;
const count = async (device?: string) => (await staff.call('GET', `/api/transactions/count${device ? `?device=${device}` : ''}`)).body.count as number;

describe('enrollment', () => {
  it('exchanges a one-time code for a credential once, and answers a retry with the same secret the same way', async () => {
    const code = await staff.code('kiosk', 1, 'kiosk-enrol');
    const dataDir = tempDir();
    const first = await enrollDevice({ dataDir, url: server.url, code, kind: 'kiosk' });
    expect(first.deviceId).toBe('kiosk-enrol');
    // Same code, same stored secret: the crash-and-retry case.
    const again = await enrollDevice({ dataDir, url: server.url, code, kind: 'kiosk' });
    expect(again.secret).toBe(first.secret);
    // Another device trying the spent code is refused.
    await expect(enrollDevice({ dataDir: tempDir(), url: server.url, code, kind: 'kiosk' })).rejects.toMatchObject({ code: 'gone' });
    await expect(enrollDevice({ dataDir: tempDir(), url: server.url, code: 'AAAA-BBBB-CCCC', kind: 'kiosk' })).rejects.toMatchObject({ code: 'unauthorized' });
    const robotCode = await staff.code('robot');
    await expect(enrollDevice({ dataDir: tempDir(), url: server.url, code: robotCode, kind: 'kiosk' })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('lists codes without revealing them', async () => {
    const r = await staff.call('GET', '/api/enrollment-codes');
    expect(r.status).toBe(200);
    expect(r.body.codes.length).toBeGreaterThan(0);
    expect(JSON.stringify(r.body)).not.toMatch(/[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}/);
  });
});

describe('transactions', () => {
  it('applies every built-in type exactly once and makes follow-ups for bad ratings', async () => {
    const k = await kiosk(server.url, await staff.code('kiosk', 1, 'kiosk-types'));
    open.push(k);
    await online(k.client);
    const now = new Date().toISOString();
    await k.outbox.append('ticket', { ticketId: 't1', number: 'A001', groupId: 'g', offline: false, issuedAt: now, estimatedWaitMinutes: 12 });
    await k.outbox.append('signin', { maskedName: '李*', maskedId: '4401**********123X', cardType: 'resident' });
    await k.outbox.append('print', { jobId: 'j1', document: 'checklist', state: 'done' });
    await k.outbox.append('rating', { level: 1, reasons: ['态度差'], comment: '请回电' });
    await k.outbox.append('rating', { level: 2, reasons: ['等候时间长'] });
    await k.outbox.append('rating', { level: 4 });
    await k.outbox.append('appointment', { appointmentId: 'a1', action: 'booked', itemCode: 'X', date: '2026-12-01', slot: { start: '09:00', end: '09:30' } });
    await k.outbox.append('device-fault', { device: 'printer', kind: 'printer', state: 'faulty', paper: 'out' });
    await k.outbox.append('test.custom-event', { anything: true });
    await k.outbox.drained();
    expect(await count('kiosk-types')).toBe(9);
    const list = await staff.call('GET', '/api/transactions?device=kiosk-types&limit=5');
    expect(list.body.transactions).toHaveLength(5);
    expect(list.body.next).toBeTruthy();
    const rest = await staff.call('GET', `/api/transactions?device=kiosk-types&limit=50&before=${encodeURIComponent(list.body.next)}`);
    expect(rest.body.transactions).toHaveLength(4);
    const followups = (await staff.call('GET', '/api/followups')).body.followups.filter((f: { deviceId: string }) => f.deviceId === 'kiosk-types');
    expect(followups.map((f: { level: number }) => f.level).sort()).toEqual([1, 2]);
    const closed = await staff.call('POST', `/api/followups/${followups[0].id}/close`, { note: '已电话回访' });
    expect(closed.status).toBe(200);
    expect((await staff.call('POST', `/api/followups/${followups[0].id}/close`, { note: 'again' })).status).toBe(409);
    const figures = (await staff.call('GET', '/api/figures')).body;
    expect(figures.ratings.byLevel[0]).toBeGreaterThanOrEqual(1);
    expect(figures.tickets.total).toBeGreaterThanOrEqual(1);
  });

  it('refuses a sign-in carrying an unmasked identity number before it is stored anywhere', async () => {
    const k = await kiosk(server.url, await staff.code('kiosk', 1, 'kiosk-mask'), { start: false });
    open.push(k);
    await expect(k.outbox.append('signin', { maskedName: '张三', maskedId: '440106199001011234', cardType: 'resident' })).rejects.toMatchObject({ code: 'bad-payload' });
    await expect(k.outbox.append('signin', { maskedName: '张*三', maskedId: '4401**********1234', cardType: 'resident', idNumber: '440106199001011234' })).rejects.toMatchObject({ code: 'bad-payload' });
    expect(k.outbox.pending).toBe(0);
  });

  it('acknowledges a replayed batch as duplicates without applying it again', async () => {
    const { socket } = await rawDevice('raw-replay');
    const hello = (await socket.emitWithAck(EVENTS.hello, { configVersion: 1, lastAssignedSeq: 0, pending: 2 })) as HelloAck;
    expect(hello.lastSeq).toBe(0);
    const txs = [tx(1, 'rating', { level: 1, reasons: ['慢'] }), tx(2)];
    const first = await send(socket, txs);
    expect(first.ok && first.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    const again = await send(socket, txs);
    expect(again.ok && again.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
    expect(again.ok && again.lastSeq).toBe(2);
    expect(await count('raw-replay')).toBe(2);
    const f = (await staff.call('GET', '/api/followups?status=all')).body.followups.filter((x: { deviceId: string }) => x.deviceId === 'raw-replay');
    expect(f).toHaveLength(1);
  });

  it('refuses malformed, oversized, out-of-order and foreign-id messages with clear codes and stays healthy', async () => {
    const { socket } = await rawDevice('raw-bad');
    const before = await count();
    const bad = async (payload: unknown) => (await socket.timeout(10_000).emitWithAck(EVENTS.batch, payload)) as BatchAck;
    const r1 = await bad({ nonsense: true });
    expect(r1).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    const r2 = await bad({ batchId: randomUUID(), txs: [{ ...tx(1), id: 'not-a-uuid' }] });
    expect(r2).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    const r3 = await bad({ batchId: randomUUID(), txs: [tx(2), tx(1)] });
    expect(r3).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    const big = 'x'.repeat(300 * 1024);
    const r4 = await bad({ batchId: randomUUID(), txs: [1, 2, 3, 4].map((s) => tx(s, 'test.misc', { big })) });
    expect(r4).toMatchObject({ ok: false, error: { code: 'too-large' } });
    const r5 = await send(socket, [tx(1, 'test.misc', { big: 'y'.repeat(20_000) }), tx(2, 'rating', { level: 9 }), tx(3, 'signin', { maskedName: '王五', maskedId: '440106199001011234', cardType: 'resident' }), tx(4)]);
    expect(r5.ok && r5.results.map((r) => [r.status, r.code])).toEqual([
      ['rejected', 'too-large'],
      ['rejected', 'bad-payload'],
      ['rejected', 'bad-payload'],
      ['applied', undefined],
    ]);
    // A new id below the applied seq is applied late, not refused (see the out-of-order test).
    const r6 = await send(socket, [tx(3)]);
    expect(r6.ok && r6.results[0]).toMatchObject({ status: 'applied' });
    // Another device's id replayed from here.
    const other = (await staff.call('GET', '/api/transactions?device=raw-replay&limit=1')).body.transactions[0];
    const r7 = await send(socket, [{ ...tx(10), id: other.id }]);
    expect(r7.ok && r7.results[0]).toMatchObject({ status: 'rejected', code: 'id-conflict' });
    // No acknowledgement callback: told off on sync:error, nothing stored.
    const told = new Promise((resolve) => socket.once(EVENTS.error, resolve));
    socket.emit(EVENTS.batch, { batchId: randomUUID(), txs: [tx(20)] });
    expect(await told).toMatchObject({ code: 'bad-request' });
    const hello = await socket.timeout(5000).emitWithAck(EVENTS.hello, { configVersion: 'one' });
    expect(hello).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await count()).toBe(before + 2);
    expect(socket.connected).toBe(true);
    // A frame past the transport cap only costs the sender its connection.
    const gone = new Promise((resolve) => socket.once('disconnect', resolve));
    socket.emit(EVENTS.batch, { batchId: randomUUID(), txs: [], pad: 'z'.repeat(3 * 1024 * 1024) }, () => {});
    await gone;
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    expect(await count()).toBe(before + 2);
  });

  it('refuses a batch sent before hello, storing nothing, and takes it after', async () => {
    const { secret } = await rawDevice('raw-hello');
    const socket = await rawSocket('raw-hello', secret, false);
    const txs = [tx(1), tx(2)];
    const early = await send(socket, txs);
    expect(early).toMatchObject({ ok: false, error: { code: 'hello-first', retry: true } });
    expect(await count('raw-hello')).toBe(0);
    const bad = await socket.timeout(5000).emitWithAck(EVENTS.hello, { configVersion: -1, lastAssignedSeq: 0, pending: 0 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await send(socket, txs)).toMatchObject({ ok: false, error: { code: 'hello-first' } });
    const hello = (await socket.timeout(5000).emitWithAck(EVENTS.hello, { configVersion: 0, lastAssignedSeq: 2, pending: 2 })) as HelloAck;
    expect(hello.ok).toBe(true);
    const later = await send(socket, txs);
    expect(later.ok && later.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    expect(await count('raw-hello')).toBe(2);
  });

  it('applies a batch acknowledged after a later one, counting it late, and keeps duplicates duplicates', async () => {
    const { socket: first, secret } = await rawDevice('raw-late');
    const second = await rawSocket('raw-late', secret);
    const earlier = [tx(1), tx(2, 'rating', { level: 1, reasons: ['慢'] })];
    const later = [tx(3), tx(4)];
    // The later batch reaches the platform first (another socket, as after a reconnect).
    const b2 = await send(second, later);
    expect(b2.ok && b2.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    const b1 = await send(first, earlier);
    expect(b1.ok && b1.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    expect(b1.ok && b1.lastSeq).toBe(4);
    const again = await send(second, [earlier[0], { ...tx(2), id: later[1].id }]);
    expect(again.ok && again.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
    expect(await count('raw-late')).toBe(4);
    const dev = (await staff.call('GET', '/api/devices')).body.devices.find((d: { id: string }) => d.id === 'raw-late');
    expect(dev).toMatchObject({ lastSeq: 4, seqGaps: 1, seqLate: 2 });
    const f = (await staff.call('GET', '/api/followups?status=all')).body.followups.filter((x: { deviceId: string }) => x.deviceId === 'raw-late');
    expect(f).toHaveLength(1);
  });

  it('takes RFC 3339 times with an offset and refuses others per transaction, naming the rule', async () => {
    const { socket } = await rawDevice('raw-at');
    const at = ['2026-11-22T11:00:00+08:00', '2026-11-22T03:00:00.123Z', '2026-11-22 03:00:00Z', '2026-11-22T03:00:00', '1970-01-01T00:00:00Z', '2101-01-01T00:00:00Z', '2026-02-30T00:00:00Z'];
    const r = await send(socket, at.map((t, i) => ({ ...tx(i + 1), at: t })));
    expect(r.ok && r.results.map((x) => x.status)).toEqual(['applied', 'applied', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected']);
    for (const x of r.ok ? r.results.slice(2) : []) {
      expect(x.code).toBe('bad-payload');
      expect(x.message).toMatch(/^at: .*(RFC 3339|2000 to 2100)/);
    }
    expect(await count('raw-at')).toBe(2);
  });

  it('refuses wrong credentials in the handshake', async () => {
    const attempt = (auth: unknown) =>
      new Promise<{ code?: string }>((resolve) => {
        const s = connect(server.url, { transports: ['websocket'], auth: auth as Record<string, unknown>, reconnection: false });
        s.once('connect', () => (s.disconnect(), resolve({ code: 'connected' })));
        s.once('connect_error', (err: Error & { data?: { code: string } }) => (s.disconnect(), resolve({ code: err.data?.code })));
      });
    expect(await attempt({})).toEqual({ code: 'bad-request' });
    expect(await attempt({ deviceId: 'kiosk-types', secret: 'x'.repeat(43), protocol: '1' })).toEqual({ code: 'bad-request' });
    expect(await attempt({ deviceId: 'kiosk-types', secret: 'x'.repeat(43) })).toEqual({ code: 'bad-request' });
    expect(await attempt({ deviceId: 'kiosk-types', secret: 'short', protocol: 1 })).toEqual({ code: 'bad-request' });
    expect(await attempt({ deviceId: 'kiosk-types', secret: 'x'.repeat(43), protocol: 1 })).toEqual({ code: 'unauthorized' });
    expect(await attempt({ deviceId: 'nobody', secret: 'x'.repeat(43), protocol: 1 })).toEqual({ code: 'unauthorized' });
    expect(await attempt({ deviceId: 'kiosk-types', secret: 'x'.repeat(43), protocol: 7 })).toEqual({ code: 'unsupported-protocol' });
    // The kiosk's client takes a refusal with retry false as final, whatever its code.
    const outbox = new Outbox({ dataDir: tempDir() });
    const client = new SyncClient({ url: server.url, credential: { deviceId: 'kiosk-types', secret: 'short' }, outbox, reconnectDelayMs: 50, reconnectDelayMaxMs: 100 });
    const refused = new Promise<{ code: string }>((resolve) => client.once('auth-error', resolve));
    client.start();
    expect(await refused).toMatchObject({ code: 'bad-request' });
    await client.stop();
    await outbox.close();
  });
});

describe('staff API', () => {
  it('guards routes by session and role and validates bodies', async () => {
    expect((await fetch(`${server.url}/api/devices`)).status).toBe(401);
    expect((await fetch(`${server.url}/api/devices`, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    const wrong = await fetch(`${server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'wrong' }) });
    expect(wrong.status).toBe(401);
    const made = await staff.call('POST', '/api/staff', { username: 'window1', password: 'window-pass-1', role: 'window-staff' });
    expect(made.status).toBe(200);
    const w = await Staff.login(server.url, { username: 'window1', password: 'window-pass-1' });
    expect((await w.call('GET', '/api/devices')).status).toBe(200);
    expect((await w.call('POST', '/api/enrollment-codes', { kind: 'kiosk' })).status).toBe(403);
    expect((await w.call('POST', '/api/config/restore', { version: 1 })).status).toBe(403);
    const malformed = await fetch(`${server.url}/api/enrollment-codes`, { method: 'POST', headers: { authorization: `Bearer ${staff.token}`, 'content-type': 'application/json' }, body: '{"kind":' });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { code: string } }).error.code).toBe('bad-request');
    expect((await staff.call('POST', '/api/enrollment-codes', { kind: 'toaster' })).status).toBe(400);
    expect((await staff.call('POST', '/api/enrollment-codes', { kind: 'kiosk', extra: 1 })).status).toBe(400);
    const huge = await fetch(`${server.url}/api/enroll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: 'x'.repeat(2 * 1024 * 1024) }) });
    expect(huge.status).toBe(413);
    const cookieLogin = await fetch(`${server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'window1', password: 'window-pass-1' }) });
    const cookie = cookieLogin.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect((await fetch(`${server.url}/api/me`, { headers: { cookie: cookie.split(';')[0] } })).status).toBe(200);
  });

  it('answers pages with 503 and a build hint when the renderer is not built', async () => {
    const res = await fetch(`${server.url}/console/`);
    expect(res.status).toBe(503);
    expect(await res.text()).toMatch(/npm run build/);
  });
});

describe('configuration and devices', () => {
  it('pushes a new version live, refuses an invalid one, restores an old one, and shows who runs what', async () => {
    const k = await kiosk(server.url, await staff.code('kiosk', 1, 'kiosk-cfg'), { withConfig: true });
    open.push(k);
    await online(k.client);
    const base = (await staff.call('GET', '/api/config')).body;
    const start = base.version as number;
    await waitFor('kiosk on the current version', () => k.client.configVersion === start);

    const edited = structuredClone(base.config);
    edited.hall.name = '测试大厅';
    edited.menus.themes.reverse();
    const v = (await staff.call('POST', '/api/config', { config: edited, baseVersion: start, note: 'rename' })).body.version;
    expect(v).toBe(start + 1);
    await waitFor('kiosk to run the new version', () => k.client.configVersion === v);
    expect(k.config!.config.hall.name).toBe('测试大厅');

    // A stale base is a conflict; a broken reference is refused by the shared schemas.
    expect((await staff.call('POST', '/api/config', { config: edited, baseVersion: start })).status).toBe(409);
    const broken = structuredClone(edited);
    broken.hall.windows[0].groups = ['no-such-group'];
    const refused = await staff.call('POST', '/api/config', { config: broken });
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body.error.detail.problems)).toMatch(/no-such-group/);
    expect(k.config!.version).toBe(v);

    const restored = (await staff.call('POST', '/api/config/restore', { version: start })).body;
    expect(restored.version).toBe(v + 1);
    await waitFor('kiosk to run the restored version', () => k.client.configVersion === v + 1);
    expect(k.config!.config.hall.name).toBe(base.config.hall.name);

    k.client.reportHealth([
      { id: 'printer', kind: 'printer', port: 'sim', state: 'ok', paper: 'near-end', since: new Date().toISOString() },
      { id: 'idcard', kind: 'idcard', port: 'sim', state: 'faulty', detail: 'no answer', since: new Date().toISOString() },
    ]);
    const dev = await waitFor('health on the console', async () => {
      const d = (await staff.call('GET', '/api/devices')).body.devices.find((x: { id: string }) => x.id === 'kiosk-cfg');
      return d?.health.length === 2 && d.configVersion === v + 1 ? d : null;
    });
    expect(dev.online).toBe(true);
    expect(dev.health.find((h: { kind: string }) => h.kind === 'printer').paper).toBe('near-end');
    const versions = (await staff.call('GET', '/api/config/versions')).body.versions;
    expect(versions[0]).toMatchObject({ version: v + 1, restoredFrom: start });
  });

  it('catches up on configuration after being offline', async () => {
    const k = await kiosk(server.url, await staff.code('kiosk', 1, 'kiosk-late'), { withConfig: true });
    open.push(k);
    await online(k.client);
    await waitFor('first config', () => k.client.configVersion === server.ctx.config.version);
    await k.client.stop();
    const cfg = (await staff.call('GET', '/api/config')).body;
    cfg.config.hall.name = '离线期间改名';
    const v = (await staff.call('POST', '/api/config', { config: cfg.config })).body.version;
    await k.outbox.append('rating', { level: 5 });
    k.client.start();
    await waitFor('catch-up', () => k.client.configVersion === v);
    await k.outbox.drained();
    expect(k.config!.config.hall.name).toBe('离线期间改名');
  });

  it('drops a revoked device at once and refuses it afterwards', async () => {
    const k = await kiosk(server.url, await staff.code('kiosk', 1, 'kiosk-revoke'));
    open.push(k);
    await online(k.client);
    const refused = new Promise<{ code: string }>((resolve) => k.client.once('auth-error', resolve));
    expect((await staff.call('POST', '/api/devices/kiosk-revoke/revoke')).status).toBe(200);
    await waitFor('the socket to drop', () => !k.client.online, 5000);
    expect((await refused).code).toBe('revoked');
    await k.outbox.append('rating', { level: 5 });
    const attempt = await new Promise<string | undefined>((resolve) => {
      const s = connect(server.url, { transports: ['websocket'], auth: { deviceId: k.deviceId, secret: k.secret, protocol: 1 }, reconnection: false });
      s.once('connect', () => (s.disconnect(), resolve('connected')));
      s.once('connect_error', (err: Error & { data?: { code: string } }) => (s.disconnect(), resolve(err.data?.code)));
    });
    expect(attempt).toBe('revoked');
    expect(await count('kiosk-revoke')).toBe(0);
    expect((await staff.call('POST', '/api/devices/nobody/revoke')).status).toBe(404);
  });
});
