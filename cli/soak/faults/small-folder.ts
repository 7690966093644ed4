/**
 * A folder on its own size-limited filesystem (tmpfs), so a fault can fill it to a real
 * ENOSPC without touching the machine's disk. Mounting needs root (CAP_SYS_ADMIN); the
 * soak runs as root on its machine, and where it cannot mount it says so instead of
 * filling a shared disk.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, realpathSync, statfsSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface SmallFolder {
  dir: string;
  sizeBytes: number;
  unmount(): Promise<void>;
}

/** Mounts a tmpfs of `sizeBytes` on `dir` (created if missing, and expected empty). */
export async function mountSmallFolder(dir: string, sizeBytes: number): Promise<SmallFolder> {
  if (!Number.isInteger(sizeBytes) || sizeBytes < 1024 * 1024) throw new Error(`a small folder needs at least 1 MiB, got ${sizeBytes} bytes`);
  mkdirSync(dir, { recursive: true });
  if (readdirSync(dir).length) throw new Error(`${dir} is not empty: mounting over it would hide its files from the terminal`);
  try {
    await run('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes},mode=0700`, 'tmpfs', dir]);
  } catch (err) {
    const why = (err as { stderr?: string }).stderr?.trim() || (err as Error).message;
    throw new Error(`could not mount a ${sizeBytes}-byte tmpfs on ${dir} (root or CAP_SYS_ADMIN is needed): ${why}`, { cause: err });
  }
  return {
    dir,
    sizeBytes,
    async unmount() {
      // Lazy: a terminal that is still closing its outbox must not keep the mount for good.
      await run('umount', ['-l', dir]);
    },
  };
}

export interface MountInfo {
  mountPoint: string;
  fsType: string;
  source: string;
}

function unescapeMount(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** The mount whose root is exactly `dir`, or null when `dir` lives on its parent's filesystem. */
export function mountAt(dir: string): MountInfo | null {
  const want = realpathSync(dir);
  let found: MountInfo | null = null;
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const [left, right] = line.split(' - ');
    if (!right) continue;
    const mountPoint = unescapeMount(left.split(' ')[4]);
    const [fsType, source] = right.split(' ');
    // The last mount on a point is the one in force.
    if (mountPoint === want) found = { mountPoint, fsType, source };
  }
  return found;
}

/** Bytes an unprivileged writer can still put on the folder's filesystem. */
export function freeBytes(dir: string): number {
  const s = statfsSync(dir);
  return s.bavail * s.bsize;
}

export function totalBytes(dir: string): number {
  const s = statfsSync(dir);
  return s.blocks * s.bsize;
}
