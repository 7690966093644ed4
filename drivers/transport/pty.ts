/**
 * A linked pair of pseudo-terminals made by socat, so real serialport I/O can run on
 * both ends without hardware: one end for the driver, one for a simulator. Stopping and
 * starting again with the same link paths is how tests and the hall launcher "unplug"
 * and "replug" a device.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class SocatUnavailableError extends Error {
  override readonly name = 'SocatUnavailableError';
  constructor() {
    super('socat is not installed: install it (apt-get install socat) or use the in-memory simulators');
  }
}

let socatChecked: boolean | undefined;

export function socatAvailable(): boolean {
  if (socatChecked === undefined) {
    const probe = spawnSync('socat', ['-V'], { stdio: 'ignore' });
    socatChecked = probe.status === 0;
  }
  return socatChecked;
}

export interface PtyPairOptions {
  /** Directory for the links; a fresh temp dir when omitted (and removed by dispose()). */
  dir?: string;
  /** Link names inside dir. */
  names?: [string, string];
  startTimeoutMs?: number;
}

export class PtyPair {
  readonly a: string;
  readonly b: string;
  private child: ChildProcess | null = null;
  private readonly ownsDir: boolean;

  private constructor(
    readonly dir: string,
    names: [string, string],
    ownsDir: boolean,
    private readonly startTimeoutMs: number,
  ) {
    this.a = join(dir, names[0]);
    this.b = join(dir, names[1]);
    this.ownsDir = ownsDir;
  }

  static async create(options: PtyPairOptions = {}): Promise<PtyPair> {
    if (!socatAvailable()) throw new SocatUnavailableError();
    const ownsDir = options.dir === undefined;
    const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'xiaojin-pty-'));
    const pair = new PtyPair(dir, options.names ?? ['driver', 'device'], ownsDir, options.startTimeoutMs ?? 5000);
    await pair.start();
    return pair;
  }

  get running(): boolean {
    return this.child !== null;
  }

  /** Starts socat (again) with the same link paths; resolves once both links exist. */
  async start(): Promise<void> {
    if (this.child) return;
    const child = spawn(
      'socat',
      ['-d', '-d', `pty,raw,echo=0,link=${this.a}`, `pty,raw,echo=0,link=${this.b}`],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    this.child = child;
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      if (stderr.length < 4000) stderr += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + this.startTimeoutMs;
    // socat logs "starting data transfer loop" once both ptys are open and linked.
    while (!(existsSync(this.a) && existsSync(this.b) && stderr.includes('starting data transfer loop'))) {
      const done = await Promise.race([exited.then(() => true), delay(10).then(() => false)]);
      if (done) {
        this.child = null;
        throw new Error(`socat exited before the pty pair was ready: ${stderr.trim()}`);
      }
      if (Date.now() > deadline) {
        await this.stop();
        throw new Error(`socat did not create ${this.a} and ${this.b} within ${this.startTimeoutMs} ms`);
      }
    }
  }

  /** Kills socat: both ends see their pty vanish, like a cable pulled out. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timedOut = await Promise.race([exited.then(() => false), delay(2000).then(() => true)]);
      if (timedOut) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    // socat removes its links on a clean exit; make sure, so a replug starts clean.
    rmSync(this.a, { force: true });
    rmSync(this.b, { force: true });
  }

  async dispose(): Promise<void> {
    await this.stop();
    if (this.ownsDir) rmSync(this.dir, { recursive: true, force: true });
  }
}
