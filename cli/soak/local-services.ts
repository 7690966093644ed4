/**
 * A throwaway PostgreSQL cluster and Redis server from Debian's packages, each able to be
 * stopped and started again on the same port and data as a restarted server is: the soak
 * run's cluster configuration and the platform's tests both run on these.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const PG_BIN = '/usr/lib/postgresql/15/bin';

export interface RestartableService {
  url: string;
  stop(): Promise<void>;
  /** Starts it again on the same port after `stop()`, so clients reconnect to the same URL. */
  start(): Promise<void>;
}

function requireBinary(path: string, what: string): void {
  if (!existsSync(path)) throw new Error(`${what} is needed but ${path} does not exist; install it (Debian: apt-get install ${what})`);
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise((done) => server.close(done));
  if (typeof address !== 'object' || !address) throw new Error('no free port');
  return address.port;
}

async function until(what: string, probe: () => Promise<boolean>, timeoutMs: number, everyMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, everyMs));
  }
}

/** A PostgreSQL cluster in `dir`, owned by the postgres user when run as root (initdb refuses root). */
export async function startPostgres(dir: string): Promise<RestartableService> {
  requireBinary(`${PG_BIN}/initdb`, 'postgresql-15');
  const data = join(dir, 'data');
  const sock = join(dir, 'sock');
  mkdirSync(sock, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  const user = asRoot ? 'postgres' : undefined;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
    chownSync(sock, uid, gid);
  }
  const run = (cmd: string, args: string[]) => (user ? execFileSync('runuser', ['-u', user, '--', cmd, ...args], { stdio: 'pipe' }) : execFileSync(cmd, args, { stdio: 'pipe' }));
  run(`${PG_BIN}/initdb`, ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  const args = ['-D', data, '-p', String(port), '-k', sock, '-h', '127.0.0.1', '-c', 'max_connections=200', '-c', 'shared_buffers=64MB'];
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const pg = (await import('pg')).default;
  let proc: ChildProcess;
  const start = async () => {
    proc = user ? spawn('runuser', ['-u', user, '--', `${PG_BIN}/postgres`, ...args], { stdio: 'ignore' }) : spawn(`${PG_BIN}/postgres`, args, { stdio: 'ignore' });
    await until(
      'postgres to accept connections',
      async () => {
        const c = new pg.Client({ connectionString: url });
        try {
          await c.connect();
          await c.query('SELECT 1');
          return true;
        } finally {
          await c.end().catch(() => {});
        }
      },
      30_000,
      200,
    );
  };
  await start();
  return {
    url,
    start,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      // Signal the postmaster itself: runuser does not pass signals on to it.
      try {
        const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
        process.kill(pid, 'SIGINT');
      } catch {
        proc.kill('SIGINT');
      }
      // Bounded: a postmaster that ignores SIGINT must not hang whoever stops it.
      await Promise.race([new Promise((r) => (proc.exitCode !== null ? r(null) : proc.once('exit', r))), new Promise((r) => setTimeout(r, 10_000))]);
    },
  };
}

/** A Redis server keeping nothing on disk (`dir` is its working folder). */
export async function startRedis(dir: string): Promise<RestartableService> {
  requireBinary('/usr/bin/redis-server', 'redis-server');
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const { createClient } = await import('redis');
  let proc: ChildProcess;
  const start = async () => {
    proc = spawn('/usr/bin/redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
    await until(
      'redis to answer',
      async () => {
        const c = createClient({ url, socket: { reconnectStrategy: false } });
        c.on('error', () => {});
        try {
          await c.connect();
          return (await c.ping()) === 'PONG';
        } finally {
          await c.destroy();
        }
      },
      15_000,
      100,
    );
  };
  await start();
  return {
    url,
    start,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
    },
  };
}
