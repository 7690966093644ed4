/** The on-screen keyboard's pinyin input. */
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigStore, DEFAULT_CONFIG_DIR } from '../../../config/load.ts';
import { summaryOf } from '../../../electron/services/catalogue.ts';
import { SearchIndex } from '../../../renderer/kiosk/search/index.ts';
import { gb2312Hanzi, PinyinIme } from '../../../renderer/kiosk/search/ime.ts';

let ime: PinyinIme;

beforeAll(() => {
  const index = SearchIndex.build(ConfigStore.fromDir(DEFAULT_CONFIG_DIR).config.catalogue.items.map(summaryOf));
  ime = new PinyinIme(index.charFrequency(), (l) => index.phrases(l));
});

const texts = (letters: string, n = 10) => ime.candidates(letters, n).map((c) => c.text);

describe('pinyin input', () => {
  it('knows the 6,763 GB 2312 characters, 3,755 of them common', () => {
    const all = gb2312Hanzi();
    expect(all.length).toBe(6763);
    expect(all.filter((h) => h.level === 1).length).toBe(3755);
  });

  it('offers the catalogue word a citizen spells, by initials or in full', () => {
    expect(texts('sbk')[0]).toBe('社保卡');
    expect(texts('shebao')[0]).toBe('社保');
    expect(texts('gongjijin')[0]).toBe('公积金');
    expect(texts('jiehun')[0]).toBe('结婚');
  });

  it('ranks characters the catalogue uses before rarer ones of the same sound', () => {
    const she = texts('she', 40);
    expect(she.slice(0, 3)).toContain('社');
    expect(she.indexOf('社')).toBeLessThan(she.indexOf('麝'));
    expect(ime.candidates('she').every((c) => c.consumes === 3)).toBe(true);
  });

  it('uses v for ü and offers characters for the start of a syllable', () => {
    expect(texts('nv')).toContain('女');
    const sh = ime.candidates('sh', 30);
    expect(sh.length).toBe(30);
    expect(sh.every((c) => c.consumes === 2)).toBe(true);
  });

  it('commits the first syllable of a longer composition when a single character is picked', () => {
    const c = ime.candidates('shebao', 30).find((x) => x.text === '社' && x.consumes === 3);
    expect(c).toBeDefined();
    expect(ime.firstSyllable('xian')).toBe('xian');
  });

  it('offers nothing for no letters', () => {
    expect(ime.candidates('')).toEqual([]);
  });
});
