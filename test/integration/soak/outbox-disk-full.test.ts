/**
 * outbox-disk-full against a real platform and a terminal's real outbox and sync client,
 * its data folder a 16 MiB tmpfs: filled, nothing new is recorded (this branch's outbox
 * refuses the append with SQLITE_FULL; main's, since 84ef4de, holds it in memory and
 * commits it once the disk takes it: the test holds for both) and nothing recorded is
 * lost; freed, the outbox writes again and drains. And a batch the platform acknowledges
 * while the disk is full: the terminal lives on and sends it again once there is room.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../server/app.ts';
import type { FaultHistoryAnswer } from '../../../protocol/platform-http.ts';
import { kiosk, removeTempDirs, Staff, tempDir, testServer, waitFor, type TestKiosk } from '../server/helpers.ts';
import { mountSmallFolder, type SmallFolder } from '../../../cli/soak/faults/small-folder.ts';
import { outboxDiskFull, writeRefused } from '../../../cli/soak/faults/outbox-disk-full.ts';
import { readOutbox } from '../../../cli/soak/faults/outbox-file.ts';
import { soakHall } from '../../helpers/soak-hall.ts';
import { Outbox } from '../../../electron/services/outbox.ts';

const FOLDER_BYTES = 16 * 1024 * 1024;
let server: RunningServer;
let staff: Staff;
const folders: SmallFolder[] = [];

beforeAll(async () => {
  server = await testServer();
  staff = await Staff.login(server.url);
});

afterAll(async () => {
  await server?.close();
  for (const f of folders) await f.unmount();
  removeTempDirs();
});

async function smallFolder(name: string): Promise<string> {
  const folder = await mountSmallFolder(join(tempDir('xj-soak-disk-'), name), FOLDER_BYTES);
  folders.push(folder);
  return folder.dir;
}

const atPlatform = async () => (await staff.call<{ count: number }>('GET', '/api/transactions/count')).body.count;
const rate = (k: TestKiosk, level: number) => k.outbox.append('rating', { level, reasons: [] });

describe('outbox-disk-full', () => {
  it('refuses writes while the folder is full and drains once it is freed, losing nothing', async () => {
    const dataDir = await smallFolder('kiosk-disk');
    const k = await kiosk(server.url, await staff.code('kiosk', 1, 'kiosk-disk'), { dataDir });
    try {
      const before = await atPlatform();
      for (let i = 0; i < 5; i++) await rate(k, 5);
      await k.outbox.drained();
      const hall = soakHall(server.url, { 'kiosk-disk': { url: '', dataDir, pid: () => process.pid } });
      const fault = outboxDiskFull({ terminal: 'kiosk-disk', holdMs: 1000 });

      await fault.inject(hall);
      expect(writeRefused(dataDir)).toBe(true);
      // A citizen's action meets a disk that refuses: the outbox does not record it while
      // the disk is full. Today the append is refused (SQLITE_FULL); an outbox that holds it
      // in memory until the disk takes it resolves it later. Either way: no false "done".
      const during = rate(k, 4).then(
        () => true,
        (err: { code?: string }) => {
          expect(err.code).toBe('SQLITE_FULL');
          return false;
        },
      );
      const atFull = readOutbox(dataDir);
      // The commit has been tried: refused, or held ('unwritable' from an outbox that holds).
      await Promise.race([during, once(k.outbox, 'unwritable')]);
      expect(readOutbox(dataDir)).toEqual(atFull);
      expect(atFull.pending).toBe(0);
      // What the terminal's health check shows (the fault's recovered() reads it there).
      expect(k.outbox.status().writable).toBe(false);

      await fault.restore(hall);
      expect(writeRefused(dataDir)).toBe(false);
      await rate(k, 3);
      await waitFor('the outbox to write again', () => k.outbox.status().writable);
      const kept = await during;
      await k.outbox.drained();
      expect(readOutbox(dataDir).pending).toBe(0);
      // Every append that resolved is at the platform once; a refused one is not.
      expect(await atPlatform()).toBe(before + 5 + (kept ? 1 : 0) + 1);
      expect(hall.notes.map((n) => n.event)).toEqual(['outbox-disk-full', 'outbox-disk-freed']);
    } finally {
      await k.close();
    }
  });

  it('sees a full disk in a quiet hour, with nothing to write, and says when it is over', async () => {
    const dataDir = await smallFolder('kiosk-quiet');
    const outbox = new Outbox({ dataDir, minFreeBytes: 0 });
    try {
      await outbox.append('rating', { level: 5, reasons: [] });
      const events: { name: string; since?: string; until?: string }[] = [];
      outbox.on('unwritable', (u: { since: string }) => events.push({ name: 'unwritable', since: u.since }));
      outbox.on('writable', (w: { since: string; until: string }) => events.push({ name: 'writable', since: w.since, until: w.until }));
      const hall = soakHall(server.url, { 'kiosk-quiet': { url: '', dataDir, pid: () => null } });
      const fault = outboxDiskFull({ terminal: 'kiosk-quiet' });
      await fault.inject(hall);
      await waitFor('the outbox to see the disk full', () => outbox.status().writable === false);
      expect(events.map((e) => e.name)).toEqual(['unwritable']);
      await fault.restore(hall);
      await waitFor('the outbox to see room again', () => outbox.status().writable);
      expect(events.map((e) => e.name)).toEqual(['unwritable', 'writable']);
      expect(events[1].since).toBe(events[0].since);
      expect(outbox.pending).toBe(1);
    } finally {
      await outbox.close();
    }
  });

  it('shows a full disk on the console while it lasts, and the outbox’s later record of it adds no second episode', async () => {
    const dataDir = await smallFolder('kiosk-shown');
    const k = await kiosk(server.url, await staff.code('kiosk', 1, 'kiosk-shown'), { dataDir });
    const outboxEpisodes = async () =>
      (await staff.call<FaultHistoryAnswer>('GET', '/api/console/faults')).body.episodes.filter((e) => e.terminal === k.deviceId && e.device === 'outbox');
    try {
      await waitFor('kiosk online', () => k.client.online);
      const hall = soakHall(server.url, { 'kiosk-shown': { url: '', dataDir, pid: () => null } });
      const fault = outboxDiskFull({ terminal: 'kiosk-shown' });
      await fault.inject(hall);
      const open = await waitFor('an open disk episode on the console', async () => (await outboxEpisodes()).find((e) => e.recoveredAt === null));
      // Shown while the disk is still full: nothing the terminal could have written.
      expect(writeRefused(dataDir)).toBe(true);
      expect(open).toMatchObject({ kind: 'disk', detail: expect.stringMatching(/ENOSPC|SQLITE_FULL|full/i) });
      const since = k.outbox.diskFault!.since;
      expect(open.startedAt).toBe(since);

      await fault.restore(hall);
      await waitFor('the episode closed', async () => (await outboxEpisodes()).find((e) => e.startedAt === since && e.recoveredAt));
      // What the terminal's fault log records once it writes again (electron/services/sync.ts): the same outage.
      await k.outbox.append('device-fault', { device: 'outbox', kind: 'disk', state: 'faulty', since, detail: 'ENOSPC' });
      await k.outbox.append('device-fault', { device: 'outbox', kind: 'disk', state: 'ok', since: new Date().toISOString() });
      await k.outbox.drained();
      const episodes = await outboxEpisodes();
      expect(episodes).toHaveLength(1);
      expect(episodes[0].recoveredAt).not.toBeNull();
    } finally {
      await k.close();
    }
  });

  it('refuses a data folder that is not its own small filesystem', async () => {
    const hall = soakHall(server.url, { 'kiosk-x': { url: '', dataDir: tempDir(), pid: () => null } });
    await expect(outboxDiskFull({ terminal: 'kiosk-x' }).inject(hall)).rejects.toThrow(/not its own filesystem/);
    await expect(outboxDiskFull({ terminal: 'kiosk-y' }).inject(hall)).rejects.toThrow(/no terminal kiosk-y/);
  });

  it('a batch acknowledged while the disk is full stays and goes again once there is room; the terminal process lives on', async () => {
    const dataDir = await smallFolder('kiosk-settle');
    const hall = soakHall(server.url, { 'kiosk-settle': { url: '', dataDir, pid: () => null } });
    const fault = outboxDiskFull({ terminal: 'kiosk-settle' });
    // The child records three transactions, waits for the disk to fill, then is given a
    // sender that acknowledges them, as the platform does; it has no rejection guard.
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, 'outbox-settle-child.ts'), dataDir], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.resume();
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    await waitFor('the child to record its transactions', () => stdout.includes('recorded 3'));
    await fault.inject(hall);
    child.stdin.end('go\n');
    await waitFor('the acknowledged rows to be refused by the full disk', () => /retry: acknowledged rows could not be removed: .*full/i.test(stdout));
    expect(child.exitCode).toBeNull();
    expect(readOutbox(dataDir).pending).toBe(3);
    await fault.restore(hall);
    expect(await exited).toBe(0);
    expect(stdout).toContain('drained');
    // Sent again once there was room: the same three, acknowledged (the platform would answer duplicate).
    expect(stdout.match(/acknowledged 3/g)!.length).toBeGreaterThanOrEqual(2);
    expect(readOutbox(dataDir).pending).toBe(0);
  });
});
