/**
 * The robots' history at the platform: robot-trip transactions, synced like every other
 * transaction (also from an outbox that filled while offline), add up per robot and hall
 * day in GET /api/robots/history, for staff only, with a clear refusal of a bad range.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EVENTS, type BatchAck, type RobotTrip } from '../../../protocol/sync.ts';
import type { RobotHistoryAnswer } from '../../../protocol/platform-http.ts';
import { hallDay } from '../../../protocol/clock.ts';
import { enrollDevice } from '../../../electron/services/sync-credential.ts';
import { deviceSocket, kiosk, platformForFile, tempDir } from './helpers.ts';

const h = platformForFile();

const walk = (t: Partial<RobotTrip> = {}): RobotTrip => ({ kind: 'guide', target: 'B05', outcome: 'ok', metres: 40, seconds: 70, ...t });

describe('GET /api/robots/history', () => {
  it('adds up trips per robot and hall day, from a robot that was offline while it walked', async () => {
    // The robot's outbox records while the platform cannot be reached, and syncs later.
    const robot = await kiosk(h.server.url, await h.staff.code('kiosk', 1, 'robot-7'), { deviceId: 'robot-7', start: false });
    await robot.outbox.append('robot-trip', walk());
    await robot.outbox.append('robot-trip', walk({ kind: 'return', target: null, metres: 39.5 }));
    await robot.outbox.append('robot-trip', walk({ outcome: 'blocked', metres: 12 }));
    await robot.outbox.append('robot-trip', walk({ kind: 'dock', target: 'robot-dock', outcome: 'aborted', metres: 3 }));
    const today = hallDay(Date.now());
    const before = await h.staff.call<RobotHistoryAnswer>('GET', '/api/robots/history');
    expect(before.body.days.filter((d) => d.deviceId === 'robot-7')).toEqual([]);

    robot.client.start();
    await robot.outbox.drained();
    const after = await h.staff.call<RobotHistoryAnswer>('GET', '/api/robots/history');
    expect(after.status).toBe(200);
    expect(after.body.to).toBe(today);
    expect(after.body.days.filter((d) => d.deviceId === 'robot-7')).toEqual([
      { deviceId: 'robot-7', day: today, guidance: 2, arrived: 1, metres: 94.5, failures: { blocked: 1, aborted: 0, linkLost: 0, docking: 1 }, notFollowed: 0, stops: 0 },
    ]);
    await robot.close();
  });

  it('keeps each hall day apart and answers only the days asked for', async () => {
    const cred = await enrollDevice({ dataDir: tempDir(), url: h.server.url, code: await h.staff.code('kiosk', 1, 'robot-8'), kind: 'kiosk', deviceId: 'robot-8' });
    const socket = await deviceSocket(h.server.url, cred);
    await socket.timeout(10_000).emitWithAck(EVENTS.hello, { configVersion: 0, lastAssignedSeq: 3, pending: 3 });
    // 2026-03-01 23:30 and 2026-03-02 00:30 in the hall, and a day outside the range asked.
    const ats = ['2026-03-01T15:30:00.000Z', '2026-03-01T16:30:00.000Z', '2026-02-20T02:00:00.000Z'];
    const txs = ats.map((at, i) => ({ id: randomUUID(), seq: i + 1, type: 'robot-trip', at, payload: walk({ outcome: i === 1 ? 'link-lost' : 'ok' }) }));
    const ack = (await socket.timeout(10_000).emitWithAck(EVENTS.batch, { batchId: randomUUID(), txs })) as BatchAck;
    expect(ack.ok && ack.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    socket.disconnect();

    const res = await h.staff.call<RobotHistoryAnswer>('GET', '/api/robots/history?from=2026-03-01&to=2026-03-02');
    expect(res.body.days.map((d) => [d.day, d.deviceId, d.guidance, d.arrived, d.failures.linkLost])).toEqual([
      ['2026-03-02', 'robot-8', 1, 0, 1],
      ['2026-03-01', 'robot-8', 1, 1, 0],
    ]);
  });

  it('is for signed-in staff, and names what is wrong with a bad range', async () => {
    expect((await fetch(`${h.server.url}/api/robots/history`)).status).toBe(401);
    const backwards = await h.staff.call('GET', '/api/robots/history?from=2026-03-02&to=2026-03-01');
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.message).toMatch(/from \(2026-03-02\) is after to \(2026-03-01\)/);
    const malformed = await h.staff.call('GET', '/api/robots/history?from=yesterday');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toMatch(/from: a hall day YYYY-MM-DD/);
  });
});
