import { describe, expect, it } from 'vitest';
import { isValidIdNumber } from '../../../drivers/idcard/text.ts';
import { creditCheckChar, isValidCreditCode, orgCheckChar } from '../../../models/vision/credit-code.ts';
import { firm, person, seeded } from '../../../bench/ocr/fake.ts';
import { TEMPLATES } from '../../../bench/ocr/templates.ts';
import { DOCUMENT_KINDS, KIND_FIELDS } from '../../../protocol/prereview.ts';
import { docSeed } from '../../../bench/ocr/docset.ts';

describe('credit codes (GB 32100)', () => {
  it('accepts published valid codes and refuses one with a changed character', () => {
    expect(isValidCreditCode('91350100M000100Y43')).toBe(true);
    expect(isValidCreditCode('91350100M000100Y44')).toBe(false);
    expect(isValidCreditCode('91350100M0001O0Y43')).toBe(false);
    expect(creditCheckChar('91350100M000100Y4')).toBe('3');
    expect(orgCheckChar('M000100Y')).toBe('4');
  });
});

describe('fake documents', () => {
  it('carry valid ID numbers and credit codes from a seed, the same each time', () => {
    const a = seeded(7);
    const b = seeded(7);
    for (let i = 0; i < 200; i++) {
      const p = person(a);
      expect(isValidIdNumber(p.idNumber)).toBe(true);
      expect(p.idNumber.slice(6, 14)).toBe(p.birth.replaceAll('-', ''));
      expect(Number(p.idNumber[16]) % 2).toBe(p.sex === '男' ? 1 : 0);
      expect(person(b)).toEqual(p);
      const f = firm(a);
      firm(b);
      expect(isValidCreditCode(f.creditCode)).toBe(true);
      expect(orgCheckChar(f.creditCode.slice(8, 16))).toBe(f.creditCode[16]);
    }
  });

  it('fill every key field of every kind and show its values on the page', () => {
    for (const kind of DOCUMENT_KINDS) {
      const doc = TEMPLATES[kind](seeded(docSeed(kind, 0)));
      expect(Object.keys(doc.truth).sort()).toEqual([...KIND_FIELDS[kind]].sort());
      for (const key of ['idNumber', 'creditCode', 'buyerTaxId', 'certificateNumber', 'invoiceNumber'] as const) {
        if (doc.truth[key]) expect(doc.html).toContain(doc.truth[key]);
      }
    }
  });

  it('gives each kind\'s documents their own seeds', () => {
    const seeds = new Set(DOCUMENT_KINDS.flatMap((k) => Array.from({ length: 50 }, (_, i) => docSeed(k, i))));
    expect(seeds.size).toBe(DOCUMENT_KINDS.length * 50);
  });
});
