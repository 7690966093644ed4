/** The case state machine and the receipt code: which moves a window may make, and what a scan yields. */
import { describe, expect, it } from 'vitest';
import { CASE_STATES, CASE_TRANSITIONS, MoveCaseBody, lookupCodeOf, transitionRefusal } from '../../../protocol/cases.ts';

describe('case state machine', () => {
  it('walks 受理 → 审核中 → 办结 → 待领取 → 已领取', () => {
    const path = ['accepted', 'reviewing', 'done', 'ready', 'collected'] as const;
    for (let i = 1; i < path.length; i++) expect(transitionRefusal(path[i - 1], path[i])).toBeNull();
  });

  it('returns a case for 补正 from 受理 or 审核中 and takes it back to review', () => {
    expect(transitionRefusal('accepted', 'returned')).toBeNull();
    expect(transitionRefusal('reviewing', 'returned')).toBeNull();
    expect(transitionRefusal('returned', 'reviewing')).toBeNull();
    expect(transitionRefusal('done', 'returned')).toMatch(/办结.*cannot move to 退回补正/);
  });

  it('refuses 已领取 before 办结, naming the state it is in and what may follow', () => {
    expect(transitionRefusal('reviewing', 'collected')).toBe('a case in 审核中 (reviewing) cannot move to 已领取 (collected); next is 办结 or 退回补正');
    expect(transitionRefusal('accepted', 'done')).toMatch(/next is 审核中 or 退回补正/);
    expect(transitionRefusal('collected', 'ready')).toMatch(/it is finished/);
  });

  it('allows no move back to 受理 and none out of 已领取', () => {
    for (const s of CASE_STATES) expect(transitionRefusal(s, 'accepted')).not.toBeNull();
    expect(CASE_TRANSITIONS.collected).toEqual([]);
  });

  it('asks 退回补正 for its missing materials, and no other move for any', () => {
    const id = '6f1c2f0e-8a3b-4c55-9d7e-2b1a0c3d4e5f';
    expect(MoveCaseBody.safeParse({ requestId: id, to: 'returned' }).success).toBe(false);
    expect(MoveCaseBody.safeParse({ requestId: id, to: 'returned', missing: ['居民户口簿'] }).success).toBe(true);
    expect(MoveCaseBody.safeParse({ requestId: id, to: 'done', missing: ['居民户口簿'] }).success).toBe(false);
  });
});

describe('receipt codes', () => {
  it('reads the code off a scanned receipt QR, in either case, and refuses other codes', () => {
    expect(lookupCodeOf('XJCASE:AB23CD45EF')).toBe('AB23CD45EF');
    expect(lookupCodeOf(' xjcase:ab23cd45ef\r')).toBe('AB23CD45EF');
    expect(lookupCodeOf('AB23CD45EF')).toBe('AB23CD45EF');
    expect(lookupCodeOf('https://example.gov.cn/q/123')).toBeNull();
    expect(lookupCodeOf('XJCASE:AB23CD45E0')).toBeNull();
  });
});
