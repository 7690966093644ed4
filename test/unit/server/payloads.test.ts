/**
 * The built-in transaction payloads are strict and hold masked values only, and the masks
 * the platform accepts are exactly the shapes the kiosk's own masking produces.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkPayload, MASKED_ID, MASKED_NAME } from '../../../protocol/sync.ts';
import { maskIdNumber, maskName } from '../../../electron/services/session.ts';
import { idCheckDigit } from '../../../drivers/idcard/text.ts';

const signin = (maskedName: string, maskedId = '4401**********1234') => checkPayload('signin', { maskedName, maskedId, cardType: 'resident' });
const now = new Date().toISOString();

/** One valid payload of each built-in type, as the kiosk sends it. */
const VALID: Record<string, Record<string, unknown>> = {
  ticket: { ticketId: 't1', number: 'A5001', groupId: 'social', offline: true, issuedAt: now, estimatedWaitMinutes: 3, seq: 5001, day: '2026-12-01', blockId: 'b1', maskedId: '4401**********1234' },
  signin: { maskedName: '张*三', maskedId: '4401**********1234', cardType: 'resident', idNumberValid: true },
  signout: { maskedId: '4401**********1234', reason: 'idle', seconds: 95 },
  print: { document: 'checklist', jobId: 'none', itemCode: 'GZ-SB-001', caseCode: 'c1', state: 'failed', cause: 'absent' },
  rating: { level: 4, reasons: [] },
  appointment: { appointmentId: 'a1', action: 'booked', itemCode: 'GZ-SB-001', date: '2026-12-01', slot: { start: '09:00', end: '10:00' } },
  'device-fault': { device: 'printer', kind: 'printer', state: 'faulty', paper: 'out', detail: 'cover open' },
};

describe('built-in payloads', () => {
  it('accept what the kiosk sends and refuse any key they do not list', () => {
    for (const [type, payload] of Object.entries(VALID)) {
      expect(checkPayload(type, payload), type).toMatchObject({ ok: true });
      expect(checkPayload(type, { ...payload, idNumber: '440106199001011234' }), type).toMatchObject({ ok: false, code: 'bad-payload' });
    }
  });

  it('refuse an appointment carrying an identity number and a full name, naming the keys and not their values', () => {
    const r = checkPayload('appointment', { ...VALID.appointment, idNumber: '440106199001011234', fullName: '欧阳娜娜' });
    expect(r).toMatchObject({ ok: false, code: 'bad-payload' });
    const message = (r as { message: string }).message;
    expect(message).toMatch(/idNumber/);
    expect(message).not.toMatch(/4401|欧阳/);
  });

  it('refuse a type without a schema unless test types are allowed, and then only under test.', () => {
    expect(checkPayload('queue.custom-event', { a: 1 })).toMatchObject({ ok: false, code: 'bad-payload', message: "unknown transaction type 'queue.custom-event'" });
    expect(checkPayload('test.crash', { n: 1 })).toMatchObject({ ok: false, code: 'bad-payload' });
    expect(checkPayload('test.crash', { n: 1 }, { testTypes: true })).toMatchObject({ ok: true });
    expect(checkPayload('queue.custom-event', { a: 1 }, { testTypes: true })).toMatchObject({ ok: false });
  });
});

describe('mask rules', () => {
  it('take the kiosk mask shapes of names', () => {
    for (const ok of ['张*三', '张*', '欧**娜', '*', 'Z**** S***', 'J*** S**** J*']) expect(signin(ok).ok, ok).toBe(true);
    for (const bad of ['*欧阳娜娜', '欧阳娜娜*', '张三', '欧*阳娜', '**', '张**', '*三', 'Z****  S***', '']) expect(signin(bad).ok, bad).toBe(false);
  });

  it('take the kiosk mask shapes of numbers, and no unmasked one', () => {
    for (const ok of ['4401**********1234', '4401**********123X', 'CAN4*******1202', '81**********22']) expect(MASKED_ID.test(ok), ok).toBe(true);
    for (const bad of ['440106199001011234', '4401*1234', '4401**********', '**********1234', '44010*********1234', '4401************1234']) expect(signin('张*三', bad).ok, bad).toBe(false);
  });
});

// ---------------------------------------------------------------- the kiosk's masks pass the platform's rules

const cjk = fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCodePoint(c));
const chineseName = fc.oneof(fc.array(cjk, { minLength: 1, maxLength: 15 }).map((a) => a.join('')), fc.tuple(fc.array(cjk, { minLength: 1, maxLength: 4 }), fc.array(cjk, { minLength: 1, maxLength: 4 })).map(([a, b]) => `${a.join('')}·${b.join('')}`));
const latinName = fc.array(fc.stringMatching(/^[A-Z][A-Za-z,.'-]{0,11}$/), { minLength: 1, maxLength: 4 }).map((w) => w.join(' '));
const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
const residentNumber = digits(17).map((d) => `${d}${idCheckDigit(d)}`);
const foreignOld = fc.tuple(fc.stringMatching(/^[A-Z]{3}$/), digits(12)).map(([c, d]) => `${c}${d}`);
const anyNumber = fc.stringMatching(/^[0-9A-Za-z]{1,18}$/);

describe('the kiosk masks and the platform rules agree', () => {
  it('every name the kiosk masks passes the platform rule', () => {
    fc.assert(
      fc.property(fc.oneof(chineseName, latinName), (name) => {
        const masked = maskName(name);
        expect(MASKED_NAME.test(masked)).toBe(true);
        expect(signin(masked).ok).toBe(true);
      }),
    );
  });

  it('every identity number the kiosk masks passes the platform rule', () => {
    fc.assert(
      fc.property(fc.oneof(residentNumber, foreignOld, anyNumber), (id) => {
        expect(signin('张*三', maskIdNumber(id)).ok).toBe(true);
      }),
    );
  });
});
