/**
 * Personal data on the platform. The hall's ID key outside the database: where it comes
 * from, what a platform refuses to start with, the move of an older install's key row,
 * the fingerprint that stops a node with another key, which devices are given it — and
 * an attacker holding a copy of the whole database trying to recover a booked citizen's
 * identity number. Transactions carrying personal data in clear are refused.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { io as connect, type Socket } from 'socket.io-client';
import type { RunningServer } from '../../../server/app.ts';
import { openDb } from '../../../server/db/open.ts';
import { DEVICE_MIGRATIONS } from '../../../server/devices/index.ts';
import { idKeyOf } from '../../../protocol/id-key.ts';
import { QUEUE_MIGRATIONS } from '../../../server/queue/store.ts';
import { idCheckDigit } from '../../../drivers/idcard/text.ts';
import { maskIdNumber } from '../../../electron/services/session.ts';
import { enrollDevice } from '../../../electron/services/sync-credential.ts';
import { EVENTS, type BatchAck, type HelloAck } from '../../../protocol/sync.ts';
import { idKeyFileFor, removeTempDirs, Staff, tempDir, testServer } from './helpers.ts';

const servers: RunningServer[] = [];
const sockets: Socket[] = [];
async function start(extra: Parameters<typeof testServer>[0] = {}): Promise<RunningServer> {
  const s = await testServer(extra);
  servers.push(s);
  return s;
}
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  for (const s of servers.splice(0)) await s.close();
});
afterAll(() => removeTempDirs());

/** An enrolled device's socket and the platform's hello answer to it. */
async function device(server: RunningServer, kind: 'kiosk' | 'load' | 'robot'): Promise<{ socket: Socket; hello: HelloAck; deviceId: string }> {
  const staff = await Staff.login(server.url);
  const cred = await enrollDevice({ dataDir: tempDir(), url: server.url, code: await staff.code(kind), kind });
  const socket = connect(server.url, { transports: ['websocket'], auth: { deviceId: cred.deviceId, secret: cred.secret, protocol: 1 }, reconnection: false });
  sockets.push(socket);
  await new Promise((r) => socket.once('connect', () => r(null)));
  const hello = (await socket.timeout(10_000).emitWithAck(EVENTS.hello, { configVersion: 0, lastAssignedSeq: 0, pending: 0 })) as HelloAck;
  return { socket, hello, deviceId: cred.deviceId };
}

describe('the ID key file', () => {
  it('is made on first start with mode 0600 in a 0700 folder, and the database never holds it', async () => {
    const dataDir = tempDir();
    const server = await start({ dataDir });
    const file = join(dataDir, 'keys', 'id-key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, 'keys')).mode & 0o777).toBe(0o700);
    const secret = readFileSync(file, 'utf8').trim();
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(server.ctx.idKey.secret).toBe(secret);
    expect(await server.ctx.db.query('SELECT name FROM hall_secrets')).toEqual([]);
  });

  it('refuses a key file others can read, or one too short, saying which', async () => {
    const open = join(tempDir(), 'id-key');
    writeFileSync(open, `${'k'.repeat(40)}\n`, { mode: 0o600 });
    chmodSync(open, 0o644);
    await expect(testServer({ idKeyFile: open })).rejects.toThrow(/open to group or others.*chmod 600/);
    const short = join(tempDir(), 'id-key');
    writeFileSync(short, 'too-short\n', { mode: 0o600 });
    await expect(testServer({ idKeyFile: short })).rejects.toThrow(/holds 9 characters; it needs at least 32/);
  });

  it('moves an older install key row to the file once, so its bookings stay findable', async () => {
    const dataDir = tempDir();
    const old = openDb(undefined, dataDir);
    await old.migrate('devices', DEVICE_MIGRATIONS);
    const legacy = 'an-older-install-kept-its-key-in-the-database-row';
    await old.run('INSERT INTO hall_secrets (name, value, created_at) VALUES (?, ?, ?)', ['id-key', legacy, new Date().toISOString()]);
    await old.migrate('queue', QUEUE_MIGRATIONS.slice(0, 1));
    const idNumber = '440104196803150038';
    await old.run(
      "INSERT INTO queue_appointments (id, item_code, group_id, date, slot_start, slot_end, id_key, state, created_at) VALUES ('ap-old', 'GZ-SB-001', 'social', '2099-01-05', '09:00', '10:00', ?, 'booked', 0)",
      [idKeyOf(idNumber, legacy)],
    );
    await old.close();
    const server = await start({ dataDir });
    expect(server.ctx.idKey.secret).toBe(legacy);
    expect(readFileSync(join(dataDir, 'keys', 'id-key'), 'utf8').trim()).toBe(legacy);
    expect(await server.ctx.db.query("SELECT name FROM hall_secrets WHERE name = 'id-key'")).toEqual([]);
    // A kiosk given the moved key finds the booking made under the old one.
    const { socket, hello } = await device(server, 'kiosk');
    const mine = (await socket.timeout(10_000).emitWithAck('appointments:list', { idKey: idKeyOf(idNumber, hello.idKeySecret!) })) as { ok: true; value: { id: string }[] };
    expect(mine.value.map((a) => a.id)).toEqual(['ap-old']);
  });

  it('blanks the masked numbers an older install kept beside ID keys', async () => {
    const dataDir = tempDir();
    const old = openDb(undefined, dataDir);
    await old.migrate('queue', QUEUE_MIGRATIONS.slice(0, 1));
    await old.run(
      "INSERT INTO queue_appointments (id, item_code, group_id, date, slot_start, slot_end, id_key, masked_id, state, created_at) VALUES ('ap-1', 'GZ-SB-001', 'social', '2026-09-30', '09:00', '10:00', ?, '4401**********1234', 'checked-in', 0)",
      ['f'.repeat(64)],
    );
    const ticket = "INSERT INTO queue_tickets (id, day, home_group, seq, number, group_id, class, state, issued_at, queued_at, origin, masked_id, appointment_id) VALUES (?, '2026-09-30', 'social', ?, ?, 'social', 0, 'waiting', 0, 0, 'online', '4401**********1234', ?)";
    await old.run(ticket, ['t-appointment', 1, 'A001', 'ap-1']);
    await old.run(ticket, ['t-walk-in', 2, 'A002', null]);
    await old.close();
    const server = await start({ dataDir });
    expect(await server.ctx.db.query('SELECT masked_id FROM queue_appointments')).toEqual([{ masked_id: null }]);
    expect(await server.ctx.db.query('SELECT id, masked_id FROM queue_tickets ORDER BY id')).toEqual([
      { id: 't-appointment', masked_id: null },
      { id: 't-walk-in', masked_id: '4401**********1234' },
    ]);
  });

  it('stops a node whose key is not the one the database was used with', async () => {
    const dataDir = tempDir();
    const first = await start({ dataDir, idKeyFile: idKeyFileFor(tempDir()) });
    await first.close();
    await expect(testServer({ dataDir, idKeyFile: idKeyFileFor(tempDir()) })).rejects.toThrow(/is not the key this database was used with.*give every node of a cluster that same file/);
  });

  it('is given to kiosks and not to load devices', async () => {
    const server = await start();
    expect((await device(server, 'kiosk')).hello.idKeySecret).toBe(server.ctx.idKey.secret);
    const load = await device(server, 'load');
    expect(load.hello.ok).toBe(true);
    expect(load.hello).not.toHaveProperty('idKeySecret');
  });
});

// ---------------------------------------------------------------- the attacker

const DAY_MS = 86_400_000;
const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** yyyymmdd of every day in [from, to] (years, inclusive). */
function birthDates(from: number, to: number): string[] {
  const out: string[] = [];
  for (let t = Date.UTC(from, 0, 1); t <= Date.UTC(to, 11, 31); t += DAY_MS) {
    const d = new Date(t);
    out.push(`${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)}`);
  }
  return out;
}

/**
 * Every 18-digit resident number a mask like 4401**********1234 allows (the region's last
 * two digits, the birth date; the sequence and check digit shown), tried under each key.
 */
function reverse(mask: string, idKey: string, keys: string[], dates: string[]): string | null {
  const prefix = mask.slice(0, 4);
  const tail = mask.slice(-4);
  for (let r = 0; r < 100; r++) {
    for (const date of dates) {
      const first17 = `${prefix}${pad(r, 2)}${date}${tail.slice(0, 3)}`;
      if (idCheckDigit(first17) !== tail[3]) continue;
      const candidate = `${first17}${tail[3]}`;
      for (const key of keys) if (idKeyOf(candidate, key) === idKey) return candidate;
    }
  }
  return null;
}

describe('an attacker with a copy of the whole database', () => {
  it('cannot recover a booked identity number, and without a mask the key alone leaves ≥ 10^9 candidates', { timeout: 120_000 }, async () => {
    const server = await start();
    const idNumber = `44010619880315003${idCheckDigit('44010619880315003')}`;
    const mask = maskIdNumber(idNumber);

    // Booked the way a kiosk does it, over its socket (an older kiosk also sent the mask).
    const { socket, hello } = await device(server, 'kiosk');
    const slots = (await socket.timeout(10_000).emitWithAck('appointments:slots', { itemCode: 'GZ-SB-001' })) as { ok: true; value: { date: string; slots: { start: string; bookable: boolean }[] }[] };
    const day = slots.value.find((d) => d.slots.some((s) => s.bookable))!;
    const booked = (await socket.timeout(10_000).emitWithAck('appointments:book', {
      itemCode: 'GZ-SB-001',
      date: day.date,
      start: day.slots.find((s) => s.bookable)!.start,
      idKey: idKeyOf(idNumber, hello.idKeySecret!),
      maskedId: mask,
    })) as { ok: boolean };
    expect(booked.ok).toBe(true);

    // Everything the database holds, every table.
    const db = server.ctx.db;
    const tables = (await db.query<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")).map((t) => t.name);
    const cells: string[] = [];
    for (const t of tables) for (const row of await db.query<Record<string, unknown>>(`SELECT * FROM ${t}`)) cells.push(...Object.values(row).filter((v): v is string => typeof v === 'string'));
    const rows = await db.query<{ id_key: string; masked_id: string | null }>('SELECT id_key, masked_id FROM queue_appointments');
    expect(rows).toHaveLength(1);
    expect(rows[0].masked_id).toBeNull();
    expect(cells.some((c) => c.includes(server.ctx.idKey.secret))).toBe(false);

    // Key material: any stored string long enough to be a key that is not a bulk document.
    const keys = [...new Set(cells.filter((c) => c.length >= 32 && c.length <= 256))];
    expect(keys.length).toBeGreaterThan(0);
    // Generous to the attacker: the mask a kiosk shows (as if learned elsewhere) and the test's region.
    const dates = birthDates(1940, 2010);
    expect(reverse(mask, rows[0].id_key, keys, dates)).toBeNull();
    // The same search with the key file in hand does find it: the search above was a real one.
    expect(reverse(mask, rows[0].id_key, [server.ctx.idKey.secret], dates)).toBe(idNumber);

    // With the key file but no mask: every county-level region of GB/T 2260 (about 3,200),
    // a century of birth dates, every sequence; the check digit follows from the rest.
    const candidates = 3200 * birthDates(1926, 2026).length * 1000;
    expect(candidates).toBeGreaterThanOrEqual(1e9);
  });
});

describe('transactions with personal data in clear', () => {
  it('are refused on arrival, stored nowhere and never returned by /api/transactions', async () => {
    const server = await start({ testTransactions: false });
    const { socket, deviceId } = await device(server, 'kiosk');
    const at = new Date().toISOString();
    const tx = (seq: number, type: string, payload: Record<string, unknown>) => ({ id: randomUUID(), seq, type, at, payload });
    const ack = (await socket.timeout(10_000).emitWithAck(EVENTS.batch, {
      batchId: randomUUID(),
      txs: [
        tx(1, 'appointment', { appointmentId: 'a1', action: 'booked', itemCode: 'GZ-SB-001', date: '2026-12-01', slot: { start: '09:00', end: '10:00' }, idNumber: '440106199001011234', fullName: '欧阳娜娜' }),
        tx(2, 'signin', { maskedName: '*欧阳娜娜', maskedId: '4401**********1234', cardType: 'resident' }),
        tx(3, 'test.anything', { idNumber: '440106199001011234' }),
        tx(4, 'signin', { maskedName: '欧**娜', maskedId: '4401**********1234', cardType: 'resident' }),
      ],
    })) as BatchAck;
    expect(ack.ok && ack.results.map((r) => [r.status, r.code])).toEqual([
      ['rejected', 'bad-payload'],
      ['rejected', 'bad-payload'],
      ['rejected', 'bad-payload'],
      ['applied', undefined],
    ]);
    const staff = await Staff.login(server.url);
    const listed = JSON.stringify((await staff.call('GET', `/api/transactions?device=${deviceId}&limit=50`)).body);
    expect(listed).toContain('欧**娜');
    expect(listed).not.toMatch(/440106199001011234|欧阳娜娜|idNumber|fullName/);
  });
});

describe('offline number blocks', () => {
  type Answer = { ok: true; value: { blockId: string; day: string; firstSeq: number; lastSeq: number } } | { ok: false; error: { code: string; message: string } };
  const reserve = async (socket: Socket, payload: Record<string, unknown> = { groupId: 'social' }) => (await socket.timeout(10_000).emitWithAck('queue:reserve-block', payload)) as Answer;

  it('are limited per terminal, so four requests no longer use up a group, and load devices and printerless robots get none', async () => {
    const server = await start();
    const { socket } = await device(server, 'kiosk');
    // The attack: blocks of a thousand, four times.
    const big = await reserve(socket, { groupId: 'social', size: 1000 });
    expect(big).toMatchObject({ ok: false, error: { code: 'bad-request', message: 'a block holds at most 100 numbers in this hall' } });
    const four = [await reserve(socket), await reserve(socket), await reserve(socket), await reserve(socket)];
    expect(four.map((a) => a.ok)).toEqual([true, true, false, false]);
    expect(four[2]).toMatchObject({ error: { code: 'conflict', message: expect.stringContaining('already holds 2 unused blocks') } });

    // Another terminal still gets numbers right after them.
    const other = await device(server, 'kiosk');
    expect(await reserve(other.socket)).toMatchObject({ ok: true, value: { firstSeq: 5201, lastSeq: 5300 } });

    // Tickets issued from both blocks (reconciled through the real transaction path) make them used: one more, then the day's cap.
    const at = new Date().toISOString();
    const txs = four.slice(0, 2).map((a, i) => {
      const b = (a as Extract<Answer, { ok: true }>).value;
      return { id: randomUUID(), seq: i + 1, type: 'ticket', at, payload: { ticketId: randomUUID(), number: `A${b.firstSeq}`, groupId: 'social', offline: true, issuedAt: at, seq: b.firstSeq, day: b.day, blockId: b.blockId } };
    });
    const ack = (await socket.timeout(10_000).emitWithAck(EVENTS.batch, { batchId: randomUUID(), txs })) as BatchAck;
    expect(ack.ok && ack.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    expect((await reserve(socket)).ok).toBe(true);
    expect(await reserve(socket)).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining('its 3 blocks of group social for today') } });

    const load = await device(server, 'load');
    expect(await reserve(load.socket)).toMatchObject({ ok: false, error: { code: 'forbidden', message: 'a load device issues no tickets and gets no offline numbers' } });
    const robot = await device(server, 'robot');
    expect(await reserve(robot.socket)).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('no ticket printer') } });
  });
});
