/**
 * Case progress on a real platform, on SQLite and on PostgreSQL: a signed-in citizen's
 * ticket carries their pseudonym, the window opens a case for it and moves it through its
 * states; an illegal move is refused with the reason and changes nothing; a retried request
 * is answered as the first one was; the kiosk finds the case by pseudonym and by the
 * receipt's code; and no stored row holds the ID number.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { enrollDevice } from '../../../electron/services/sync-credential.ts';
import type { RunningServer } from '../../../server/app.ts';
import { queueOf } from '../../../server/queue/index.ts';
import { casesOf } from '../../../server/cases/index.ts';
import { hallInstant } from '../../../protocol/clock.ts';
import { idKeyOf } from '../../../protocol/id-key.ts';
import type { CaseAnswer, CaseFiguresAnswer, CaseView } from '../../../protocol/cases.ts';
import { createDatabase, deviceSocket, removeTempDirs, Staff, startPostgres, tempDir, testServer, type Service } from '../server/helpers.ts';

const ID_NUMBER = '440106199001011234';
const TUESDAY = hallInstant('2026-11-03', '10:00');

let pg: Service | null = null;
let dbCount = 0;
const servers: RunningServer[] = [];
const sockets: Socket[] = [];

beforeAll(async () => {
  pg = await startPostgres();
}, 60_000);
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  for (const s of servers.splice(0)) await s.close();
});
afterAll(async () => {
  await pg?.stop();
  removeTempDirs();
});

type Answer<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
const ask = <T>(s: Socket, event: string, payload: unknown) => s.timeout(10_000).emitWithAck(event, payload) as Promise<Answer<T>>;

async function hall(kind: 'sqlite' | 'postgres') {
  const db = kind === 'postgres' ? await createDatabase(pg!.url, `cases_${++dbCount}_${process.pid}`) : undefined;
  const server = await testServer({ db });
  servers.push(server);
  let now = TUESDAY;
  const clock = { now: () => now };
  queueOf(server.ctx)!.clock.source = clock;
  casesOf(server.ctx)!.now = clock.now;
  const staff = await Staff.login(server.url);
  const cred = await enrollDevice({ dataDir: tempDir(), url: server.url, code: await staff.code('kiosk'), kind: 'kiosk', deviceId: `kiosk-${kind}` });
  const socket = await deviceSocket(server.url, cred);
  sockets.push(socket);
  const idKey = idKeyOf(ID_NUMBER, server.ctx.idKey.secret);
  const take = await ask<{ ticket: { id: string } }>(socket, 'queue:take', { itemCode: 'GZ-GA-002', maskedId: '4401**********1234', idKey, requestId: randomUUID() });
  if (!take.ok) throw new Error(take.error.message);
  return { server, staff, socket, idKey, ticketId: take.value.ticket.id, setNow: (t: number) => (now = t) };
}

const move = (staff: Staff, c: CaseView, to: string, extra: Record<string, unknown> = {}, requestId = randomUUID()) =>
  staff.call<CaseAnswer & { error?: { code: string; message: string } }>('POST', `/api/cases/${c.id}/move`, { requestId, to, ...extra });

describe.each(['sqlite', 'postgres'] as const)('cases on %s', (kind) => {
  it('opens a case for a bound ticket and walks it to 已领取, the kiosk seeing each state by card and by code', async () => {
    const { staff, socket, idKey, ticketId } = await hall(kind);
    const opened = await staff.call<CaseAnswer>('POST', '/api/cases', { requestId: randomUUID(), windowId: 'B02', ticketId });
    expect(opened.status).toBe(200);
    const c = opened.body.case;
    expect(c).toMatchObject({ itemCode: 'GZ-GA-002', itemName: '户口迁入', state: 'accepted', bound: true, windowId: 'B02', number: '20261103-0001' });
    expect(c.lookupCode).toMatch(/^[2-9A-HJKMNP-Z]{10}$/);
    expect(opened.body.materials).toEqual(['居民身份证', '居民户口簿']);
    // 10 working days from Tuesday 3 November: 4–6, 9–13, 16, 17.
    expect(c.dueBy).toBe('2026-11-17');

    expect((await move(staff, c, 'reviewing')).status).toBe(200);
    const returned = await move(staff, c, 'returned', { missing: ['居民户口簿'] });
    expect(returned.body.case.state).toBe('returned');
    expect((await move(staff, c, 'reviewing')).status).toBe(200);
    for (const to of ['done', 'ready', 'collected']) expect((await move(staff, c, to)).body.case.state).toBe(to);

    const mine = await ask<CaseView[]>(socket, 'cases:mine', { idKey });
    expect(mine.ok && mine.value.map((x) => x.id)).toEqual([c.id]);
    const byCode = await ask<CaseView>(socket, 'cases:lookup', { code: c.lookupCode });
    expect(byCode.ok && byCode.value.timeline.map((e) => e.state)).toEqual(['accepted', 'reviewing', 'returned', 'reviewing', 'done', 'ready', 'collected']);
    expect(byCode.ok && byCode.value.timeline[2].missing).toEqual(['居民户口簿']);
    expect(await ask(socket, 'cases:lookup', { code: 'ZZZZZZZZZZ' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await ask(socket, 'cases:mine', { idKey: idKeyOf('11010519491231002X', 'x'.repeat(32)) })).toEqual({ ok: true, value: [] });
  });

  it('refuses 已领取 before 办结 with the reason and leaves the case as it was', async () => {
    const { staff, ticketId } = await hall(kind);
    const c = (await staff.call<CaseAnswer>('POST', '/api/cases', { requestId: randomUUID(), windowId: 'B02', ticketId })).body.case;
    await move(staff, c, 'reviewing');
    const refused = await move(staff, c, 'collected');
    expect(refused.status).toBe(409);
    expect(refused.body.error?.message).toBe('a case in 审核中 (reviewing) cannot move to 已领取 (collected); next is 办结 or 退回补正');
    const unknown = await move(staff, c, 'returned', { missing: ['结婚证'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error?.message).toMatch(/not among the item's materials: 结婚证/);
    const now = await staff.call<CaseAnswer>('GET', `/api/cases/${c.id}`);
    expect(now.body.case.state).toBe('reviewing');
    expect(now.body.case.timeline).toHaveLength(2);
  });

  it('answers a retried open and a retried move as the first, recording each once', async () => {
    const { server, staff, ticketId } = await hall(kind);
    const open = { requestId: randomUUID(), windowId: 'B02', ticketId };
    const [a, b] = await Promise.all([staff.call<CaseAnswer>('POST', '/api/cases', open), staff.call<CaseAnswer>('POST', '/api/cases', open)]);
    expect(a.body.case.id).toBe(b.body.case.id);
    const c = a.body.case;
    const requestId = randomUUID();
    const moves = await Promise.all([move(staff, c, 'reviewing', {}, requestId), move(staff, c, 'reviewing', {}, requestId)]);
    expect(moves.map((m) => m.status)).toEqual([200, 200]);
    // The same request after the case moved on is still the first one's answer, not a refusal.
    await move(staff, c, 'done');
    expect((await move(staff, c, 'reviewing', {}, requestId)).status).toBe(200);
    // A double click (a new request id for the step already made) adds nothing either.
    expect((await move(staff, c, 'done')).status).toBe(200);
    const rows = await server.ctx.db.query<{ state: string }>('SELECT state FROM case_events WHERE case_id = ? ORDER BY seq', [c.id]);
    expect(rows.map((r) => r.state)).toEqual(['accepted', 'reviewing', 'done']);
    expect(await server.ctx.db.query('SELECT id FROM cases')).toHaveLength(1);
  });

  it('keeps no ID number or masked number in the rows it stores', async () => {
    const { server, staff, ticketId, idKey } = await hall(kind);
    const c = (await staff.call<CaseAnswer>('POST', '/api/cases', { requestId: randomUUID(), windowId: 'B02', ticketId })).body.case;
    await move(staff, c, 'returned', { missing: ['居民户口簿'] });
    const dump = JSON.stringify([
      await server.ctx.db.query('SELECT * FROM cases'),
      await server.ctx.db.query('SELECT * FROM case_events'),
      await server.ctx.db.query('SELECT * FROM queue_tickets'),
    ]);
    expect(dump).not.toContain(ID_NUMBER);
    expect(dump).not.toContain('4401**********1234');
    expect(dump).not.toContain('1234"');
    expect(dump).toContain(idKey);
  });

  it('counts cases by state and lists the running ones past the item\'s promised days', async () => {
    const { staff, ticketId, setNow } = await hall(kind);
    const late = (await staff.call<CaseAnswer>('POST', '/api/cases', { requestId: randomUUID(), windowId: 'B02', ticketId })).body.case;
    const finished = (await staff.call<CaseAnswer>('POST', '/api/cases', { requestId: randomUUID(), windowId: 'B03', itemCode: 'GZ-GA-002' })).body.case;
    expect(finished.bound).toBe(false);
    await move(staff, finished, 'reviewing');
    await move(staff, finished, 'done');
    setNow(hallInstant('2026-11-17', '17:00'));
    let figures = (await staff.call<CaseFiguresAnswer>('GET', '/api/cases/figures')).body;
    expect(figures.byState).toMatchObject({ accepted: 1, done: 1, reviewing: 0 });
    expect(figures.overdue).toEqual([]);
    setNow(hallInstant('2026-11-18', '09:00'));
    figures = (await staff.call<CaseFiguresAnswer>('GET', '/api/cases/figures')).body;
    expect(figures.overdue.map((c) => c.id)).toEqual([late.id]);
    expect(figures.overdue[0].overdue).toBe(true);
  });

  it('refuses an open without an item, for an unknown ticket or window, with the reason', async () => {
    const { staff } = await hall(kind);
    const noItem = await staff.call('POST', '/api/cases', { requestId: randomUUID(), windowId: 'B02' });
    expect(noItem).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/name the item accepted/) } } });
    const noTicket = await staff.call('POST', '/api/cases', { requestId: randomUUID(), windowId: 'B02', ticketId: randomUUID() });
    expect(noTicket).toMatchObject({ status: 404, body: { error: { message: 'no such ticket' } } });
    const noWindow = await staff.call('POST', '/api/cases', { requestId: randomUUID(), windowId: 'Z99', itemCode: 'GZ-GA-002' });
    expect(noWindow).toMatchObject({ status: 400, body: { error: { message: 'window Z99 is not in this hall' } } });
  });
});
