/** The kiosk host's 条件预判: the signed-in card's facts on the hall's day, and none of them leaving the host. */
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { composeTerminal, type KioskServices } from '../../../electron/services/kiosk-services.ts';
import { sessionPart } from '../../../electron/services/session.ts';
import { eligibilityPart } from '../../../electron/services/eligibility.ts';
import type { DeviceManager } from '../../../drivers/manager.ts';
import { residentCard } from '../../../drivers/idcard/fixtures.ts';
import { decodeCardText, encodeCardText } from '../../../drivers/idcard/text.ts';
import { hallInstant } from '../../../protocol/clock.ts';
import type { EligibilityVerdict } from '../../../protocol/ui/domains/eligibility.ts';
import { devicesWith, keepingPrinter, linkPart } from '../../helpers/terminal-parts.ts';

let services: KioskServices | null = null;
afterEach(async () => {
  await services?.close();
  services = null;
});

const card = decodeCardText(encodeCardText(residentCard.text));

async function terminal() {
  const logged: string[] = [];
  const transactions: unknown[] = [];
  const events: unknown[] = [];
  const reader = new EventEmitter();
  const log = pino({ level: 'trace' }, new Writable({ write: (chunk, _enc, done) => (logged.push(String(chunk)), done()) }));
  services = await composeTerminal({ kioskId: 'kiosk-1', dataDir: mkdtempSync(join(tmpdir(), 'xj-elig-')), log }, [
    linkPart({ append: async (type, payload) => (transactions.push({ type, payload }), { id: `T${transactions.length}` }) }, null),
    devicesWith(keepingPrinter([]), reader as unknown as DeviceManager),
    sessionPart,
    eligibilityPart,
  ]);
  services.hub.subscribe((name, payload) => events.push([name, payload]));
  const s = services;
  const check = async (input: unknown) => {
    const res = await s.router.dispatch('eligibility.check', input);
    if (!res.ok) throw new Error(res.error.message);
    return res.value as EligibilityVerdict | null;
  };
  return { services: s, reader, logged, transactions, events, check };
}

const seniorFirst = { code: 'GZ-WJ-002', caseCode: 'GZ-WJ-002-01', answers: { q1: '首次申领' } };

describe('eligibility.check on the kiosk host', () => {
  it('asks for the card with nobody signed in, then reads the age from the card on the hall\'s day', async () => {
    const t = await terminal();
    expect(await t.check(seniorFirst)).toMatchObject({ verdict: 'ask', missing: ['age'] });
    t.reader.emit('card-present', { card });
    await expect.poll(() => t.services.get('session').currentCard()).not.toBeNull();
    // Born 1968-03-15: 59 years and 10 months, two months before 60, on the hall's 15 January 2028, which begins at 16:00 UTC on the 14th.
    t.services.context.clock.source = { now: () => hallInstant('2028-01-14', '23:59') };
    expect(await t.check(seniorFirst)).toMatchObject({ verdict: 'ineligible', reason: expect.stringContaining('60周岁生日前两个月'), missing: [] });
    t.services.context.clock.source = { now: () => hallInstant('2028-01-15', '00:01') };
    expect(await t.check(seniorFirst)).toMatchObject({ verdict: 'eligible', missing: [] });
  });

  it('reads the card type and the region code: a resident of 越秀 passes the 广东 check of the ID-card item', async () => {
    const t = await terminal();
    t.reader.emit('card-present', { card });
    await expect.poll(() => t.services.get('session').currentCard()).not.toBeNull();
    expect(await t.check({ code: 'GZ-GA-003', caseCode: 'GZ-GA-003-02', answers: { q1: '有效期满换领' } })).toEqual({ verdict: 'eligible', missing: [], rule: -1 });
    expect(await t.check({ code: 'GZ-GA-003', caseCode: 'GZ-GA-003-01', answers: { q1: '首次申领' } })).toMatchObject({ verdict: 'ineligible', rule: 1 });
  });

  it('answers null for an item without rules', async () => {
    const t = await terminal();
    expect(await t.check({ code: 'GZ-SB-001', caseCode: 'GZ-SB-001-01', answers: { q1: '首次申领' } })).toBeNull();
  });

  it('keeps the card facts out of the log, the transactions and the events, at every log level', async () => {
    const t = await terminal();
    t.reader.emit('card-present', { card });
    await expect.poll(() => t.services.get('session').currentCard()).not.toBeNull();
    await t.check(seniorFirst);
    await t.check({ code: 'GZ-GA-003', caseCode: 'GZ-GA-003-01', answers: { q1: '首次申领' } });
    const out = JSON.stringify([t.logged, t.transactions, t.events]);
    for (const secret of [card.birth, card.birth.replace(/-/g, ''), card.idNumber, card.idNumber.slice(0, 6)]) expect(out).not.toContain(secret);
  });
});
