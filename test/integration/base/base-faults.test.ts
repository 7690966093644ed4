/**
 * The robot base's link in the terminal's fault history: the simulated base drops its link,
 * the robot records one fault in its outbox (however many reconnect attempts fail), and
 * records the recovery once the link is up again.
 */
import { afterEach, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BaseLink } from '../../../drivers/base/link.ts';
import { BaseSimulator } from '../../../drivers/base/simulator.ts';
import { recordBaseLink } from '../../../electron/services/fault-log.ts';
import { Outbox } from '../../../electron/services/outbox.ts';
import { createLogger } from '../../../electron/services/log.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

it('records a dropped base link as one fault and its recovery, through the outbox', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'xj-base-faults-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const outbox = new Outbox({ dataDir: dir });
  cleanups.push(() => outbox.close());
  const sim = new BaseSimulator({ timeScale: 20 });
  const { url, controlUrl } = await sim.start();
  cleanups.push(() => sim.stop());
  const base = new BaseLink({ url, backoff: { baseMs: 20, maxMs: 100 } });
  recordBaseLink(base, { append: (type, payload) => outbox.append(type, payload) }, createLogger('it-base-faults', 'silent'));
  const links: string[] = [];
  base.on('link', (s) => links.push(s));
  base.start();
  cleanups.push(() => base.stop());
  await expect.poll(() => base.snapshot.link).toBe('up');
  expect(outbox.pending).toBe(0);

  // Refused for a while: several attempts fail before the base takes the robot back.
  const res = await fetch(`${controlUrl}/link/drop`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refuseMs: 400 }) });
  expect(res.status).toBe(200);
  await expect.poll(() => links.filter((s) => s === 'down').length).toBeGreaterThan(1);
  await expect.poll(() => base.snapshot.link).toBe('up');
  await expect.poll(() => outbox.pending).toBe(2);
  const records = outbox.peek().map((t) => t.payload as { device: string; kind: string; state: string; detail?: string });
  expect(records.map((r) => [r.device, r.kind, r.state])).toEqual([
    ['base', 'base', 'faulty'],
    ['base', 'base', 'ok'],
  ]);
  expect(records[0].detail).toMatch(/closed|cannot open/);
});
