/**
 * 待办清单 kept on the platform, through the hall as `npm start` wires it: a citizen signs in
 * with the simulated reader, saves a list, signs out, signs in again and finds it; another
 * citizen finds nothing; deleting it removes the row. The platform's SQLite holds the list
 * under the keyed pseudonym only: no ID number, name or masked number anywhere in it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHall, type RunningHall } from '../../../cli/hall.ts';
import { createLogger } from '../../../electron/services/log.ts';
import { fixtureCitizens } from '../../../cli/sim.ts';
import { idKeyOf } from '../../../protocol/id-key.ts';
import type { PendingEntry } from '../../../protocol/pending.ts';
import type { MethodName } from '../../../protocol/ui/contract.ts';
import { cardReader } from '../../helpers/card-reader.ts';
import type { HallConfig } from '../../../config/schema.ts';
import type { BundleView } from '../../../protocol/ui/domains/bundles.ts';

const RESIDENT = fixtureCitizens().find((c) => c.cardType === 'resident')!;
const HK = fixtureCitizens().find((c) => c.cardType === 'hk-macau-taiwan')!;

let dataDir: string;
let hall: RunningHall;
const reader = cardReader(() => hall);

async function signIn(card: 'resident' | 'hk-macau-taiwan', idNumber: string): Promise<void> {
  await reader.take();
  await call('session.signOut', { reason: 'user' });
  await reader.insert({ card });
  await expect.poll(() => hall.kiosk.get('session').currentCard()?.idNumber).toBe(idNumber);
  await expect.poll(() => hall.kiosk.get('central')?.idKeySecret()).toBeTruthy();
}

/** Calls a screen method the way both transports do. */
async function call(method: MethodName, input: unknown): Promise<unknown> {
  const r = await hall.kiosk.router.dispatch(method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

const rows = () => hall.central.ctx.db.query<{ id_key: string; entries: string; updated_at: string }>('SELECT * FROM pending_lists');

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'xj-pending-'));
  hall = await startHall({ dataDir, ports: { central: 0, kiosk: 0, robot: 0 }, log: createLogger('test', 'warn') });
});

afterAll(async () => {
  await hall?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('the pending list on the platform', () => {
  const list: PendingEntry[] = [
    { kind: 'bundle', id: 'newborn' },
    { kind: 'item', code: 'GZ-CRJ-002', caseCode: 'GZ-CRJ-002-01' },
  ];

  it('is kept under the card\'s pseudonym for the next sign-in, for nobody else, and deleted on request', async () => {
    await signIn('resident', RESIDENT.idNumber);
    expect(await call('pending.load', {})).toEqual({ entries: [], kept: true });
    expect(await call('pending.save', { entries: list })).toEqual({ entries: list, kept: true });

    const stored = await rows();
    expect(stored).toHaveLength(1);
    expect(stored[0].id_key).toBe(idKeyOf(RESIDENT.idNumber, hall.central.ctx.idKey.secret));
    const dump = JSON.stringify(stored);
    for (const personal of [RESIDENT.idNumber, RESIDENT.name, '4401**********']) expect(dump).not.toContain(personal);

    // Another citizen at the same kiosk sees no list.
    await signIn('hk-macau-taiwan', HK.idNumber);
    expect(await call('pending.load', {})).toEqual({ entries: [], kept: true });

    // The first citizen comes back: the list is there.
    await signIn('resident', RESIDENT.idNumber);
    expect(await call('pending.load', {})).toEqual({ entries: list, kept: true });

    expect(await call('pending.clear', {})).toEqual({ entries: [], kept: true });
    expect(await rows()).toEqual([]);
    expect(await call('pending.load', {})).toEqual({ entries: [], kept: true });
  });

  it('keeps nothing for nobody signed in, and refuses an entry it does not know with what was wrong', async () => {
    await call('session.signOut', { reason: 'user' });
    expect(await call('pending.save', { entries: list })).toEqual({ entries: list, kept: false });
    expect(await rows()).toEqual([]);
    await expect(call('pending.save', { entries: [{ kind: 'item' }] })).rejects.toThrow(/bad-input.*code/);
  });

  it('saving an empty list deletes the stored one', async () => {
    await signIn('resident', RESIDENT.idNumber);
    await call('pending.save', { entries: list });
    expect(await rows()).toHaveLength(1);
    await call('pending.save', { entries: [] });
    expect(await rows()).toEqual([]);
  });
});

describe('bundles published from the console', () => {
  async function staffToken(): Promise<{ central: string; auth: Record<string, string> }> {
    const central = new URL(hall.urls.central).origin;
    const [, username, password] = /username: (\S+)\npassword: (\S+)/.exec(readFileSync(hall.adminPasswordFile, 'utf8'))!;
    const login = await fetch(`${central}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    const { token } = (await login.json()) as { token: string };
    return { central, auth: { 'content-type': 'application/json', authorization: `Bearer ${token}` } };
  }

  it('reach the kiosk live; a bad bundle is refused naming the field and the kiosk keeps the last good one', async () => {
    const { central, auth } = await staffToken();
    const { config, version } = (await (await fetch(`${central}/api/config`, { headers: auth })).json()) as { config: HallConfig; version: number };
    const edited = structuredClone(config);
    edited.bundles.find((b) => b.id === 'newborn')!.name = '新生儿出生一件事';
    const saved = await fetch(`${central}/api/config`, { method: 'POST', headers: auth, body: JSON.stringify({ config: edited, baseVersion: version, note: 'rename a bundle' }) });
    expect(saved.status).toBe(200);
    await expect.poll(async () => ((await call('bundle.get', { id: 'newborn' })) as BundleView).bundle.name).toBe('新生儿出生一件事');

    const bad = structuredClone(edited);
    delete bad.bundles.find((b) => b.id === 'newborn')!.window;
    const { version: current } = (await (await fetch(`${central}/api/config`, { headers: auth })).json()) as { version: number };
    const refused = await fetch(`${central}/api/config`, { method: 'POST', headers: auth, body: JSON.stringify({ config: bad, baseVersion: current }) });
    expect(refused.status).toBe(422);
    expect(JSON.stringify(await refused.json())).toContain('one-window acceptance names its 综合窗口');
    expect(hall.kiosk.context.store.config.bundles.find((b) => b.id === 'newborn')!.window).toBe('B09');
    expect(((await (await fetch(`${central}/api/config`, { headers: auth })).json()) as { version: number }).version).toBe(current);
  });
});
