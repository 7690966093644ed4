/**
 * The pieces of 查询打印 and 主动提醒 decided without a screen or a network: who is offered
 * 老年人优待证, the older simulated card, masking a record for the screen, the words a failure
 * gets, and the platform's record of who is signed in where (real SQLite).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigDir } from '../../../config/load.ts';
import { seniorServiceOf } from '../../../electron/services/session.ts';
import { maskRecord } from '../../../electron/services/records.ts';
import { residentBornOn } from '../../../drivers/idcard/fixtures.ts';
import { isValidIdNumber } from '../../../drivers/idcard/text.ts';
import { recordFor } from '../../../server/datashare/records.ts';
import { fixtureCitizens } from '../../../cli/sim.ts';
import { recordFailureOf, worthRetrying } from '../../../renderer/kiosk/records.ts';
import { openDb } from '../../../server/db/open.ts';
import type { Db } from '../../../server/db/types.ts';
import { DATASHARE_MIGRATIONS } from '../../../server/datashare/index.ts';
import { SessionCheck } from '../../../server/datashare/sessions.ts';

const config = loadConfigDir();
// 2026-12-06 10:00 in the hall (02:00 UTC).
const NOW = new Date('2026-12-06T02:00:00Z');

describe('老年人优待证 at sign-in', () => {
  const senior = (birth: string, now = NOW) => seniorServiceOf(birth, now, config.catalogue);

  it('is offered from 60, with the day the citizen turned 60', () => {
    expect(senior('1960-05-01')).toEqual({ code: 'GZ-WJ-002', birthday: '2020-05-01', from: '2020-03-01', stage: 'sixty' });
    expect(senior('1966-12-06')).toEqual({ code: 'GZ-WJ-002', birthday: '2026-12-06', from: '2026-10-06', stage: 'sixty' });
  });

  it('is offered from two months before the 60th birthday, the first day included', () => {
    expect(senior('1967-01-20')).toEqual({ code: 'GZ-WJ-002', birthday: '2027-01-20', from: '2026-11-20', stage: 'early' });
    expect(senior('1967-02-06')).toMatchObject({ from: '2026-12-06', stage: 'early' });
    expect(senior('1967-02-07')).toMatchObject({ from: '2026-12-07', stage: 'soon' });
    // Two months before 31 January is 30 November, the month having no 31st.
    expect(senior('1967-01-31')).toMatchObject({ birthday: '2027-01-31', from: '2026-11-30', stage: 'early' });
  });

  it('is announced within 90 days before the day one may apply, and not earlier', () => {
    expect(senior('1967-04-20')).toEqual({ code: 'GZ-WJ-002', birthday: '2027-04-20', from: '2027-02-20', stage: 'soon' });
    expect(senior('1967-04-30')).toMatchObject({ from: '2027-02-28', stage: 'soon' });
    expect(senior('1967-05-06')).toMatchObject({ from: '2027-03-06', stage: 'soon' }); // 90 days ahead
    expect(senior('1967-05-07')).toBeNull();
    expect(senior('1968-03-15')).toBeNull();
  });

  it('counts the hall day, not UTC: at 00:30 in Guangzhou the first day to apply has come', () => {
    expect(senior('1967-02-07', new Date('2026-12-06T16:30:00Z'))?.stage).toBe('early');
    expect(senior('1967-02-07', new Date('2026-12-06T15:30:00Z'))?.stage).toBe('soon');
    expect(senior('1966-12-07', new Date('2026-12-06T16:30:00Z'))?.stage).toBe('sixty');
    expect(senior('1966-12-07', new Date('2026-12-06T15:30:00Z'))?.stage).toBe('early');
  });

  it('offers nothing for an unreadable date or in a hall without the item', () => {
    expect(senior('1960-13-40')).toBeNull();
    expect(senior('1966-02-29')).toBeNull();
    expect(seniorServiceOf('1960-05-01', NOW, { ...config.catalogue, items: config.catalogue.items.filter((i) => i.code !== 'GZ-WJ-002') })).toBeNull();
  });
});

describe('an older simulated resident', () => {
  it('carries a valid number with the new birth date in it', () => {
    const card = residentBornOn('1960-05-01');
    expect(card.text.birth).toBe('1960-05-01');
    expect(card.text.idNumber.slice(6, 14)).toBe('19600501');
    expect(isValidIdNumber(card.text.idNumber)).toBe(true);
    expect(() => residentBornOn('1960/05/01')).toThrow(RangeError);
  });
});

describe('a record on the screen', () => {
  it('masks the holder wherever the record names them, and nothing else', () => {
    const resident = fixtureCitizens().find((c) => c.cardType === 'resident')!;
    const record = recordFor(resident, 'household', NOW)!;
    const view = maskRecord(record);
    expect(view.holder).toEqual({ maskedName: '李*华', maskedId: '4401**********0038' });
    expect(view.rows.find((r) => r.label.zh === '姓名')?.value).toBe('李*华');
    expect(view.rows.find((r) => r.label.zh === '公民身份号码')?.value).toBe('4401**********0038');
    expect(view.rows.find((r) => r.label.zh === '住址')?.value).toBe(resident.address);
    expect(JSON.stringify(view)).not.toContain(resident.idNumber);
    expect(JSON.stringify(view)).not.toContain(resident.name);
  });

  it('words each failure and offers a retry only where one can help', () => {
    const err = (code: string, reason?: string) => Object.assign(new Error('x'), { code, detail: reason ? { reason } : undefined });
    expect(recordFailureOf(err('not-found', 'no-record'))).toBe('no-record');
    expect(recordFailureOf(err('unavailable', 'source-down'))).toBe('source-down');
    expect(recordFailureOf(err('offline'))).toBe('offline');
    expect(recordFailureOf(err('internal', 'something-new'))).toBe('failed');
    expect(worthRetrying('no-record')).toBe(false);
    expect(worthRetrying('signin-required')).toBe(false);
    expect(worthRetrying('timeout')).toBe(true);
  });
});

describe("the platform's record of sign-ins", () => {
  let dir: string;
  let db: Db;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'xj-sessions-'));
    db = openDb(undefined, dir);
    await db.migrate('datashare', DATASHARE_MIGRATIONS);
  });
  afterAll(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const tx = (type: string, at: string, maskedId: string) => ({ id: `${type}-${at}`, deviceId: 'k1', seq: 1, type, at, payload: { maskedId } });

  it('keeps the latest sign-in, even when an older one is delivered after it, and ends it only by its own sign-out', async () => {
    let now = Date.parse('2026-12-06T02:05:00Z');
    const check = new SessionCheck(db, () => now);
    await check.signedIn(tx('signin', '2026-12-06T02:04:00.000Z', 'B'), db);
    await check.signedIn(tx('signin', '2026-12-06T02:00:00.000Z', 'A'), db);
    expect(await check.check('k1', 'B', 10)).toBeNull();
    // A sign-out of someone else (delivered late) does not end this citizen's session.
    await check.signedOut(tx('signout', '2026-12-06T02:03:00.000Z', 'A'), db);
    expect(await check.check('k1', 'B', 10)).toBeNull();
    now = Date.parse('2026-12-06T02:15:00Z');
    expect(await check.check('k1', 'B', 10)).toBe('stale');
    await check.signedOut(tx('signout', '2026-12-06T02:06:00.000Z', 'B'), db);
    expect(await check.check('k1', 'B', 60)).toBe('signed-out');
  });
});
