/** `xiaojin server`: run the central platform until SIGINT or SIGTERM. */
import type { Command } from './index.ts';
import { startServer } from '../server/app.ts';

const HELP = `usage: xiaojin server [--port N] [--host ADDR] [--db URL|PATH] [--redis URL] [--data DIR]
                      [--config DIR] [--static DIR] [--log-level LEVEL] [--admin USER:PASSWORD] [--local-enrollment]

  --port N            HTTP and socket.io port (default 8600)
  --host ADDR         address to listen on (default 0.0.0.0)
  --db URL|PATH       postgres://… or an SQLite file (default DATA/central.db)
  --redis URL         redis://… to run several nodes behind one Redis (Redis Streams adapter)
  --data DIR          data directory (default ./data/central)
  --config DIR        hall configuration folder that becomes version 1 on first start (default: the bundled hall)
  --static DIR        built renderer to serve (default dist/renderer)
  --admin USER:PASS   create this admin account if it does not exist
  --local-enrollment  let processes on this machine enrol devices without a code
  --node-id ID        this node's name in logs and stored rows (several nodes on one database)
  --commit-streams N  batch commits run at once on PostgreSQL (default 4; SQLite always 1)`;

export function parseServerArgs(argv: string[]): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw Object.assign(new Error(`unexpected argument '${a}'\n\n${HELP}`), { exitCode: 2 });
    const [k, inline] = a.slice(2).split('=', 2);
    if (k === 'help' || k === 'local-enrollment') out[k] = true;
    else if (inline !== undefined) out[k] = inline;
    else {
      const v = argv[++i];
      if (v === undefined) throw Object.assign(new Error(`--${k} needs a value\n\n${HELP}`), { exitCode: 2 });
      out[k] = v;
    }
  }
  return out;
}

export const command: Command = {
  summary: 'run the central platform',
  async run(argv) {
    const a = parseServerArgs(argv);
    if (a.help) {
      console.log(HELP);
      return 0;
    }
    const known = new Set(['port', 'host', 'db', 'redis', 'data', 'config', 'static', 'log-level', 'admin', 'local-enrollment', 'node-id', 'commit-streams']);
    for (const k of Object.keys(a)) if (!known.has(k)) throw Object.assign(new Error(`unknown option --${k}\n\n${HELP}`), { exitCode: 2 });
    const port = a.port === undefined ? 8600 : Number(a.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw Object.assign(new Error('--port must be a port number'), { exitCode: 2 });
    const commitStreams = a['commit-streams'] === undefined ? undefined : Number(a['commit-streams']);
    if (commitStreams !== undefined && !(Number.isInteger(commitStreams) && commitStreams >= 1 && commitStreams <= 8)) {
      throw Object.assign(new Error('--commit-streams must be a whole number from 1 to 8 (the pool holds ten connections)'), { exitCode: 2 });
    }
    let seedAdmin: { username: string; password: string } | undefined;
    if (typeof a.admin === 'string') {
      const i = a.admin.indexOf(':');
      if (i < 1) throw Object.assign(new Error('--admin is USER:PASSWORD'), { exitCode: 2 });
      seedAdmin = { username: a.admin.slice(0, i), password: a.admin.slice(i + 1) };
    }
    const server = await startServer({
      port,
      host: (a.host as string) ?? '0.0.0.0',
      dataDir: (a.data as string) ?? 'data/central',
      db: a.db as string | undefined,
      redis: a.redis as string | undefined,
      configDir: a.config as string | undefined,
      staticDir: a.static as string | undefined,
      logLevel: (a['log-level'] as string) ?? 'info',
      nodeId: a['node-id'] as string | undefined,
      commitStreams,
      seedAdmin,
      localEnrollment: !!a['local-enrollment'],
    });
    // Parents (tests, supervisors) read this line to learn the address.
    console.log(`xiaojin central platform listening on ${server.url}`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    return 0;
  },
};
