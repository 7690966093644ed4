import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
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

  it('reads XLSX with English headers and rich text; ids are data row numbers', async () => {
    const file = join(dir, 'faq.xlsx');
    writeFileSync(
      file,
      await workbook([
        ['Question', 'Answer', 'Keywords'],
        ['大厅有自助打印机吗？', '一楼自助服务区有打印机，可以打印社保证明。', '打印 证明'],
        [],
        ['办事要带口罩吗？', { richText: [{ text: '不强制，' }, { text: '身体不适时建议佩戴。', font: { bold: true } }] }, ''],
      ]),
    );
    const { entries } = await importFaqFile(file);
    expect(entries.map((e) => [e.id, e.question, e.answer, e.keywords])).toEqual([
      ['1', '大厅有自助打印机吗？', '一楼自助服务区有打印机，可以打印社保证明。', ['打印', '证明']],
      ['3', '办事要带口罩吗？', '不强制，身体不适时建议佩戴。', []],
    ]);
  });

  it('a hostile workbook pollutes no prototype: its keys are read as text or refused', async () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    const rows = [
      ['__proto__', 'question', 'answer', 'constructor'],
      ['{"polluted":true}', '__proto__', 'prototype', 'constructor.prototype.polluted'],
    ];
    // Attributes an object-building XML parser might copy onto an object.
    const attrs = join(dir, 'hostile-attrs.xlsx');
    writeFileSync(attrs, await patchSheet(await workbook(rows, '__proto__'), (xml) => xml.replace('<worksheet ', '<worksheet __proto__="polluted" constructor="polluted" ')));
    const { entries } = await importFaqFile(attrs);
    expect(entries).toEqual([{ id: '1', question: '__proto__', answer: 'prototype', keywords: [] }]);
    expect(Object.getPrototypeOf(entries[0])).toBe(Object.prototype);
    // An element named __proto__ makes exceljs look its parser up on Object.prototype.
    const elem = join(dir, 'hostile-elem.xlsx');
    writeFileSync(elem, await patchSheet(await workbook(rows), (xml) => xml.replace('</worksheet>', '<__proto__ polluted="yes"/></worksheet>')));
    await expect(importFaqFile(elem)).rejects.toThrow(/hostile-elem\.xlsx: not a readable \.xlsx workbook$/);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses what is not an .xlsx workbook, naming the file and not its content', async () => {
    const file = join(dir, 'fake.xlsx');
    writeFileSync(file, '问题,答案\n身份证号 110101199003071234,x\n');
    await expect(importFaqFile(file)).rejects.toThrow(/fake\.xlsx: not a readable \.xlsx workbook$/);
    await expect(importFaqFile(join(dir, 'old.xls'))).rejects.toThrow(/save the sheet as \.xlsx or \.csv/);
  });

  it('names what is missing in a bad header', () => {
    expect(() => faqFromCsv('标题,内容\n甲,乙\n', 'bad.csv')).toThrow(FaqImportError);
    expect(() => faqFromCsv('标题,内容\n甲,乙\n', 'bad.csv')).toThrow(/bad\.csv.*question and an answer/);
  });

  it('names a file it cannot read or whose kind it does not know', async () => {
    await expect(importFaqFile(join(dir, 'missing.csv'))).rejects.toThrow(/missing\.csv: cannot read: ENOENT/);
    writeFileSync(join(dir, 'faq.pdf'), '%PDF');
    await expect(importFaqFile(join(dir, 'faq.pdf'))).rejects.toThrow(/faq\.pdf: expected a \.csv or \.xlsx file/);
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

async function workbook(rows: ExcelJS.CellValue[][], sheetName = 'FAQ'): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(sheetName);
  rows.forEach((row, i) => row.forEach((value, c) => (sheet.getCell(i + 1, c + 1).value = value)));
  return Buffer.from(await book.xlsx.writeBuffer());
}

async function patchSheet(xlsx: Buffer, patch: (xml: string) => string): Promise<Buffer> {
  const zip = await JSZip.loadAsync(xlsx);
  const name = 'xl/worksheets/sheet1.xml';
  zip.file(name, patch(await zip.file(name)!.async('string')));
  return zip.generateAsync({ type: 'nodebuffer' });
}
