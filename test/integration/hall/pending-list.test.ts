/**
 * 待办清单 kept on the platform, through the hall as `npm start` wires it: a citizen signs in
 * with the simulated reader, saves a list, signs out, signs in again and finds it; another
 * citizen finds nothing; deleting it removes the row. The platform's SQLite holds the list
 * under the keyed pseudonym only: no ID number, name or masked number anywhere in it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHall, type RunningHall } from '../../../cli/hall.ts';
import { createLogger } from '../../../electron/services/log.ts';
import { fixtureCitizens } from '../../../cli/sim.ts';
import { idKeyOf } from '../../../protocol/id-key.ts';
import type { PendingEntry } from '../../../protocol/pending.ts';
import type { MethodName } from '../../../protocol/ui/contract.ts';

const RESIDENT = fixtureCitizens().find((c) => c.cardType === 'resident')!;
const HK = fixtureCitizens().find((c) => c.cardType === 'hk-macau-taiwan')!;

let dataDir: string;
let hall: RunningHall;
let onReader = false;

async function sim(path: string, body: unknown): Promise<void> {
  const res = await fetch(`${new URL(hall.urls.kiosk).origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.ok, `${path} answered ${res.status}`).toBe(true);
}

async function signIn(card: 'resident' | 'hk-macau-taiwan', idNumber: string): Promise<void> {
  if (onReader) {
    const manager = hall.kiosk.get('devices').manager!;
    const gone = new Promise<void>((resolve) => manager.once('card-removed', () => resolve()));
    await sim('/sim/idcard/remove', {});
    await gone;
    onReader = false;
  }
  await call('session.signOut', { reason: 'user' });
  await sim('/sim/idcard/insert', { card });
  onReader = true;
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
