/**
 * outbox-disk-full: the disk under a terminal's outbox fills up, the way a log left to
 * grow fills a kiosk's data partition. The terminal's data folder must be its own small
 * filesystem (mountSmallFolder, before the terminal starts); the fault fills it with one
 * file until a write gets a real ENOSPC, and restore deletes that file, as a technician
 * clearing the disk would. Recovered when the outbox has recorded a transaction since
 * the space came back and the platform has acknowledged it (and so all before it).
 */
import { execFile } from 'node:child_process';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { FaultClass, SoakHall } from '../contract.ts';
import { readOutbox, sentSince, type OutboxState } from './outbox-file.ts';
import { freeBytes, mountAt, totalBytes } from './small-folder.ts';
import { terminalHealth, terminalOf } from './terminal-health.ts';

const run = promisify(execFile);

/** The file that takes the space; its name says who put it there. */
export const FILLER = 'soak-disk-full.filler';

export interface OutboxDiskFullOptions {
  terminal: string;
  holdMs?: number;
  /** Refuse to fill a filesystem larger than this (default 1 GiB): it is not a test folder. */
  maxFolderBytes?: number;
}

/** Writes zeros until the filesystem refuses: what fallocate left (rounding, metadata) is taken too. */
function topUp(file: string): void {
  const fd = openSync(file, 'a');
  const chunk = Buffer.alloc(4096);
  try {
    for (;;) {
      try {
        writeSync(fd, chunk);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOSPC') return;
        throw err;
      }
    }
  } finally {
    closeSync(fd);
  }
}

/** Whether a one-byte write in `dir` fails with ENOSPC, as the outbox's next write would. */
export function writeRefused(dir: string): boolean {
  const probe = join(dir, `${FILLER}.probe`);
  try {
    const fd = openSync(probe, 'w');
    try {
      writeSync(fd, Buffer.alloc(1));
      return false;
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOSPC') return true;
    throw err;
  } finally {
    rmSync(probe, { force: true });
  }
}

function checkedFolder(hall: SoakHall, terminal: string, maxBytes: number): string {
  const t = terminalOf(hall, terminal);
  const mount = mountAt(t.dataDir);
  // Filling a folder that shares the machine's disk would fill that disk for everyone.
  if (!mount) throw new Error(`outbox-disk-full: ${t.dataDir} is not its own filesystem; mount a small one there (mountSmallFolder) before the terminal starts`);
  const size = totalBytes(t.dataDir);
  if (size > maxBytes) throw new Error(`outbox-disk-full: ${t.dataDir} is a ${size}-byte ${mount.fsType}, over the ${maxBytes}-byte limit for a folder this fault may fill`);
  return t.dataDir;
}

export function outboxDiskFull(opts: OutboxDiskFullOptions): FaultClass {
  const maxBytes = opts.maxFolderBytes ?? 1024 * 1024 * 1024;
  let atRestore: OutboxState | null = null;
  return {
    name: 'outbox-disk-full',
    target: opts.terminal,
    holdMs: opts.holdMs ?? 10_000,
    async inject(hall) {
      atRestore = null;
      const dir = checkedFolder(hall, opts.terminal, maxBytes);
      const filler = join(dir, FILLER);
      const free = freeBytes(dir);
      if (free > 0) await run('fallocate', ['-l', String(free), filler]);
      topUp(filler);
      if (!writeRefused(dir)) throw new Error(`outbox-disk-full: ${dir} still takes writes after filling it`);
      hall.note('outbox-disk-full', { terminal: opts.terminal, filledBytes: free });
    },
    async restore(hall) {
      const dir = checkedFolder(hall, opts.terminal, maxBytes);
      rmSync(join(dir, FILLER), { force: true });
      atRestore = readOutbox(dir);
      hall.note('outbox-disk-freed', { terminal: opts.terminal, pending: atRestore.pending });
    },
    async noticed(hall) {
      return (await terminalHealth(hall, opts.terminal))?.outbox?.writable === false;
    },
    // Back when the terminal itself says its outbox writes again and what it held has been
    // written since (a quiet night holds nothing, so that part waits for no citizen).
    async recovered(hall) {
      if (!atRestore) return false;
      const outbox = (await terminalHealth(hall, opts.terminal))?.outbox;
      if (!outbox?.writable) return false;
      return outbox.pending === 0 || sentSince(atRestore, readOutbox(terminalOf(hall, opts.terminal).dataDir));
    },
  };
}
