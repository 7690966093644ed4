/**
 * Where a process's log goes. By default standard output, which systemd's journal keeps
 * and rotates. A terminal with no journal (a teller machine's Electron shell, a soak run)
 * sets XIAOJIN_LOG_DIR and gets files that roll by size and are pruned to a count, so months
 * unattended cannot fill the disk with logs.
 *
 *   XIAOJIN_LOG_DIR   folder for `<name>.N.log` (created if missing)
 *   XIAOJIN_LOG_SIZE  size at which a file rolls: pino-roll's units, e.g. 512k, 10m (default 10m)
 *   XIAOJIN_LOG_KEEP  rolled files kept beside the current one (default 9)
 */
import { isAbsolute, join, resolve } from 'node:path';
import type { DestinationStream } from 'pino';
import pinoRoll from 'pino-roll';
import type SonicBoom from 'sonic-boom';

export const LOG_DIR_ENV = 'XIAOJIN_LOG_DIR';
export const LOG_SIZE_ENV = 'XIAOJIN_LOG_SIZE';
export const LOG_KEEP_ENV = 'XIAOJIN_LOG_KEEP';

export interface RollingLogSettings {
  dir: string;
  size: string;
  keep: number;
}

/** The rolling-file settings the environment asks for, null for standard output; a bad value throws with the variable's name. */
export function rollingLogSettings(env: NodeJS.ProcessEnv = process.env): RollingLogSettings | null {
  const dir = env[LOG_DIR_ENV]?.trim();
  if (!dir) return null;
  const size = env[LOG_SIZE_ENV]?.trim() || '10m';
  if (!/^\d+(\.\d+)?[kmg]?$/i.test(size) || Number.parseFloat(size) <= 0) {
    throw new Error(`${LOG_SIZE_ENV} must be a size such as 512k or 10m, got "${size}"`);
  }
  const keepText = env[LOG_KEEP_ENV]?.trim() || '9';
  const keep = Number(keepText);
  if (!Number.isInteger(keep) || keep < 1 || keep > 1000) throw new Error(`${LOG_KEEP_ENV} must be a whole number from 1 to 1000, got "${keepText}"`);
  return { dir: isAbsolute(dir) ? dir : resolve(dir), size: size.toLowerCase(), keep };
}

/** File names must be safe on Windows too (pino-roll refuses < > : " | ? *): a kiosk id like kiosk:1 becomes kiosk-1. */
export function logFileBase(name: string): string {
  return name.replace(/[<>:"|?*/\\\s]+/g, '-').replace(/^-+|-+$/g, '') || 'xiaojin';
}

/**
 * A rolling file that pino writes to as soon as the logger exists. pino-roll opens its file
 * asynchronously, so the first lines wait here until it is open. Written synchronously and
 * in this thread, no worker: a fatal line logged just before exit is on disk, and the
 * bundled Electron main has no transport file to resolve. If the file cannot be opened or
 * written (a full disk), lines go to standard error and the process goes on.
 */
class RollingFile implements DestinationStream {
  private file: SonicBoom | null = null;
  private broken = false;
  private pending: string[] = [];

  constructor(options: { file: string; size: string; keep: number }) {
    // removeOtherLogFiles: a restarted process prunes what the process before it rolled.
    pinoRoll({ file: options.file, size: options.size, mkdir: true, sync: true, limit: { count: options.keep, removeOtherLogFiles: true } }).then(
      (file) => {
        file.on('error', (err: Error) => this.fail(options.file, err));
        if (this.broken) return;
        this.file = file;
        for (const line of this.pending.splice(0)) file.write(line);
      },
      (err: Error) => this.fail(options.file, err),
    );
  }

  write(line: string): void {
    if (this.file) this.file.write(line);
    else if (this.broken) process.stderr.write(line);
    else if (this.pending.length < PENDING_MAX) this.pending.push(line);
  }

  private fail(file: string, err: Error): void {
    if (this.broken) return;
    this.broken = true;
    this.file = null;
    process.stderr.write(`xiaojin: cannot write the log file ${file} (${err.message}); logging to standard error\n`);
    for (const line of this.pending.splice(0)) process.stderr.write(line);
  }
}

/** Lines held while the file opens (milliseconds); past this a runaway start-up loses lines, not memory. */
const PENDING_MAX = 10_000;

// Two loggers of one process writing one file would race on rolling: one stream per file.
const streams = new Map<string, RollingFile>();

/** The stream for a logger named `name`, or undefined for standard output. */
export function logDestination(name: string, env: NodeJS.ProcessEnv = process.env): DestinationStream | undefined {
  const settings = rollingLogSettings(env);
  if (!settings) return undefined;
  const file = join(settings.dir, logFileBase(name));
  let stream = streams.get(file);
  if (!stream) {
    stream = new RollingFile({ file, size: settings.size, keep: settings.keep });
    streams.set(file, stream);
  }
  return stream;
}
