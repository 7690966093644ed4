/**
 * The platform over TLS and behind a reverse proxy: HTTPS sign-in with a Secure cookie,
 * a kiosk's sync client over wss trusting the hall's own certificate, X-Forwarded-Proto
 * believed only from a listed proxy, and the loud warning for plain HTTP beyond loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { join, resolve } from 'node:path';
import { enrollLocal, plainHttpWarning, type RunningServer } from '../../../server/app.ts';
import { Outbox } from '../../../electron/services/outbox.ts';
import { SyncClient } from '../../../electron/services/sync-client.ts';
import { ADMIN, online, removeTempDirs, tempDir, testServer } from './helpers.ts';

let cert: string;
let key: string;
const servers: RunningServer[] = [];

beforeAll(() => {
  const dir = tempDir('xj-tls-');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'pipe' });
  cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  key = readFileSync(join(dir, 'key.pem'), 'utf8');
});

afterAll(async () => {
  for (const s of servers) await s.close();
  removeTempDirs();
});

function loginOverHttps(url: string): Promise<{ status: number; cookie: string }> {
  return new Promise((done, fail) => {
    const req = httpsRequest(`${url}/api/login`, { method: 'POST', ca: cert, headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => done({ status: res.statusCode ?? 0, cookie: String(res.headers['set-cookie'] ?? '') }));
    });
    req.on('error', fail);
    req.end(JSON.stringify(ADMIN));
  });
}

async function loginCookie(s: RunningServer, headers: Record<string, string> = {}): Promise<string> {
  const res = await s.ctx.app.inject({ method: 'POST', url: '/api/login', payload: ADMIN, headers });
  expect(res.statusCode).toBe(200);
  return String(res.headers['set-cookie']);
}

describe('TLS', () => {
  it('serves HTTPS with a Secure session cookie and syncs a kiosk over wss with the certificate trusted', async () => {
    const s = await testServer({ tls: { cert, key } });
    servers.push(s);
    expect(s.url).toMatch(/^https:\/\//);
    const login = await loginOverHttps(s.url);
    expect(login.status).toBe(200);
    expect(login.cookie).toMatch(/; Secure/);

    const cred = await enrollLocal(s.ctx, 'kiosk-tls', 'kiosk');
    const dataDir = tempDir();
    const outbox = new Outbox({ dataDir });
    const client = new SyncClient({ url: s.url, credential: cred, outbox, ca: cert, reconnectDelayMs: 100, reconnectDelayMaxMs: 500 });
    try {
      client.start();
      await online(client);
      await outbox.append('rating', { level: 4 });
      await outbox.drained();
      const count = await s.ctx.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM transactions WHERE device_id = ?', ['kiosk-tls']);
      expect(Number(count[0].n)).toBe(1);
    } finally {
      await client.stop();
      await outbox.close();
    }
  });

  it('believes X-Forwarded-Proto only from a listed proxy', async () => {
    const proxied = await testServer({ trustProxy: ['127.0.0.1'] });
    const direct = await testServer();
    servers.push(proxied, direct);
    expect(await loginCookie(proxied, { 'x-forwarded-proto': 'https' })).toMatch(/; Secure/);
    expect(await loginCookie(proxied)).not.toMatch(/Secure/);
    expect(await loginCookie(direct, { 'x-forwarded-proto': 'https' })).not.toMatch(/Secure/);
  });

  it('warns about plain HTTP beyond loopback, and only then', () => {
    expect(plainHttpWarning('0.0.0.0', {})).toMatch(/plain HTTP/);
    expect(plainHttpWarning('192.168.1.10', {})).toMatch(/plain HTTP/);
    expect(plainHttpWarning('127.0.0.1', {})).toBeNull();
    expect(plainHttpWarning('::1', {})).toBeNull();
    expect(plainHttpWarning('0.0.0.0', { tls: { cert, key } })).toBeNull();
    expect(plainHttpWarning('0.0.0.0', { trustProxy: ['10.0.0.1'] })).toBeNull();
  });
});

/** `xiaojin server` with these arguments until it listens; its stderr and URL. */
async function runServer(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ url: string; stderr: string; stop(): Promise<void> }> {
  const dataDir = tempDir('xj-cli-');
  const proc = spawn(process.execPath, ['bin/xiaojin.mjs', 'server', '--port', '0', '--data', dataDir, '--log-level', 'silent', '--static', join(dataDir, 'none'), ...args], {
    cwd: resolve(import.meta.dirname, '../../..'),
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, XIAOJIN_ADMIN_PASSWORD: undefined, ...env },
  });
  let stderr = '';
  proc.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const url = await new Promise<string>((done, fail) => {
    let out = '';
    proc.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m) done(m[1]);
    });
    void exited.then(() => fail(new Error(`server exited: ${stderr}`)));
  });
  return {
    url: url.replace('0.0.0.0', '127.0.0.1'),
    get stderr() {
      return stderr;
    },
    async stop() {
      proc.kill('SIGTERM');
      await exited;
    },
  };
}

describe('xiaojin server', () => {
  it('prints the plain-HTTP warning on stderr when it binds beyond loopback', async () => {
    const s = await runServer(['--host', '0.0.0.0']);
    await s.stop();
    expect(s.stderr).toMatch(/WARNING: listening on 0\.0\.0\.0 over plain HTTP/);
  });

  const canLogin = async (url: string, who: { username: string; password: string }) =>
    (await fetch(`${url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(who) })).status;

  it('takes the first admin password from a file or the environment, and warns when it is on the command line', async () => {
    const file = join(tempDir(), 'admin-password');
    writeFileSync(file, 'from a file 123\n', { mode: 0o600 });
    const fromFile = await runServer(['--host', '127.0.0.1', '--admin-user', 'boss', '--admin-password-file', file]);
    try {
      expect(await canLogin(fromFile.url, { username: 'boss', password: 'from a file 123' })).toBe(200);
    } finally {
      await fromFile.stop();
    }
    const fromEnv = await runServer(['--host', '127.0.0.1'], { XIAOJIN_ADMIN_PASSWORD: 'from the env 456' });
    try {
      expect(await canLogin(fromEnv.url, { username: 'admin', password: 'from the env 456' })).toBe(200);
    } finally {
      await fromEnv.stop();
    }
    expect(fromFile.stderr + fromEnv.stderr).not.toMatch(/ps/);
    const onCommandLine = await runServer(['--host', '127.0.0.1', '--admin', 'admin:on the line 789']);
    await onCommandLine.stop();
    expect(onCommandLine.stderr).toMatch(/--admin puts the password on the command line/);
  });
});
