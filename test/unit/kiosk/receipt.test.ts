/** The material checklist slip. */
import { describe, expect, it } from 'vitest';
import { ConfigStore, DEFAULT_CONFIG_DIR } from '../../../config/load.ts';
import { checklistReceipt } from '../../../electron/services/print.ts';
import { columns, wrap } from '../../../drivers/printer/layout.ts';
import { parseReceipt } from '../../../drivers/printer/receipt.ts';

const config = ConfigStore.fromDir(DEFAULT_CONFIG_DIR).config;
const item = (code: string) => config.catalogue.items.find((i) => i.code === code)!;
const now = new Date('2026-03-02T02:00:00Z');

function textOf(doc: ReturnType<typeof checklistReceipt>): string {
  return doc.items.map((i) => (i.type === 'text' ? i.text : '')).join('\n');
}

describe('receipt layout', () => {
  it('counts CJK as two columns', () => {
    expect(columns('社保卡A1')).toBe(8);
  });
  it('wraps to the paper width with a hanging indent', () => {
    const lines = wrap('事项：' + '很'.repeat(40), 48, '      ');
    expect(lines.length).toBe(2);
    expect(lines.every((l) => columns(l) <= 48)).toBe(true);
    expect(lines[1].startsWith('      ')).toBe(true);
  });
});

describe('checklist receipt', () => {
  it('lists a case’s own materials and a QR to its guide', () => {
    const guided = { ...config, hall: { ...config.hall, guideBaseUrl: 'https://zwfw.gz.gov.cn/guide/item/' } };
    const doc = parseReceipt(checklistReceipt({ config: guided, item: item('GZ-SB-001'), caseCode: 'GZ-SB-001-03', kioskName: '一楼自助服务终端1号', now }));
    const text = doc.items.map((i) => (i.type === 'text' ? i.text : '')).join('\n');
    expect(text).toContain('办事材料清单');
    expect(text).toContain('情形：损坏或到期换领');
    expect(text).toContain('1. 居民身份证（原件）');
    expect(text).toContain('2. 原社会保障卡（原件）');
    expect(text).not.toContain('挂失证明');
    expect(text).toContain('承诺时限：即办');
    expect(text).toContain('2026/3/2 10:00:00');
    const qr = doc.items.find((i) => i.type === 'qr');
    expect(qr).toMatchObject({ data: 'https://zwfw.gz.gov.cn/guide/item/GZ-SB-001?case=GZ-SB-001-03' });
    expect(doc.items.at(-1)?.type).toBe('cut');
  });

  it('uses the item’s materials without a case, marks optional ones and keeps every line within the paper', () => {
    const doc = checklistReceipt({ config, item: item('GZ-SB-001'), kioskName: 'k', now });
    const text = textOf(doc);
    expect(text).toContain('需携带材料（共1项）');
    expect(text).toContain('办理窗口：');
    for (const line of text.split('\n')) expect(columns(line)).toBeLessThanOrEqual(48);
    const withCase = textOf(checklistReceipt({ config, item: item('GZ-SB-001'), caseCode: 'GZ-SB-001-01', kioskName: 'k', now }));
    expect(withCase).toContain('非必须');
    expect(withCase).toContain('注：已有公安制证照片的可免交');
  });

  it('states the fee or 不收费, how the result is collected and the hall\'s hours', () => {
    const social = textOf(checklistReceipt({ config, item: item('GZ-SB-001'), kioskName: 'k', now }));
    expect(social).toContain('收费标准：以窗口告知为准');
    expect(social).toContain('领取结果：办结后请本人带身份证到窗口领取');
    expect(social).toContain('大厅办公时间：周一至周五 09:00–17:00\n　　　　　　　周六 09:00–12:00');
    expect(social).not.toContain('需现场领取');
    expect(textOf(checklistReceipt({ config, item: item('GZ-MZ-001'), kioskName: 'k', now }))).toContain('收费标准：不收费');
    const card = textOf(checklistReceipt({ config, item: item('GZ-GA-003'), caseCode: 'GZ-GA-003-04', kioskName: 'k', now }));
    expect(card).toMatch(/收费标准：40元/);
  });

  it('refuses a case the item does not have', () => {
    expect(() => checklistReceipt({ config, item: item('GZ-SB-001'), caseCode: 'GZ-GJJ-001-01', kioskName: 'k', now })).toThrow(/no case/);
  });
});
