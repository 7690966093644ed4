import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';
import { loadConfigDir } from '../../../config/load.ts';
import { createEngine, faqFromCsv, FaqImportError, importFaqFile, knowledgeFromConfig } from '../../../models/language/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'xiaojin-faq-'));

describe('FAQ import', () => {
  it('reads CSV with Chinese headers in any order, a BOM, quoted commas and keywords', () => {
    const csv = '\uFEFF关键词,答案,问题,部门\n"充电,插座",等候区座椅旁有插座，可以免费充电。,哪里可以给手机充电？,综合服务\n,,\n无线网,没有密码,,综合服务\n';
    const { entries, skipped } = faqFromCsv(csv);
    expect(entries).toEqual([{ id: '1', question: '哪里可以给手机充电？', answer: '等候区座椅旁有插座，可以免费充电。', department: '综合服务', keywords: ['充电', '插座'] }]);
    expect(skipped).toEqual([{ row: 3, reason: 'no question' }]);
  });

  it('reads XLSX with English headers; ids are data row numbers', () => {
    const sheet = XLSX.utils.aoa_to_sheet([
      ['Question', 'Answer', 'Keywords'],
      ['大厅有自助打印机吗？', '一楼自助服务区有打印机，可以打印社保证明。', '打印 证明'],
      ['办事要带口罩吗？', '不强制，身体不适时建议佩戴。', ''],
    ]);
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, sheet, 'FAQ');
    const file = join(dir, 'faq.xlsx');
    writeFileSync(file, XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }));
    const { entries } = importFaqFile(file);
    expect(entries.map((e) => [e.id, e.question, e.keywords])).toEqual([
      ['1', '大厅有自助打印机吗？', ['打印', '证明']],
      ['2', '办事要带口罩吗？', []],
    ]);
  });

  it('names what is missing in a bad header', () => {
    expect(() => faqFromCsv('标题,内容\n甲,乙\n', 'bad.csv')).toThrow(FaqImportError);
    expect(() => faqFromCsv('标题,内容\n甲,乙\n', 'bad.csv')).toThrow(/bad\.csv.*question and an answer/);
    expect(() => importFaqFile(join(dir, 'faq.pdf'))).toThrow(/cannot read|csv or \.xlsx/);
  });

  it('imported entries are matched like the hall’s own FAQ, homophones included', async () => {
    const { entries } = faqFromCsv('question,answer,keywords\n大厅有没有雨伞可以借,导办台有爱心雨伞。,借伞\n哪里可以打印照片,二楼有照片打印机。,打印照片\n');
    const engine = createEngine({ ...knowledgeFromConfig(loadConfigDir()), faq: entries });
    const a = await engine.ask('可以借雨伞吗');
    expect(a.match).toEqual({ kind: 'faq', id: '1', title: '大厅有没有雨伞可以借' });
    expect(a.answer).toBe('导办台有爱心雨伞。');
    const b = await engine.ask('哪里可以打印照骗');
    expect(b.match?.id).toBe('2');
  });
});
