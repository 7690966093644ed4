/** Receipt line layout: GB18030 widths and CJK line-breaking rules, over the whole catalogue. */
import { describe, expect, it } from 'vitest';
import { ConfigStore, DEFAULT_CONFIG_DIR } from '../../../config/load.ts';
import { checklistReceipt } from '../../../electron/services/print.ts';
import { columns, wrap } from '../../../drivers/printer/layout.ts';

const CLOSING = /^[）】》」』〕〉，。、；：？！…%,.;:?!)\]}”’]/;
const OPENING = /[（【《「『〔〈“‘([{]$/;

describe('receipt line layout', () => {
  it('counts columns as the printer does in GB18030: two for every multi-byte character', () => {
    expect(columns('社保卡A1')).toBe(8);
    // The middle dot of a transliterated name and the em dash are two bytes in GB18030.
    expect(columns('阿依·古丽')).toBe(10);
    expect(columns('——')).toBe(4);
    expect(columns('（）')).toBe(4);
  });

  it('never starts a line with closing punctuation or ends one with opening punctuation', () => {
    const text = '1. 居民身份证（原件，1份）Social Security card renewal（补领）。注：需本人到场办理，请携带（原件）。';
    for (let width = 12; width <= 48; width++) {
      const lines = wrap(text, width, '   ');
      for (const [i, line] of lines.entries()) {
        expect(columns(line), `width ${width} line ${i}`).toBeLessThanOrEqual(width);
        expect(line.trimStart(), `width ${width} line ${i}`).not.toMatch(CLOSING);
        expect(line, `width ${width} line ${i}`).not.toMatch(OPENING);
      }
      expect(lines.map((l, i) => (i ? l.slice(3) : l)).join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
    }
  });

  it('keeps Latin words whole and cuts only what is wider than a line', () => {
    const lines = wrap('Please bring your Resident Identity Card and the Social Security Card', 20);
    expect(lines).toEqual(['Please bring your', 'Resident Identity', 'Card and the Social', 'Security Card']);
    const long = wrap('code:ABCDEFGHIJKLMNOPQRSTUVWXYZ', 10);
    expect(long.every((l) => columns(l) <= 10)).toBe(true);
    expect(long.join('')).toBe('code:ABCDEFGHIJKLMNOPQRSTUVWXYZ');
  });

  it('lays out every checklist of the catalogue within the paper and by the rules', () => {
    const config = ConfigStore.fromDir(DEFAULT_CONFIG_DIR).config;
    let checked = 0;
    for (const item of config.catalogue.items) {
      const doc = checklistReceipt({ config, item, kioskName: '一楼自助服务终端1号', now: new Date('2026-03-02T02:00:00Z') });
      for (const entry of doc.items) {
        if (entry.type !== 'text') continue;
        for (const line of entry.text.split('\n')) {
          expect(columns(line), `${item.code}: ${line}`).toBeLessThanOrEqual(48);
          expect(line.trimStart(), `${item.code}: ${line}`).not.toMatch(CLOSING);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});
