/**
 * The synonym rewriter on its own: which variant wins, what a misheard variant becomes,
 * and that looking entries up by their first unit finds variants heard by sound whose
 * first character was misheard.
 */
import { describe, expect, it } from 'vitest';
import { queryUnitsOf, unitsOf } from '../../../models/language/pinyin.ts';
import { SynonymRewriter } from '../../../models/language/synonyms.ts';

const text = (units: { char: string }[] | null) => units?.map((u) => u.char).join('') ?? null;

const sets = [
  ['机动车驾驶证', '驾照', '驾驶证'],
  ['普通护照', '护照'],
  ['社会保障卡', '社保卡', '社保'],
  ['未婚公证', '单身公证'],
  ['公证', '公正书'],
];

describe('SynonymRewriter', () => {
  const r = new SynonymRewriter(sets);

  it('rewrites a written variant to its canonical, the longest variant first', () => {
    expect(text(r.rewriteDoc(unitsOf('补办社保卡')))).toBe('补办社会保障卡');
    expect(text(r.rewriteQuery(queryUnitsOf('社保怎么交')).exact)).toBe('社会保障卡怎么交');
  });

  it('leaves a canonical that is already written alone', () => {
    expect(text(r.rewriteDoc(unitsOf('机动车驾驶证换证')))).toBe('机动车驾驶证换证');
  });

  it('still rewrites an everyday word that contains a shorter canonical', () => {
    expect(text(r.rewriteDoc(unitsOf('办单身公证')))).toBe('办未婚公证');
  });

  it('finds a variant by sound when its first character was misheard, as a second reading only', () => {
    // 假 (jia) for 驾: the exact reading keeps what was heard, the sound reading has the canonical.
    const { exact, bySound } = r.rewriteQuery(queryUnitsOf('假照丢了'));
    expect(text(exact)).toBe('假照丢了');
    expect(text(bySound)).toBe('机动车驾驶证丢了');
  });

  it('finds a variant by sound when a later character was misheard', () => {
    expect(text(r.rewriteQuery(queryUnitsOf('设保卡补办')).bySound)).toBe('社会保障卡补办');
  });

  it('finds a variant by a near sound that accents blur (f/h: 夫照 for 护照)', () => {
    const { exact, bySound } = r.rewriteQuery(queryUnitsOf('夫照丢了'));
    expect(text(exact)).toBe('夫照丢了');
    expect(text(bySound)).toBe('普通护照丢了');
  });

  it('does not fire on a two-character word heard entirely differently', () => {
    // Both characters wrong by character (夹 and 罩 only sound alike): not enough evidence.
    expect(r.rewriteQuery(queryUnitsOf('夹罩')).bySound).toBeNull();
  });

  it('rewrites the same with a thousand other sets in the table', () => {
    const filler = Array.from({ length: 1000 }, (_, i) => [`甲乙${i}号`, `丙丁${i}号`]);
    const big = new SynonymRewriter([...filler, ...sets]);
    expect(text(big.rewriteDoc(unitsOf('补办社保卡')))).toBe('补办社会保障卡');
    expect(text(big.rewriteQuery(queryUnitsOf('假照丢了')).bySound)).toBe('机动车驾驶证丢了');
    expect(text(big.rewriteDoc(unitsOf('丙丁7号')))).toBe('甲乙7号');
  });
});
