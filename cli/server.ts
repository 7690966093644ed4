/** `xiaojin server`: run the central platform until SIGINT or SIGTERM. */
import { readFileSync } from 'node:fs';
import type { Command } from './index.ts';
import { plainHttpWarning, startServer } from '../server/app.ts';
import { createLogger } from '../server/log.ts';
import { installProcessGuards } from '../server/process-guards.ts';

const HELP = `usage: xiaojin server [--port N] [--host ADDR] [--db URL|PATH] [--redis URL] [--data DIR]
                      [--config DIR] [--static DIR] [--log-level LEVEL] [--local-enrollment]
                      [--tls-cert FILE --tls-key FILE] [--trust-proxy ADDR,…]
                      [--admin-user USER] [--admin-password-file FILE]
                      [--id-key-file FILE] [--test-transactions]
                      [--datashare-url URL [--datashare-timeout MS]]

  --port N            HTTP and socket.io port (default 8600)
  --host ADDR         address to listen on (default 0.0.0.0)
  --db URL|PATH       postgres://… or an SQLite file (default DATA/central.db)
  --redis URL         redis://… to run several nodes behind one Redis (Redis Streams adapter)
  --data DIR          data directory (default ./data/central)
  --config DIR        hall configuration folder that becomes version 1 on first start (default: the bundled hall)
  --static DIR        built renderer to serve (default dist/renderer)
  --tls-cert FILE     serve HTTPS and WSS with this PEM certificate (chain); needs --tls-key
  --tls-key FILE      the certificate's PEM private key
  --trust-proxy LIST  comma-separated addresses or CIDR ranges of reverse proxies whose
                      X-Forwarded-For/-Proto are believed (TLS terminated at the proxy)
  --admin-user USER   create this admin account if it does not exist (default admin), with the
  --admin-password-file FILE   password read from FILE, or from XIAOJIN_ADMIN_PASSWORD
  --admin USER:PASS   the same on the command line (visible to every user in ps: avoid)
  --local-enrollment  let the launcher on this machine enrol its terminals without a code
                      (it needs the token written to DATA/launcher-token)
  --id-key-file FILE  the hall's ID key (mode 0600; default $XIAOJIN_ID_KEY_FILE, else DATA/keys/id-key,
                      made on first start); every node of a cluster must be given the same file
  --test-transactions accept test.* transaction types unchecked (the platform's own tests; never in a hall)
  --node-id ID        this node's name in logs and stored rows (several nodes on one database)
  --commit-streams N  batch commits run at once on PostgreSQL (default 4; SQLite always 1)
  --datashare-url URL the province's data-sharing gateway (docs/datashare.md); without it records
                      queries are refused as not offered
  --datashare-timeout MS  one gateway attempt's limit (default 8000; a query ends after twice that)`;

export function parseServerArgs(argv: string[]): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw Object.assign(new Error(`unexpected argument '${a}'\n\n${HELP}`), { exitCode: 2 });
    const [k, inline] = a.slice(2).split('=', 2);
    if (k === 'help' || k === 'local-enrollment' || k === 'test-transactions') out[k] = true;
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
    const known = new Set(['port', 'host', 'db', 'redis', 'data', 'config', 'static', 'log-level', 'admin', 'admin-user', 'admin-password-file', 'local-enrollment', 'node-id', 'tls-cert', 'tls-key', 'trust-proxy', 'id-key-file', 'test-transactions', 'commit-streams', 'datashare-url', 'datashare-timeout']);
    for (const k of Object.keys(a)) if (!known.has(k)) throw Object.assign(new Error(`unknown option --${k}\n\n${HELP}`), { exitCode: 2 });
    const port = a.port === undefined ? 8600 : Number(a.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw Object.assign(new Error('--port must be a port number'), { exitCode: 2 });
    const seedAdmin = adminFromArgs(a);
    const tls = tlsFromArgs(a);
    const trustProxy = typeof a['trust-proxy'] === 'string' ? a['trust-proxy'].split(',').map((x) => x.trim()).filter(Boolean) : undefined;
    const host = (a.host as string) ?? '0.0.0.0';
    const exposed = plainHttpWarning(host, { tls, trustProxy });
    if (exposed) console.error(`\n${'!'.repeat(78)}\n${exposed}\n${'!'.repeat(78)}\n`);
    const logLevel = (a['log-level'] as string) ?? 'info';
    installProcessGuards(createLogger(logLevel, a['node-id'] as string | undefined, a['node-id'] as string | undefined));
    const commitStreams = a['commit-streams'] === undefined ? undefined : Number(a['commit-streams']);
    if (commitStreams !== undefined && !(Number.isInteger(commitStreams) && commitStreams >= 1 && commitStreams <= 8)) {
      throw Object.assign(new Error('--commit-streams must be a whole number from 1 to 8 (the pool holds ten connections)'), { exitCode: 2 });
    }
    const dataShare = dataShareFromArgs(a);
    const server = await startServer({
      port,
      host,
      tls,
      trustProxy,
      dataDir: (a.data as string) ?? 'data/central',
      db: a.db as string | undefined,
      redis: a.redis as string | undefined,
      configDir: a.config as string | undefined,
      staticDir: a.static as string | undefined,
      logLevel,
      nodeId: a['node-id'] as string | undefined,
      commitStreams,
      seedAdmin,
      localEnrollment: !!a['local-enrollment'],
      idKeyFile: a['id-key-file'] as string | undefined,
      testTransactions: !!a['test-transactions'],
      dataShare,
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

function dataShareFromArgs(a: Record<string, string | boolean>): { url: string; timeoutMs?: number; deadlineMs?: number } | undefined {
  const url = a['datashare-url'];
  const timeout = a['datashare-timeout'];
  if (url === undefined) {
    if (timeout !== undefined) throw usage('--datashare-timeout needs --datashare-url');
    return undefined;
  }
  if (typeof url !== 'string' || !/^https?:\/\//.test(url)) throw usage('--datashare-url must be an http:// or https:// URL');
  if (timeout === undefined) return { url };
  const timeoutMs = Number(timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 120_000) throw usage('--datashare-timeout must be milliseconds from 100 to 120000');
  return { url, timeoutMs, deadlineMs: timeoutMs * 2 };
}

const usage = (message: string) => Object.assign(new Error(message), { exitCode: 2 });

function readOption(a: Record<string, string | boolean>, name: string): string {
  try {
    return readFileSync(a[name] as string, 'utf8');
  } catch (err) {
    throw usage(`--${name}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** The first admin's password from a file or the environment; on the command line it shows in `ps`. */
function adminFromArgs(a: Record<string, string | boolean>): { username: string; password: string } | undefined {
  if (typeof a.admin === 'string') {
    const i = a.admin.indexOf(':');
    if (i < 1) throw usage('--admin is USER:PASSWORD');
    console.error('warning: --admin puts the password on the command line, where every user of this machine sees it in ps; use --admin-password-file or XIAOJIN_ADMIN_PASSWORD');
    return { username: a.admin.slice(0, i), password: a.admin.slice(i + 1) };
  }
  const password = typeof a['admin-password-file'] === 'string' ? readOption(a, 'admin-password-file').replace(/\r?\n$/, '') : process.env.XIAOJIN_ADMIN_PASSWORD;
  // Children of this process need not inherit it.
  delete process.env.XIAOJIN_ADMIN_PASSWORD;
  if (password === undefined) {
    if (a['admin-user'] !== undefined) throw usage('--admin-user needs --admin-password-file or XIAOJIN_ADMIN_PASSWORD');
    return undefined;
  }
  if (!password) throw usage('the admin password is empty');
  return { username: typeof a['admin-user'] === 'string' ? a['admin-user'] : 'admin', password };
}

function tlsFromArgs(a: Record<string, string | boolean>): { cert: string; key: string } | undefined {
  const hasCert = typeof a['tls-cert'] === 'string';
  const hasKey = typeof a['tls-key'] === 'string';
  if (hasCert !== hasKey) throw usage('--tls-cert and --tls-key go together');
  return hasCert ? { cert: readOption(a, 'tls-cert'), key: readOption(a, 'tls-key') } : undefined;
}
