import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  NATION,
  decodeAdditionalAddress,
  decodeCardText,
  encodeAdditionalAddress,
  encodeCardText,
  idCheckDigit,
  isValidIdNumber,
} from '../../../drivers/idcard/text.ts';
import { fixtureCards, foreignPermanentCard, hkMacauTaiwanCard, residentCard } from '../../../drivers/idcard/fixtures.ts';
import { UnsupportedCardError } from '../../../drivers/idcard/errors.ts';

describe('GB 11643 check digit', () => {
  it('computes known check digits, including X', () => {
    expect(idCheckDigit('11010519491231002')).toBe('X');
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
    expect(isValidIdNumber('11010519491231002x')).toBe(true);
    expect(isValidIdNumber('440524188001010014')).toBe(true);
  });

  it('rejects a wrong check digit, wrong length and letters', () => {
    expect(isValidIdNumber('110105194912310021')).toBe(false);
    expect(isValidIdNumber('11010519491231002')).toBe(false);
    expect(isValidIdNumber('1101051949123100AX')).toBe(false);
  });

  it('every fixture number that follows GB 11643 is valid', () => {
    expect(isValidIdNumber(residentCard.text.cardType === 'resident' ? residentCard.text.idNumber : '')).toBe(true);
    expect(isValidIdNumber(hkMacauTaiwanCard.text.cardType === 'hk-macau-taiwan' ? hkMacauTaiwanCard.text.idNumber : '')).toBe(true);
  });

  it('any single-digit change is detected', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{17}$/), fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 9 }), (body, pos, delta) => {
        const id = body + idCheckDigit(body);
        const changed = body.slice(0, pos) + ((Number(body[pos]) + delta) % 10) + body.slice(pos + 1);
        expect(isValidIdNumber(changed + id[17])).toBe(false);
      }),
    );
  });
});

describe('text block decoding', () => {
  it('decodes a resident ID card, including 长期', () => {
    const card = decodeCardText(encodeCardText(residentCard.text));
    expect(card).toEqual({
      cardType: 'resident',
      name: '李今华',
      sex: '男',
      sexCode: '1',
      nation: '汉',
      nationCode: '01',
      birth: '1968-03-15',
      address: '广东省广州市越秀区府前路1号',
      idNumber: '440104196803150038',
      idNumberValid: true,
      authority: '广州市公安局越秀分局',
      validFrom: '2016-05-20',
      validTo: '长期',
    });
  });

  it('the 长期 marker is the documented bytes 7F 95 1F 67 then spaces', () => {
    const block = encodeCardText(residentCard.text);
    expect([...block.subarray(204, 212)]).toEqual([0x7f, 0x95, 0x1f, 0x67, 0x20, 0x00, 0x20, 0x00]);
  });

  it('decodes a J HK/Macau/Taiwan residence permit', () => {
    const block = encodeCardText(hkMacauTaiwanCard.text);
    expect([block[248], block[249]]).toEqual([0x4a, 0x00]);
    expect(decodeCardText(block)).toEqual({
      cardType: 'hk-macau-taiwan',
      name: '陈港生',
      sex: '女',
      sexCode: '2',
      nation: null,
      birth: '1995-05-05',
      address: '',
      idNumber: '810000199505050022',
      idNumberValid: true,
      authority: '深圳市公安局',
      validFrom: '2021-09-01',
      validTo: '2026-09-01',
      passNumber: 'H60123456',
      issueCount: '01',
    });
  });

  it('decodes an I foreign permanent resident card', () => {
    const block = encodeCardText(foreignPermanentCard.text);
    expect([block[248], block[249]]).toEqual([0x49, 0x00]);
    expect(decodeCardText(block)).toEqual({
      cardType: 'foreign-permanent',
      name: '马克蕾',
      englishName: 'MARTIN, CLAIRE ANNE',
      chineseName: '马克蕾',
      sex: '女',
      sexCode: '2',
      nation: null,
      nationality: 'CAN',
      birth: '1985-06-12',
      address: null,
      idNumber: 'CAN440085061202',
      idNumberValid: null,
      authority: '1500',
      authorityCode: '1500',
      validFrom: '2019-03-01',
      validTo: '2029-03-01',
      cardVersion: '17',
    });
  });

  it('says when an ID number check digit is wrong', () => {
    const text = { ...residentCard.text, idNumber: '440104196803150039' } as typeof residentCard.text;
    expect(decodeCardText(encodeCardText(text)).idNumberValid).toBe(false);
  });

  it('maps every nation code and keeps unknown codes', () => {
    expect(Object.keys(NATION)).toHaveLength(58);
    const text = { ...residentCard.text, nationCode: '38' } as typeof residentCard.text;
    expect(decodeCardText(encodeCardText(text))).toMatchObject({ nation: '锡伯', nationCode: '38' });
    const odd = { ...residentCard.text, nationCode: '77' } as typeof residentCard.text;
    expect(decodeCardText(encodeCardText(odd))).toMatchObject({ nation: null, nationCode: '77' });
  });

  it("refuses a 2023 'Y' card clearly", () => {
    const block = encodeCardText(foreignPermanentCard.text);
    block[248] = 0x59;
    expect(() => decodeCardText(block)).toThrow(UnsupportedCardError);
    expect(() => decodeCardText(block)).toThrow(/2023.*'Y'.*not supported/);
  });

  it('rejects fields that do not fit', () => {
    expect(() => encodeCardText({ ...residentCard.text, name: '一二三四五六七八九十一二三四五六' } as typeof residentCard.text)).toThrow(RangeError);
  });

  it('additional address round-trips', () => {
    const bytes = encodeAdditionalAddress('广东省广州市天河区天河路100号');
    expect(bytes).toHaveLength(70);
    expect(decodeAdditionalAddress(bytes)).toBe('广东省广州市天河区天河路100号');
  });

  it('all fixtures have deterministic, non-image photo bytes', () => {
    for (const card of Object.values(fixtureCards)) {
      expect(card.photo).toHaveLength(1024);
      // Not a BMP/JPEG/PNG header: these stand in for encrypted WLT data.
      expect([card.photo[0], card.photo[1]]).not.toEqual([0x42, 0x4d]);
      expect([card.photo[0], card.photo[1]]).not.toEqual([0xff, 0xd8]);
    }
  });

  it('random text blocks decode or fail with a typed error, never crash', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 256, maxLength: 256 }), (block) => {
        try {
          const card = decodeCardText(block);
          expect(typeof card.name).toBe('string');
        } catch (err) {
          expect(err).toBeInstanceOf(UnsupportedCardError);
        }
      }),
    );
  });
});
