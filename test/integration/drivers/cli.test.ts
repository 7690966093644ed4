import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PtyPair } from '../../../drivers/transport/pty.ts';
import { fixtureCards } from '../../../drivers/idcard/fixtures.ts';

const ROOT = join(import.meta.dirname, '../../..');
const BIN = join(ROOT, 'bin/xiaojin.mjs');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts a simulator and resolves once it says it is listening. */
function startSim(args: string[]): Promise<{ child: ChildProcess; output: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'sim', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => {
      if (String(d).includes('simulator on')) resolve({ child, output: () => out });
    });
    child.on('exit', (code) => reject(new Error(`simulator exited early (${code})`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGINT');
  });
}

const pairs: PtyPair[] = [];
afterAll(async () => {
  for (const p of pairs) await p.dispose();
});

async function pair(): Promise<PtyPair> {
  const p = await PtyPair.create();
  pairs.push(p);
  return p;
}

describe('xiaojin devices idcard read against xiaojin sim idcard', () => {
  const types = ['resident', 'hk-macau-taiwan', 'foreign-permanent'] as const;
  const results = new Map<string, Run>();

  beforeAll(async () => {
    // All three card types in parallel: each CLI start costs a second of tsx start-up.
    await Promise.all(
      types.map(async (type) => {
        const p = await pair();
        const sim = await startSim(['idcard', '--port', p.b, '--card', type]);
        try {
          results.set(type, await run(['devices', 'idcard', 'read', '--port', p.a, '--fingerprint']));
        } finally {
          await stop(sim.child);
        }
      }),
    );
  });

  it.each(types)('prints the right JSON for the %s card', (type) => {
    const r = results.get(type)!;
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    const fixture = fixtureCards[type];
    expect(json).toMatchObject({
      cardType: type,
      idNumber: fixture.text.idNumber,
      photoBytes: 1024,
      fingerprintBytes: fixture.fingerprint ? 1024 : 0,
      birth: fixture.text.birth,
      validFrom: fixture.text.validFrom,
      validTo: fixture.text.validTo,
    });
    for (const key of ['name', 'sex', 'nation', 'birth', 'address', 'idNumber', 'idNumberValid', 'authority', 'validFrom', 'validTo', 'cardType', 'photoBytes', 'fingerprintBytes']) {
      expect(json).toHaveProperty(key);
    }
    if (type === 'resident') expect(json).toMatchObject({ name: '李今华', sex: '男', nation: '汉', idNumberValid: true, validTo: '长期', additionalAddress: '广东省广州市天河区天河路100号' });
    if (type === 'hk-macau-taiwan') expect(json).toMatchObject({ name: '陈港生', passNumber: 'H60123456', issueCount: '01', idNumberValid: true });
    if (type === 'foreign-permanent') expect(json).toMatchObject({ name: '马克蕾', englishName: 'MARTIN, CLAIRE ANNE', nationality: 'CAN', idNumberValid: null });
  });

  it('fails clearly with no card, and with no reader', async () => {
    const p = await pair();
    const sim = await startSim(['idcard', '--port', p.b, '--card', 'none']);
    try {
      const [noCard, noReader] = await Promise.all([
        run(['devices', 'idcard', 'read', '--port', p.a]),
        run(['devices', 'idcard', 'read', '--port', join(p.dir, 'missing')]),
      ]);
      expect(noCard.code).toBe(4);
      expect(noCard.stderr).toMatch(/no card on the reader/);
      expect(noCard.stdout).toBe('');
      expect(noReader.code).toBe(3);
      expect(noReader.stderr).toMatch(/does not exist/);
    } finally {
      await stop(sim.child);
    }
  });
});

describe('xiaojin devices printer against xiaojin sim printer', () => {
  it('reports status, prints a test page and a receipt file', async () => {
    const p = await pair();
    const sim = await startSim(['printer', '--port', p.b, '--baud', '9600']);
    try {
      const file = join(p.dir, 'receipt.json');
      writeFileSync(file, JSON.stringify({ items: [{ type: 'text', text: '办事回执 No.7', align: 'center' }, { type: 'qr', data: 'R7' }] }));
      const status = await run(['devices', 'printer', 'status', '--port', p.a]);
      expect(status.code, status.stderr).toBe(0);
      expect(JSON.parse(status.stdout)).toMatchObject({ online: true, paper: 'ok' });
      const test = await run(['devices', 'printer', 'test', '--port', p.a]);
      expect(test.code, test.stderr).toBe(0);
      expect(JSON.parse(test.stdout).state).toBe('done');
      const print = await run(['devices', 'printer', 'print', '--port', p.a, '--file', file]);
      expect(print.code, print.stderr).toBe(0);
      const out = sim.output();
      expect(out).toContain('小今 打印测试');
      expect(out).toContain('[QR https://xiaojin.example/printer-test?中文=1]');
      expect(out).toContain('办事回执 No.7');
    } finally {
      await stop(sim.child);
    }
  });
});

describe('xiaojin sim datashare', () => {
  it('serves the simulated cards’ records over HTTP, fails on demand, and stops on SIGINT', async () => {
    const child = spawn(process.execPath, [BIN, 'sim', 'datashare', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    await expect.poll(() => /simulator on (http:\/\/\S+)/.exec(err)?.[1], { timeout: 30_000 }).toBeTruthy();
    const url = /simulator on (http:\/\/\S+)/.exec(err)![1];
    const ask = (kind: string) =>
      fetch(`${url}/v1/records/query`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ kind, idNumber: fixtureCards.resident.text.idNumber, queryId: '2b1f3c52-9d0e-4c55-8a51-0d6f0c2b7a10', requester: 'cli-test' }),
      });
    const ok = await ask('household');
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { record: { holder: { idNumber: string } } }).record.holder.idNumber).toBe(fixtureCards.resident.text.idNumber);
    await fetch(`${url}/sim/datashare/fault`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode: 'down', times: 1 }) });
    expect((await ask('household')).status).toBe(503);
    expect((await ask('household')).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
