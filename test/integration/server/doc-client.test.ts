/**
 * docs/sync-protocol.md's own check: a client written from the document alone
 * (./doc-client/) enrols, is refused and admitted, says hello, sends batches out of order
 * and twice, takes a queue ticket and books an appointment against a real platform, and
 * every answer must have the shape the document gives it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Socket } from 'socket.io-client';
import type { RunningServer } from '../../../server/app.ts';
import { removeTempDirs, Staff, tempDir, testServer } from './helpers.ts';
import { connect, enrol, fetchConfig, hello, HttpFailure, idKey, Outbox, RefusedHandshake, request, sendBatch, type Credential } from './doc-client/client.ts';
import { Appointment, DayAvailability, GroupLine, NumberBlock, PublicTicket } from './doc-client/shapes.ts';
import { z } from 'zod';
import { queueOf } from '../../../server/queue/index.ts';
import { openHallClock } from '../../helpers/open-hall-clock.ts';

let server: RunningServer;
let staff: Staff;
const sockets: Socket[] = [];

beforeAll(async () => {
  server = await testServer();
  // A weekday morning: the hall issues tickets only while open.
  queueOf(server.ctx)!.clock.source = openHallClock();
  staff = await Staff.login(server.url);
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await server?.close();
  removeTempDirs();
});

async function enrolled(deviceId: string): Promise<Credential> {
  return enrol(server.url, join(tempDir(), 'credential.json'), { code: await staff.code('kiosk', 1, deviceId), kind: 'kiosk', deviceId });
}

async function online(cred: Credential): Promise<Socket> {
  const socket = await connect(server.url, { deviceId: cred.deviceId, secret: cred.secret, protocol: 1 });
  sockets.push(socket);
  return socket;
}

const refusal = (auth: Record<string, unknown>) => connect(server.url, auth, { attempts: 1 }).then(
  (s) => (s.disconnect(), null),
  (err: unknown) => err,
);

describe('a client written from docs/sync-protocol.md', () => {
  it('enrols, keeping the code for a retry and taking the device id the platform gives', async () => {
    const file = join(tempDir(), 'credential.json');
    const code = await staff.code('kiosk', 1, 'doc-named');
    const first = await enrol(server.url, file, { code, kind: 'kiosk', deviceId: 'my-own-name' });
    expect(first).toMatchObject({ deviceId: 'doc-named', confirmed: true });
    // The answer lost before it was written down: the same code, id and secret again.
    writeFileSync(file, JSON.stringify({ ...first, deviceId: 'my-own-name', confirmed: false }));
    const again = await enrol(server.url, file, { code, kind: 'kiosk', deviceId: 'my-own-name' });
    expect(again).toMatchObject({ deviceId: 'doc-named', secret: first.secret });
    // A fresh secret with the spent code is another device: gone, in the documented error shape.
    const other = await enrol(server.url, join(tempDir(), 'c.json'), { code, kind: 'kiosk', deviceId: 'my-own-name' }).catch((e: unknown) => e);
    expect(other).toBeInstanceOf(HttpFailure);
    expect(other).toMatchObject({ status: 410, body: { error: { code: 'gone' } } });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ confirmed: true, deviceId: 'doc-named' });
  });

  it('is refused a malformed or wrong handshake with the documented codes, and socket.io stops trying', async () => {
    const cred = await enrolled('doc-refused');
    const cases: [Record<string, unknown>, string][] = [
      [{ deviceId: cred.deviceId, secret: cred.secret }, 'bad-request'],
      [{ deviceId: cred.deviceId, secret: cred.secret, protocol: '1' }, 'bad-request'],
      [{ deviceId: cred.deviceId, secret: cred.secret, protocol: 1, extra: true }, 'bad-request'],
      [{ deviceId: cred.deviceId, secret: cred.secret, protocol: 2 }, 'unsupported-protocol'],
      [{ deviceId: cred.deviceId, secret: 'x'.repeat(43), protocol: 1 }, 'unauthorized'],
    ];
    for (const [auth, code] of cases) {
      const err = await refusal(auth);
      expect(err).toBeInstanceOf(RefusedHandshake);
      expect((err as RefusedHandshake).data).toMatchObject({ code, retry: false });
      expect((err as RefusedHandshake).stillTrying).toBe(false);
    }
    expect(await refusal({ deviceId: cred.deviceId, secret: cred.secret, protocol: 1 })).toBeNull();
  });

  it('says hello, sends batches out of order and again, and keeps only what the platform refused', async () => {
    const cred = await enrolled('doc-batches');
    const socket = await online(cred);
    const box = new Outbox();
    const early = box.record('rating', { level: 4 });
    const before = await sendBatch(socket, [early]);
    expect(before).toMatchObject({ ok: false, error: { code: 'hello-first', retry: true } });

    const h = await hello(socket, { configVersion: 0, lastAssignedSeq: 0, pending: 1 });
    expect(h).toMatchObject({ ok: true, deviceId: 'doc-batches', lastSeq: 0 });
    const malformed = await hello(socket, { configVersion: -1, lastAssignedSeq: 0, pending: 0 });
    expect(malformed).toMatchObject({ ok: false, error: { code: 'bad-request', retry: false } });

    const first = [early, box.record('rating', { level: 1, reasons: ['等太久'] }), box.record('print', { jobId: 'j1', document: 'receipt', state: 'done' })];
    const second = [box.record('signin', { maskedName: '张*三', maskedId: '4401**********1234', cardType: 'resident' }), box.record('device-fault', { device: 'p1', kind: 'printer', state: 'ok' })];
    // The later batch is answered first, as when the first went out on a socket that died.
    const b2 = await sendBatch(socket, second);
    const b1 = await sendBatch(socket, first);
    for (const [ack, sent] of [[b2, second], [b1, first]] as const) {
      expect(ack.ok && ack.results.map((r) => r.status)).toEqual(sent.map(() => 'applied'));
      if (ack.ok) box.settle(sent, ack);
    }
    expect(b1.ok && b1.lastSeq).toBe(5);
    const replay = await sendBatch(socket, first);
    expect(replay.ok && replay.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);

    // What the document says is refused per transaction goes to the local dead letter.
    box.record('rating', { level: 5 }, '2026-11-22 03:00:00');
    box.record('rating', { level: 5 }, '1970-01-01T00:00:00Z');
    box.record('signin', { maskedName: '张三', maskedId: '440106199001011234', cardType: 'resident' });
    box.record('test.misc', { big: 'x'.repeat(17 * 1024) });
    const kept = box.record('rating', { level: 5 }, '2026-11-22T11:00:00+08:00');
    await box.flush(socket, async () => void (await hello(socket, { configVersion: 0, lastAssignedSeq: box.lastAssignedSeq, pending: box.pending.size })));
    expect(box.pending.size).toBe(0);
    expect(box.dead.map((d) => d.code).sort()).toEqual(['bad-payload', 'bad-payload', 'bad-payload', 'too-large']);
    expect(box.dead.filter((d) => d.code === 'bad-payload').every((d) => d.message.length > 0)).toBe(true);
    const count = (await staff.call('GET', '/api/transactions/count?device=doc-batches')).body.count;
    expect(count).toBe(6);
    const dev = (await staff.call('GET', '/api/devices')).body.devices.find((d: { id: string }) => d.id === 'doc-batches');
    expect(dev).toMatchObject({ lastSeq: kept.seq, seqLate: 3 });

    // A batch past the event limit is split by the client, never refused.
    for (let i = 0; i < 80; i++) box.record('test.misc', { pad: 'y'.repeat(15 * 1024) });
    expect(box.batches().length).toBeGreaterThan(1);
    await box.flush(socket, async () => {});
    expect(box.pending.size).toBe(0);
    expect((await staff.call('GET', '/api/transactions/count?device=doc-batches')).body.count).toBe(86);
  });

  it('fetches the configuration, reports health, takes a queue ticket and books an appointment', async () => {
    const cred = await enrolled('doc-queue');
    const socket = await online(cred);
    const h = await hello(socket, { configVersion: 0, lastAssignedSeq: 0, pending: 0 });
    if (!h.ok) throw new Error(h.error.message);
    const health = await socket.timeout(5000).emitWithAck('device:health', {
      devices: [{ id: 'printer', kind: 'printer', port: 'sim', state: 'ok', paper: 'near-end', since: new Date().toISOString() }],
      configVersion: 0,
      pending: 0,
    });
    expect(health).toEqual({ ok: true });

    const { version, config } = await fetchConfig(socket);
    expect(version).toBe(h.configVersion);
    const groups = (config as { hall: { groups: { id: string; items: string[] }[] } }).hall.groups;

    const lines = await request(socket, 'queue:lines', {}, z.array(GroupLine));
    expect(lines.ok && lines.value.length).toBe(groups.length);
    const taken = await request(socket, 'queue:take', { groupId: groups[0].id }, z.object({ ticket: PublicTicket, line: GroupLine.optional() }).strict());
    if (!taken.ok) throw new Error(taken.error.message);
    expect(taken.value.ticket).toMatchObject({ groupId: groups[0].id, state: 'waiting', offline: false });
    const status = await request(socket, 'queue:status', { ticketId: taken.value.ticket.id }, PublicTicket);
    expect(status.ok && status.value.number).toBe(taken.value.ticket.number);
    const unknown = await request(socket, 'queue:status', { ticketId: 'no-such-ticket' }, PublicTicket);
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not-found', retry: false } });
    const noGroup = await request(socket, 'queue:take', { groupId: 'no-such-group' }, PublicTicket);
    expect(noGroup).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const block = await request(socket, 'queue:reserve-block', { groupId: groups[0].id, size: 10 }, NumberBlock);
    expect(block.ok && block.value.lastSeq - block.value.firstSeq).toBe(9);

    const itemCode = groups.find((g) => g.items.length)!.items[0];
    const days = await request(socket, 'appointments:slots', { itemCode }, z.array(DayAvailability));
    if (!days.ok) throw new Error(days.error.message);
    const day = days.value.find((d) => d.open && d.slots.some((s) => s.bookable))!;
    const slot = day.slots.find((s) => s.bookable)!;
    const key = idKey(h.idKeySecret, ' 44010619900101123x ');
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    const booked = await request(socket, 'appointments:book', { itemCode, date: day.date, start: slot.start, idKey: key, maskedId: '4401**********123X' }, Appointment);
    if (!booked.ok) throw new Error(booked.error.message);
    expect(booked.value).toMatchObject({ itemCode, date: day.date, state: 'booked', slot: { start: slot.start } });
    const twice = await request(socket, 'appointments:book', { itemCode, date: day.date, start: slot.start, idKey: key }, Appointment);
    expect(twice).toMatchObject({ ok: false, error: { code: 'conflict', retry: false } });
    const mine = await request(socket, 'appointments:list', { idKey: key }, z.array(Appointment));
    expect(mine.ok && mine.value.map((a) => a.id)).toEqual([booked.value.id]);
    const cancelled = await request(socket, 'appointments:cancel', { appointmentId: booked.value.id, idKey: key }, Appointment);
    expect(cancelled.ok && cancelled.value.state).toBe('cancelled');
    const bad = await request(socket, 'appointments:list', { idKey: 'not-a-key' }, z.array(Appointment));
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-request', retry: false } });
  });

  it('reads every HTTP error in the one documented shape', async () => {
    const wrong = await fetch(`${server.url}/api/enroll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"code":' });
    const unknownCode = await enrol(server.url, join(tempDir(), 'c.json'), { code: 'AAAA-BBBB-CCCC', kind: 'kiosk', deviceId: 'doc-x' }).catch((e: unknown) => e);
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: { code: 'bad-request', message: expect.any(String) } });
    expect(unknownCode).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
  });
});
