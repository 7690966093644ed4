/**
 * `xiaojin load`: many simulated kiosks against a platform, each with a real outbox on
 * disk and the real sync client, so the figures include durable commits on the kiosk
 * side. Prints one JSON summary.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Command } from './index.ts';
import { parseServerArgs } from './server.ts';
import { Outbox } from '../electron/services/outbox.ts';
import { SyncClient } from '../electron/services/sync-client.ts';
import { enrollDevice } from '../electron/services/sync-credential.ts';

const HELP = `usage: xiaojin load --kiosks N --tx M --server URL (--enroll-code CODE | --admin USER:PASSWORD)
                    [--data DIR] [--keep]

  --kiosks N          simulated kiosks (each its own outbox and socket)
  --tx M              transactions per kiosk
  --server URL        the platform, e.g. http://127.0.0.1:8600
  --enroll-code CODE  an enrollment code of kind 'load' with at least N uses
  --admin USER:PASS   or: sign in and make such a code
  --data DIR          where the outboxes go (default: a temporary folder, removed afterwards)
  --keep              keep the outboxes`;

export interface LoadOptions {
  kiosks: number;
  tx: number;
  server: string;
  enrollCode: string;
  dataDir?: string;
  keep?: boolean;
  /** Kiosks enrolled at the same time. */
  parallel?: number;
}

export interface LoadSummary {
  kiosks: number;
  txPerKiosk: number;
  appended: number;
  acknowledged: number;
  applied: number;
  duplicates: number;
  failed: number;
  rejected: number;
  pendingLeft: number;
  appendSeconds: number;
  appendPerSecond: number;
  syncSeconds: number;
  syncPerSecond: number;
  deviceIds: string[];
}

/** A realistic mix of the built-in transaction types; ratings of 1 or 2 carry a reason. */
export function sampleTransaction(i: number): { type: string; payload: Record<string, unknown> } {
  const now = new Date().toISOString();
  switch (i % 6) {
    case 0:
      return { type: 'ticket', payload: { ticketId: randomUUID(), number: `A${String(i % 1000).padStart(3, '0')}`, groupId: 'general', offline: false, issuedAt: now, estimatedWaitMinutes: i % 30 } };
    case 1:
      return { type: 'signin', payload: { maskedName: '张*三', maskedId: '4401**********1234', cardType: 'resident' } };
    case 2:
      return { type: 'print', payload: { jobId: randomUUID(), document: 'checklist', state: 'done' } };
    case 3: {
      const level = (i % 5) + 1;
      return { type: 'rating', payload: { level, reasons: level <= 2 ? ['等候时间长'] : [] } };
    }
    case 4:
      return { type: 'appointment', payload: { appointmentId: randomUUID(), action: 'booked', itemCode: 'X1', date: '2026-12-01', slot: { start: '09:00', end: '09:30' } } };
    default:
      return { type: 'device-fault', payload: { device: 'printer', kind: 'printer', state: 'ok', paper: 'near-end' } };
  }
}

export async function runLoad(o: LoadOptions): Promise<LoadSummary> {
  const root = o.dataDir ?? mkdtempSync(join(tmpdir(), 'xiaojin-load-'));
  const run = randomUUID().slice(0, 8);
  const kiosks: { outbox: Outbox; client: SyncClient; deviceId: string }[] = [];
  const counts = { applied: 0, duplicates: 0, failed: 0, rejected: 0 };
  try {
    const parallel = o.parallel ?? 20;
    for (let i = 0; i < o.kiosks; i += parallel) {
      const made = await Promise.all(
        Array.from({ length: Math.min(parallel, o.kiosks - i) }, async (_, j) => {
          const dir = join(root, `kiosk-${i + j}`);
          const cred = await enrollDevice({ dataDir: dir, url: o.server, code: o.enrollCode, kind: 'load', deviceId: `load-${run}-${i + j}` });
          const outbox = new Outbox({ dataDir: dir, backoffBaseMs: 100, backoffMaxMs: 5000 });
          outbox.on('sent', (c: typeof counts) => {
            counts.applied += c.applied;
            counts.duplicates += c.duplicates;
            counts.failed += c.failed;
            counts.rejected += c.rejected;
          });
          const client = new SyncClient({ url: o.server, credential: cred, outbox, reconnectDelayMs: 200, reconnectDelayMaxMs: 5000 });
          return { outbox, client, deviceId: cred.deviceId };
        }),
      );
      kiosks.push(...made);
    }

    const a0 = performance.now();
    await Promise.all(kiosks.map((k) => Promise.all(Array.from({ length: o.tx }, (_, n) => sampleTransaction(n)).map((t) => k.outbox.append(t.type, t.payload)))));
    const appendSeconds = (performance.now() - a0) / 1000;

    const s0 = performance.now();
    for (const k of kiosks) k.client.start();
    await Promise.all(kiosks.map((k) => k.outbox.drained()));
    const syncSeconds = (performance.now() - s0) / 1000;
    const appended = o.kiosks * o.tx;
    return {
      kiosks: o.kiosks,
      txPerKiosk: o.tx,
      appended,
      acknowledged: counts.applied + counts.duplicates + counts.failed + counts.rejected,
      ...counts,
      pendingLeft: kiosks.reduce((a, k) => a + k.outbox.pending, 0),
      appendSeconds: round(appendSeconds),
      appendPerSecond: Math.round(appended / appendSeconds),
      syncSeconds: round(syncSeconds),
      syncPerSecond: Math.round(appended / syncSeconds),
      deviceIds: kiosks.map((k) => k.deviceId),
    };
  } finally {
    await Promise.all(kiosks.map(async (k) => (await k.client.stop(), await k.outbox.close())));
    if (!o.dataDir && !o.keep) rmSync(root, { recursive: true, force: true });
  }
}

const round = (x: number) => Math.round(x * 1000) / 1000;

export const command: Command = {
  summary: 'simulate many kiosks against a central platform',
  async run(argv) {
    const a = parseServerArgs(argv.map((x) => (x === '--keep' ? '--keep=1' : x)));
    if (a.help) {
      console.log(HELP);
      return 0;
    }
    const kiosks = Number(a.kiosks);
    const tx = Number(a.tx);
    const server = a.server as string | undefined;
    if (!Number.isInteger(kiosks) || kiosks < 1 || !Number.isInteger(tx) || tx < 1 || !server) throw Object.assign(new Error(HELP), { exitCode: 2 });
    let code = a['enroll-code'] as string | undefined;
    if (!code && typeof a.admin === 'string') {
      const i = a.admin.indexOf(':');
      const login = await fetch(new URL('/api/login', server), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: a.admin.slice(0, i), password: a.admin.slice(i + 1) }) });
      if (!login.ok) throw new Error(`could not sign in as ${a.admin.slice(0, i)}: HTTP ${login.status}`);
      const { token } = (await login.json()) as { token: string };
      const made = await fetch(new URL('/api/enrollment-codes', server), { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ kind: 'load', uses: kiosks, ttlHours: 1 }) });
      if (!made.ok) throw new Error(`could not make an enrollment code: HTTP ${made.status} ${await made.text()}`);
      code = ((await made.json()) as { code: string }).code;
    }
    if (!code) throw Object.assign(new Error(`give --enroll-code or --admin\n\n${HELP}`), { exitCode: 2 });
    const summary = await runLoad({ kiosks, tx, server, enrollCode: code, dataDir: a.data as string | undefined, keep: !!a.keep });
    const { deviceIds: _ids, ...printed } = summary;
    console.log(JSON.stringify(printed, null, 2));
    return summary.pendingLeft === 0 && summary.rejected === 0 ? 0 : 1;
  },
};
