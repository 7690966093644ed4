/**
 * 政务数据共享 through the hall as `npm start` wires it, without a browser: the kiosk signs a
 * citizen in with the simulated reader, asks the platform for a record, the platform asks
 * the simulated gateway over HTTP and audits the query. Refusals without a fresh sign-in
 * on the asking terminal, each gateway failure in plain words, and nothing of the record
 * or the citizen in the platform's database beyond the audit row.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startHall, type RunningHall } from '../../../cli/hall.ts';
import { createLogger } from '../../../electron/services/log.ts';
import { fixtureCitizens } from '../../../cli/sim.ts';
import { idKeyOf } from '../../../protocol/id-key.ts';
import type { RecordView } from '../../../protocol/ui/domains/records.ts';
import type { AuditRow } from '../../../server/datashare/index.ts';
import { cardReader } from '../../helpers/card-reader.ts';

const RESIDENT = fixtureCitizens().find((c) => c.cardType === 'resident')!;
const HK = fixtureCitizens().find((c) => c.cardType === 'hk-macau-taiwan')!;

let dataDir: string;
let hall: RunningHall;
const reader = cardReader(() => hall);

async function signIn(card: 'resident' | 'hk-macau-taiwan', maskedId: string): Promise<void> {
  await reader.insert({ card });
  await expect.poll(() => hall.kiosk.get('session').state().person?.maskedId).toBe(maskedId);
  // The platform has the sign-in when its own session table says so.
  await expect
    .poll(async () => (await hall.central.ctx.db.query<{ masked_id: string; ended_at: string | null }>("SELECT masked_id, ended_at FROM terminal_sessions WHERE device_id = 'kiosk-1'"))[0])
    .toEqual({ masked_id: maskedId, ended_at: null });
}

const query = (kind: string) => hall.kiosk.router.dispatch('records.query', { kind });
const audit = () => hall.central.ctx.db.query<AuditRow>('SELECT * FROM datashare_audit ORDER BY at');

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'xj-datashare-'));
  hall = await startHall({
    dataDir,
    ports: { central: 0, kiosk: 0, robot: 0 },
    log: createLogger('it-datashare', 'silent'),
    dataShare: { timeoutMs: 600, deadlineMs: 1200, retries: 2, backoff: { baseMs: 20, maxMs: 50 } },
  });
  await vi.waitFor(() => expect(hall.kiosk.get('central')?.online).toBe(true), { timeout: 15_000 });
});

afterAll(async () => {
  await hall?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

beforeEach(async () => {
  hall.dataShareSim.setFault(null);
  await hall.kiosk.get('session').signOut('reset');
  await reader.take();
});

describe('records through the platform', () => {
  it("shows the signed-in resident's social-security record masked, and audits the query without its content", async () => {
    await signIn('resident', '4401**********0038');
    const before = (await audit()).length;
    const answer = await query('social-security');
    expect(answer.ok).toBe(true);
    const record = (answer as { value: RecordView }).value;
    expect(record.holder).toEqual({ maskedName: '李*华', maskedId: '4401**********0038' });
    expect(record.title.zh).toBe('广州市社会保险参保缴费记录');
    expect(record.table?.rows.length).toBe(12);
    expect(JSON.stringify(record)).not.toContain(RESIDENT.idNumber);
    expect(JSON.stringify(record)).not.toContain(RESIDENT.name);

    const rows = await audit();
    expect(rows).toHaveLength(before + 1);
    const row = rows[rows.length - 1];
    expect(row).toMatchObject({ device_id: 'kiosk-1', kind: 'social-security', outcome: 'ok', attempts: 1, citizen: idKeyOf(RESIDENT.idNumber, hall.central.ctx.idKey.secret) });

    // The household extract repeats name and number in its rows: masked there too.
    const household = (await query('household')) as { ok: true; value: RecordView };
    expect(household.ok).toBe(true);
    expect(household.value.rows.find((r) => r.label.zh === '公民身份号码')?.value).toBe('4401**********0038');

    // Nothing the gateway said, nor the citizen's name or number, rests in the platform's database.
    const tables = await hall.central.ctx.db.query<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'");
    const dump = JSON.stringify(await Promise.all(tables.map((t) => hall.central.ctx.db.query(`SELECT * FROM "${t.name}"`))));
    for (const secret of [RESIDENT.idNumber, RESIDENT.name, '广州小今信息科技有限公司', '广州市社会保险参保缴费记录', record.table!.rows[0][1]]) expect(dump).not.toContain(secret);
  });

  it('says no-record for a record the source does not hold, asked once', async () => {
    await signIn('hk-macau-taiwan', '8100**********0022');
    const answer = await query('household');
    expect(answer).toMatchObject({ ok: false, error: { code: 'not-found', detail: { reason: 'no-record' } } });
    const row = (await audit()).at(-1)!;
    expect(row).toMatchObject({ kind: 'household', outcome: 'no-record', attempts: 1, citizen: idKeyOf(HK.idNumber, hall.central.ctx.idKey.secret) });
  });

  it('tells a source system that is down after retrying it, and one that is slow as timed out', async () => {
    await signIn('resident', '4401**********0038');
    hall.dataShareSim.setFault({ mode: 'down' });
    expect(await query('housing-fund')).toMatchObject({ ok: false, error: { code: 'unavailable', detail: { reason: 'source-down' } } });
    expect((await audit()).at(-1)).toMatchObject({ kind: 'housing-fund', outcome: 'source-down', attempts: 3 });

    hall.dataShareSim.setFault({ mode: 'slow', delayMs: 30_000 });
    expect(await query('income-tax')).toMatchObject({ ok: false, error: { detail: { reason: 'timeout' } } });
    expect((await audit()).at(-1)).toMatchObject({ kind: 'income-tax', outcome: 'timeout' });

    // Nothing was lost: the source back, the same query answers.
    hall.dataShareSim.setFault(null);
    expect(await query('income-tax')).toMatchObject({ ok: true });
  });

  it('refuses a query without a fresh sign-in on the asking terminal', async () => {
    const central = hall.kiosk.get('central')!;
    const ask = (idNumber: string) => central.request('datashare:query', { kind: 'social-security', idNumber }) as Promise<{ ok: boolean; error?: { code: string; retry: boolean } }>;
    await signIn('resident', '4401**********0038');
    // Another citizen's number on the terminal where this one signed in.
    expect(await ask(HK.idNumber)).toMatchObject({ ok: false, error: { code: 'signin-required', retry: false } });
    expect(await ask(RESIDENT.idNumber)).toMatchObject({ ok: true });

    // A sign-in older than the hall's freshSignInMinutes (10 by default).
    await hall.central.ctx.db.run("UPDATE terminal_sessions SET signed_in_at = ? WHERE device_id = 'kiosk-1'", [new Date(Date.now() - 11 * 60_000).toISOString()]);
    expect(await ask(RESIDENT.idNumber)).toMatchObject({ ok: false, error: { code: 'signin-required' } });

    // Signed out: the kiosk refuses by itself, and the platform too once the sign-out arrives.
    await signIn('hk-macau-taiwan', '8100**********0022');
    await hall.kiosk.get('session').signOut('user');
    expect(await query('social-security')).toMatchObject({ ok: false, error: { code: 'not-signed-in', detail: { reason: 'signin-required' } } });
    await expect.poll(async () => (await hall.central.ctx.db.query<{ ended_at: string | null }>("SELECT ended_at FROM terminal_sessions WHERE device_id = 'kiosk-1'"))[0].ended_at).not.toBeNull();
    expect(await ask(HK.idNumber)).toMatchObject({ ok: false, error: { code: 'signin-required' } });
    expect((await audit()).at(-1)).toMatchObject({ outcome: 'signin-required', attempts: 0 });
  });

  it('refuses a record a terminal does not offer', async () => {
    const robot = hall.robot.get('central')!;
    await expect.poll(() => robot.online).toBe(true);
    expect(await robot.request('datashare:query', { kind: 'social-security', idNumber: RESIDENT.idNumber })).toMatchObject({ ok: false, error: { code: 'not-offered' } });
  });
});
