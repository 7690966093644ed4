import { describe, expect, it } from 'vitest';
import { chineseNumber, normalize } from '../../../models/language/normalize.ts';
import { fuzzySyllable, queryUnitsOf, syllables } from '../../../models/language/pinyin.ts';
import { parseChoice } from '../../../models/language/intents.ts';

describe('normalisation', () => {
  it('folds full width and punctuation', () => {
    expect(normalize('Ｂ１０窗口怎么走？')).toBe('B10窗口怎么走?');
    expect(normalize('社保卡，补办！')).toBe('社保卡,补办!');
    expect(normalize('  护照　在哪  ')).toBe('护照 在哪');
  });

  it('rewrites numbers that are numbers to a visitor, not inside names', () => {
    expect(normalize('三号窗口在哪')).toBe('3号窗口在哪');
    expect(normalize('十二号窗口')).toBe('12号窗口');
    expect(normalize('我想去二楼')).toBe('我想去2楼');
    expect(normalize('幺零一')).toBe('101');
    expect(normalize('第二个')).toBe('第2个');
    expect(normalize('一级建造师')).toBe('一级建造师');
    expect(normalize('二手房过户')).toBe('二手房过户');
    expect(normalize('一个窗口')).toBe('一个窗口');
  });

  it('writes window ids the way the hall does', () => {
    expect(normalize('带我去B零一窗口')).toBe('带我去B01窗口');
    expect(normalize('b1号窗口')).toBe('B01号窗口');
    expect(normalize('去C十')).toBe('去C10');
    expect(normalize('B 3号窗口')).toBe('B03号窗口');
    expect(normalize('A4纸')).toBe('A4纸');
  });

  it('is idempotent', () => {
    for (const s of ['带我去B零一窗口', '幺零一', '三号窗口', 'Ｂ１０窗口怎么走？', '社保卡补办']) expect(normalize(normalize(s))).toBe(normalize(s));
  });

  it('reads Chinese numerals', () => {
    expect(chineseNumber('一百零一')).toBe(101);
    expect(chineseNumber('两百')).toBe(200);
    expect(chineseNumber('幺二三')).toBe(123);
    expect(chineseNumber('社保')).toBeNull();
  });

  it('parses clarification choices', () => {
    expect(parseChoice(normalize('第二个'))).toBe(2);
    expect(parseChoice(normalize('我选第三个吧'))).toBe(3);
    expect(parseChoice('2')).toBe(2);
    expect(parseChoice('最后一个')).toBe(0);
    expect(parseChoice('社保卡')).toBeNull();
  });
});

describe('sound', () => {
  it('hears homophones as the same syllables', () => {
    expect(syllables('设保卡不办')).toBe(syllables('社保卡补办'));
    expect(syllables('社保卡补办')).toBe('she bao ka bu ban');
  });

  it('folds near-homophones a southern speaker or small model confuses', () => {
    expect(fuzzySyllable('zhi')).toBe(fuzzySyllable('zi'));
    expect(fuzzySyllable('shen')).toBe(fuzzySyllable('sheng'));
    expect(fuzzySyllable('nan')).toBe(fuzzySyllable('lan'));
    expect(fuzzySyllable('fu')).toBe(fuzzySyllable('hu'));
    expect(fuzzySyllable('fei')).toBe(fuzzySyllable('hei'));
    expect(fuzzySyllable('bao')).not.toBe(fuzzySyllable('pao'));
  });

  it('keeps every reading of a polyphone in a question', () => {
    const [u] = queryUnitsOf('长');
    expect(u.readings.has('chang')).toBe(true);
    expect(u.readings.has('zhang')).toBe(true);
  });
});
