/** Catalogue search as the kiosk runs it, over the default hall's full catalogue. */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ConfigStore, DEFAULT_CONFIG_DIR } from '../../../config/load.ts';
import { summaryOf } from '../../../electron/services/catalogue.ts';
import { SearchIndex } from '../../../renderer/kiosk/search/index.ts';
import { editBudget, matchOneEdit, matchPinyin, prefixDistance, withinOneEdit } from '../../../renderer/kiosk/search/match.ts';
import { parseQuery, unitsOf } from '../../../renderer/kiosk/search/text.ts';
import type { ItemSummary } from '../../../protocol/ui/domains/catalogue.ts';

let index: SearchIndex;
let summaries: ItemSummary[];

beforeAll(() => {
  const store = ConfigStore.fromDir(DEFAULT_CONFIG_DIR);
  summaries = store.config.catalogue.items.map(summaryOf);
  index = SearchIndex.build(summaries);
});

const codes = (q: string, n = 5) => index.search(q, n).results.map((r) => r.code);
const names = (q: string, n = 5) => index.search(q, n).results.map((r) => r.name);

describe('text units', () => {
  it('reads polyphones in their word and drops punctuation', () => {
    expect(unitsOf('银行（网点）').map((u) => u.syl)).toEqual(['yin', 'hang', 'wang', 'dian']);
    expect(unitsOf('Ｂ超 检查').map((u) => u.ch)).toEqual(['b', '超', '检', '查']);
  });

  it('tells Chinese, pinyin and mixed queries apart', () => {
    expect(parseQuery('社保卡').kind).toBe('chinese');
    expect(parseQuery(" she'bao ").kind).toBe('pinyin');
    expect(parseQuery("she'bao").letters).toBe('shebao');
    expect(parseQuery('社bk')).toMatchObject({ kind: 'mixed', letters: 'shebk', wholeSyllables: [{ from: 0, to: 3 }] });
    expect(parseQuery(' ，').kind).toBe('empty');
  });
});

describe('pinyin matching', () => {
  const syl = ['she', 'hui', 'bao', 'zhang', 'ka'];
  it('takes initials, whole syllables and prefixes in one query', () => {
    expect(matchPinyin(syl, 'shbzk')).toMatchObject({ start: 0, length: 5 });
    expect(matchPinyin(syl, 'shehuibaozhangka')).toMatchObject({ start: 0, length: 5, full: 5 });
    expect(matchPinyin(syl, 'baozk')).toMatchObject({ start: 2, length: 3 });
    expect(matchPinyin(syl, 'zhangk')).toMatchObject({ start: 3, length: 2, full: 1 });
  });
  it('rejects letters that skip a syllable or are out of order', () => {
    expect(matchPinyin(syl, 'sbk')).toBeNull();
    expect(matchPinyin(syl, 'kz')).toBeNull();
    expect(matchPinyin(syl, 'shex')).toBeNull();
  });
  it('makes a whole-syllable piece match a whole syllable only', () => {
    expect(matchPinyin(['shen', 'bao'], 'shebao', new Map([[0, 3]]))).toBeNull();
    expect(matchPinyin(['she', 'bao'], 'shebao', new Map([[0, 3]]))).not.toBeNull();
  });
  it('a longer query never matches where its prefix does not (so keystrokes may narrow)', () => {
    const syllables = fc.array(fc.constantFrom('she', 'shi', 'bao', 'ka', 'zhang', 'hui', 'a', 'an'), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(syllables, fc.string({ unit: fc.constantFrom('s', 'h', 'e', 'b', 'a', 'o', 'k', 'z', 'n', 'g', 'i', 'u'), minLength: 2, maxLength: 8 }), (s, q) => {
        if (matchPinyin(s, q)) expect(matchPinyin(s, q.slice(0, -1))).not.toBeNull();
      }),
    );
  });
});

describe('one wrong character', () => {
  const chars = [...'社会保障卡申领'];
  it('accepts a substitution, a missing and an extra character', () => {
    expect(matchOneEdit(chars, [...'社会保帐卡'])).toEqual({ start: 0, length: 5 });
    expect(matchOneEdit(chars, [...'社保障卡'])).not.toBeNull();
    expect(matchOneEdit(chars, [...'社会保障障卡'])).not.toBeNull();
  });
  it('refuses two', () => {
    expect(matchOneEdit(chars, [...'社汇报障卡'])).toBeNull();
    expect(withinOneEdit([...'abcd'], 0, 4, [...'abxy'])).toBe(false);
    expect(withinOneEdit([...'abcd'], 0, 4, [...'abd'])).toBe(true);
  });
});

describe('catalogue search', () => {
  it('indexes every item of the default hall', () => {
    expect(summaries.length).toBeGreaterThan(2000);
    expect(index.size).toBe(summaries.length);
  });

  it('finds 社保卡 items from the initials sbk', () => {
    const out = index.search('sbk', 10);
    expect(out.results[0]).toMatchObject({ code: 'GZ-SB-001', match: 'initials', via: 'alias', viaText: '社保卡' });
  });

  it('finds them from full pinyin and from pinyin typed half-way', () => {
    expect(codes('shebaoka')[0]).toBe('GZ-SB-001');
    expect(codes('shebaok')[0]).toBe('GZ-SB-001');
    expect(codes('gongjijin')[0]).toBe('GZ-GJJ-001');
    expect(names('jhdj', 3)).toContain('结婚登记');
  });

  it('finds Chinese text anywhere in a name, ranking name starts and whole matches first', () => {
    const out = index.search('护照', 10);
    expect(out.results.length).toBeGreaterThan(3);
    expect(out.results.every((r) => r.match === 'exact')).toBe(true);
    expect(out.results[0].name).toBe('普通护照签发');
    expect(codes('居住证')[0]).toBe('GZ-GA-001');
  });

  it('tolerates one wrong character, and homophones from a pinyin slip', () => {
    expect(index.search('社保障卡').results[0]).toMatchObject({ code: 'GZ-SB-001', match: 'fuzzy' });
    expect(index.search('设保卡').results[0]).toMatchObject({ code: 'GZ-SB-001', match: 'homophone' });
    expect(index.search('结婚登己').results.map((r) => r.name)).toContain('结婚登记');
  });

  it('reaches an item through one of its cases', () => {
    const r = index.search('遗失补领', 40).results.find((x) => x.code === 'GZ-SB-001');
    expect(r).toMatchObject({ via: 'case', viaText: '遗失补领' });
  });

  it('gives the same results when a pinyin query is typed letter by letter as when it arrives whole', () => {
    const typed = 'gongjij';
    let last = index.search('', 20);
    for (let i = 1; i <= typed.length; i++) last = index.search(typed.slice(0, i), 20);
    const fresh = SearchIndex.build(summaries).search(typed, 20);
    expect(last.results.map((r) => r.code)).toEqual(fresh.results.map((r) => r.code));
    expect(last.total).toBe(fresh.total);
  });

  it('forgets narrowing when the citizen deletes a letter', () => {
    const wide = index.search('gj', 100).total;
    index.search('gjjx', 10);
    expect(index.search('gj', 100).total).toBe(wide);
  });

  it('finds nothing for nonsense instead of everything', () => {
    expect(index.search('qqqqqq').total).toBe(0);
    expect(index.search('鼹鼹鼹').total).toBe(0);
  });
});

describe('pinyin typed with a slip', () => {
  it('counts a swap, a missing, an extra and a wrong letter as one edit each, against a prefix', () => {
    expect(prefixDistance('huzhaoqianzheng', 0, 'huzhoa', 1)).toEqual({ edits: 1, used: 5 }); // huzh·a, the o an extra letter
    expect(prefixDistance('huzhao', 0, 'huzao', 1)).toEqual({ edits: 1, used: 6 });
    expect(prefixDistance('huzhao', 0, 'huzhaoo', 1)).toEqual({ edits: 1, used: 6 });
    expect(prefixDistance('huzhao', 0, 'fuzhao', 1)).toEqual({ edits: 1, used: 6 });
    expect(prefixDistance('jiehun', 0, 'jeihun', 1)).toEqual({ edits: 1, used: 6 });
    expect(prefixDistance('huzhao', 0, 'fuzhoa', 1)).toBeNull();
    expect(prefixDistance('xhuzhao', 1, 'huzhao', 1)).toEqual({ edits: 0, used: 6 });
  });

  it('allows more edits only to longer queries', () => {
    expect([3, 4, 7, 8, 12].map(editBudget)).toEqual([0, 1, 1, 2, 2]);
  });

  it('finds what a swapped, missing or wrong letter meant, and says what it read', () => {
    for (const q of ['huzhoa', 'huzao', 'fuzhao', 'hujhao']) {
      const out = index.search(q, 3);
      expect(out.results.map((r) => r.code), q).toContain('GZ-CRJ-002');
      expect(out.results[0], q).toMatchObject({ code: 'GZ-CRJ-002', match: 'typo' });
      expect(out.corrected, q).toBe('护照');
    }
    expect(index.search('shebaoak', 3).results[0]?.code).toBe('GZ-SB-001');
    expect(index.search('jeihun', 3).results[0]?.code).toBe('GZ-MZ-001');
  });

  it('ranks a correct spelling above every typo reading, and says nothing of typos then', () => {
    const out = index.search('huzhao', 40);
    expect(out.results[0]).toMatchObject({ code: 'GZ-CRJ-002', match: 'pinyin' });
    expect(out.results.some((r) => r.match === 'typo')).toBe(false);
    expect(out.corrected).toBeUndefined();
  });

  it('does not read h-j-hao inside another name as a match', () => {
    expect(index.search('hujhao', 40).results.map((r) => r.name)).not.toContain('广东省各县区生态环境状况指数（年度）');
  });

  it('still finds nothing for letters that are no slip of anything', () => {
    expect(index.search('qqqqqq').total).toBe(0);
    expect(index.search('xqzvkw').total).toBe(0);
  });
});
