/**
 * The hall has one voice however many platform nodes serve it: a call made through one
 * node is announced to displays held by the other, which serves the same audio, and calls
 * made through both nodes at once are spoken one after the other, each exactly once.
 * Real PostgreSQL, Redis and espeak-ng; the platform has no speaker, so "speaking" is the
 * node holding the line for as long as the audio lasts (timedPlayer).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import type { RunningServer } from '../../../server/app.ts';
import { DISPLAY_NAMESPACE, queueOf } from '../../../server/queue/index.ts';
import type { Announcement, AnnouncerState } from '../../../protocol/queue-views.ts';
import { espeakAvailable } from '../../../models/speech/tts.ts';
import { createDatabase, idKeyFileFor, removeTempDirs, Staff, startPostgres, startRedis, tempDir, testServer, waitFor, type Service } from './helpers.ts';

let pg: Service;
let redis: Service;
let node1: RunningServer;
let node2: RunningServer;
let staff1: Staff;
let staff2: Staff;
let display1: Socket;
const heard: Announcement[] = [];

beforeAll(async () => {
  if (!espeakAvailable()) throw new Error('espeak-ng is needed for this test (Debian: apt-get install espeak-ng)');
  [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
  const db = await createDatabase(pg.url, 'voice');
  const idKeyFile = idKeyFileFor(tempDir());
  [node1, node2] = await Promise.all([testServer({ db, redis: redis.url, nodeId: 'n1', idKeyFile }), testServer({ db, redis: redis.url, nodeId: 'n2', idKeyFile })]);
  [staff1, staff2] = await Promise.all([Staff.login(node1.url), Staff.login(node2.url)]);
  display1 = connect(`${node1.url}${DISPLAY_NAMESPACE}`, { transports: ['websocket'] });
  display1.on('queue:announcement', (a: Announcement) => heard.push(a));
  await new Promise((r) => display1.once('connect', () => r(null)));
  const store = queueOf(node1.ctx)!.store;
  for (let i = 0; i < 4; i++) await store.issue({ groupId: 'social' });
  for (const [staff, w] of [[staff1, 'A01'], [staff2, 'A02'], [staff2, 'A03']] as const) {
    expect((await staff.call('POST', `/api/queue/windows/${w}/open`)).status).toBe(200);
  }
}, 90_000);

afterAll(async () => {
  display1?.close();
  await node1?.close();
  await node2?.close();
  await redis?.stop();
  await pg?.stop();
  removeTempDirs();
});

const announcements = async (url: string) => (await (await fetch(`${url}/api/queue/announcements`)).json()) as AnnouncerState;
const finished = (s: AnnouncerState, number: string) => s.recent.find((a) => a.number === number && a.state === 'done');

describe('one voice for the hall', () => {
  it('announces a call made through node 2 on a display held by node 1, with audio node 1 serves', async () => {
    const r = await staff2.call('POST', '/api/queue/windows/A02/call-next');
    expect(r.status).toBe(200);
    const number = r.body.call.number as string;
    const speaking = (await waitFor('node 1\'s display to hear the call spoken', () => heard.find((a) => a.number === number && a.state === 'speaking' && a.audio)))!;
    expect(speaking.text).toBe(`请${number}号到A02窗口办理`);

    const res = await fetch(`${node1.url}/api/queue/announcements/${speaking.id}/audio`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/wav');
    const wav = Buffer.from(await res.arrayBuffer());
    expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
    expect(wav.toString('ascii', 8, 12)).toBe('WAVE');
    // The same bytes from either node: one recording, not two syntheses.
    const again = Buffer.from(await (await fetch(`${node2.url}/api/queue/announcements/${speaking.id}/audio`)).arrayBuffer());
    expect(again.equals(wav)).toBe(true);
    await waitFor('the call to be spoken', async () => finished(await announcements(node1.url), number));
  });

  it('speaks calls made through both nodes at once one after the other, each once', async () => {
    const before = heard.length;
    const calls = await Promise.all([staff1.call('POST', '/api/queue/windows/A01/call-next'), staff2.call('POST', '/api/queue/windows/A03/call-next')]);
    const numbers = calls.map((c) => {
      expect(c.status).toBe(200);
      return c.body.call.number as string;
    });
    const done = await waitFor('both calls to be spoken', async () => {
      const s = await announcements(node2.url);
      const both = numbers.map((n) => finished(s, n));
      return both.every(Boolean) ? (both as Announcement[]) : null;
    }, 30_000);

    // Each spoken exactly once, in the hall's state and as the display heard it.
    const state = await announcements(node1.url);
    for (const n of numbers) expect(state.recent.filter((a) => a.number === n)).toHaveLength(1);
    const startsHeard = heard.slice(before).filter((a) => a.state === 'speaking');
    expect(startsHeard.map((a) => a.number).sort()).toEqual([...numbers].sort());

    // One after the other: the second began after the first ended.
    const [first, second] = [...done!].sort((a, b) => a.startedAt!.localeCompare(b.startedAt!));
    expect(second.startedAt! >= first.endedAt!).toBe(true);
    expect(state.speaking).toBeNull();
    expect(state.queued).toEqual([]);
  });
});
