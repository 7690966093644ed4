/**
 * The hall's processes as the soak run starts them: `xiaojin server` and `xiaojin kiosk`
 * children, each on the shared simulated clock, their output written to one log file per
 * process. A child can be killed as the world kills it (SIGKILL, no goodbye) and started
 * again with the same arguments, port and data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join, resolve } from 'node:path';

const XIAOJIN = resolve(import.meta.dirname, '../../bin/xiaojin.mjs');

export interface ChildSpec {
  /** Process name in samples and logs (central, kiosk-1, …). */
  name: string;
  args: string[];
  env: Record<string, string>;
  /** The line a ready child prints; its first group is the address it serves on. */
  ready: RegExp;
  logDir: string;
  /** How long start-up may take before the run gives up, wall ms. */
  startTimeoutMs?: number;
}

export class HallProcess {
  private child: ChildProcess | null = null;
  private log: WriteStream | null = null;
  /** The address the child said it serves on. */
  url = '';
  /** Times it was started, for the log file's name. */
  private starts = 0;

  constructor(readonly spec: ChildSpec) {}

  get pid(): number | null {
    return this.child && this.child.exitCode === null && this.child.signalCode === null ? (this.child.pid ?? null) : null;
  }

  get logFile(): string {
    return join(this.spec.logDir, `${this.spec.name}.log`);
  }

  async start(extraArgs: string[] = []): Promise<string> {
    if (this.pid) throw new Error(`${this.spec.name} is already running (pid ${this.pid})`);
    this.starts++;
    this.log ??= createWriteStream(this.logFile, { flags: 'a' });
    const child = spawn(process.execPath, [XIAOJIN, ...this.spec.args, ...extraArgs], {
      env: { ...process.env, ...this.spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout!.pipe(this.log, { end: false });
    child.stderr!.pipe(this.log, { end: false });
    const timeoutMs = this.spec.startTimeoutMs ?? 120_000;
    this.url = await new Promise<string>((done, fail) => {
      // Read beside the pipe to the log, never pausing the stream: a child whose stdout is
      // not drained blocks on its next log line.
      let seen = '';
      const onData = (chunk: Buffer) => {
        seen = (seen + String(chunk)).slice(-4096);
        // Whole lines only: an address cut at a chunk's end would be read short.
        const m = this.spec.ready.exec(seen.slice(0, seen.lastIndexOf('\n') + 1));
        if (!m) return;
        clearTimeout(timer);
        child.off('exit', onExit);
        child.stdout!.off('data', onData);
        done(m[1]);
      };
      const timer = setTimeout(() => {
        child.stdout!.off('data', onData);
        fail(new Error(`${this.spec.name} did not start within ${timeoutMs / 1000} s (see ${this.logFile})`));
      }, timeoutMs);
      const onExit = (code: number | null, signal: string | null) => {
        clearTimeout(timer);
        fail(new Error(`${this.spec.name} exited while starting (code ${code}, signal ${signal}; see ${this.logFile})`));
      };
      child.once('exit', onExit);
      child.stdout!.on('data', onData);
    });
    return this.url;
  }

  /** Kills without warning, as a power cut or the OOM killer does, and waits for the exit. */
  async kill9(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** Asks the child to stop (SIGTERM: it drains and closes), killing it after graceMs. */
  async stop(graceMs = 15_000): Promise<void> {
    const child = this.child;
    if (!child || !this.pid) return;
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await this.signal('SIGTERM');
    clearTimeout(timer);
  }

  async closeLog(): Promise<void> {
    const log = this.log;
    this.log = null;
    if (log) await new Promise<void>((done) => log.end(() => done()));
  }

  private async signal(sig: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || !this.pid) return;
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.kill(sig);
    await exited;
  }
}
