/**
 * FAQ import from the spreadsheets hall staff keep: CSV (UTF-8, with or without BOM) or
 * XLSX (first sheet, read with exceljs). The header row names the columns in Chinese or English —
 * question/问题, answer/答案, optional department/部门 and keywords/关键词 — in any
 * order. An entry's id is its row number among the data rows (the first question is
 * "1"), so an answer can be traced back to the line staff typed it on.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { FaqEntry } from '../../config/schema.ts';

export class FaqImportError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'FaqImportError';
  }
}

const HEADERS: Record<'question' | 'answer' | 'department' | 'keywords', RegExp> = {
  question: /^(question|q|问题|问|提问|常见问题|标题)$/i,
  answer: /^(answer|a|答案|回答|答复|解答|回复)$/i,
  department: /^(department|dept|部门|所属部门|单位|科室)$/i,
  keywords: /^(keywords?|tags?|关键词|关键字|标签)$/i,
};

export interface FaqImport {
  entries: FaqEntry[];
  /** Rows skipped, with their row number and why. */
  skipped: { row: number; reason: string }[];
}

/** Convert rows (first row = header) to entries. */
export function faqFromRows(rows: unknown[][], file = 'faq'): FaqImport {
  if (rows.length === 0) throw new FaqImportError(file, 'the file is empty');
  const header = rows[0].map((h) => String(h ?? '').replace(/^\uFEFF/, '').trim());
  const col = (k: keyof typeof HEADERS) => header.findIndex((h) => HEADERS[k].test(h));
  const q = col('question');
  const a = col('answer');
  if (q < 0 || a < 0) throw new FaqImportError(file, `the header needs a question and an answer column (found: ${header.join(', ') || 'nothing'})`);
  const d = col('department');
  const k = col('keywords');
  const entries: FaqEntry[] = [];
  const skipped: FaqImport['skipped'] = [];
  rows.slice(1).forEach((r, i) => {
    const row = i + 1;
    const cell = (c: number) => (c >= 0 && r[c] !== undefined && r[c] !== null ? String(r[c]).trim() : '');
    if (r.every((v) => String(v ?? '').trim() === '')) return;
    const question = cell(q);
    const answer = cell(a);
    if (!question || !answer) {
      skipped.push({ row, reason: !question ? 'no question' : 'no answer' });
      return;
    }
    entries.push(
      FaqEntry.parse({
        id: String(row),
        question,
        answer,
        department: cell(d) || undefined,
        keywords: cell(k).split(/[,，、;；|\s]+/).filter(Boolean),
      }),
    );
  });
  return { entries, skipped };
}

export function faqFromCsv(text: string, file = 'faq.csv'): FaqImport {
  const rows = parse(text.replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: false }) as string[][];
  return faqFromRows(rows, file);
}

/** A hall's FAQ is a few hundred rows; a sheet claiming more is a mistake or hostile. */
export const MAX_XLSX_ROWS = 20_000;
export const MAX_XLSX_COLUMNS = 50;

/**
 * The first sheet's cells as text, row by row with blank rows kept, so ids stay row
 * numbers. `cell.text` renders rich text, hyperlinks, formula results and numbers the way
 * the sheet shows them; cell objects never reach our code as keys.
 */
export async function faqFromXlsx(data: Buffer | Uint8Array, file = 'faq.xlsx'): Promise<FaqImport> {
  const book = new ExcelJS.Workbook();
  try {
    // exceljs types its input as an ArrayBuffer (it hands it to JSZip, which takes either).
    await book.xlsx.load(new Uint8Array(data).buffer);
  } catch {
    throw new FaqImportError(file, 'not a readable .xlsx workbook');
  }
  const sheet = book.worksheets[0];
  if (!sheet) throw new FaqImportError(file, 'the workbook has no sheet');
  if (sheet.rowCount > MAX_XLSX_ROWS) throw new FaqImportError(file, `the first sheet has more than ${MAX_XLSX_ROWS} rows`);
  if (sheet.columnCount > MAX_XLSX_COLUMNS) throw new FaqImportError(file, `the first sheet has more than ${MAX_XLSX_COLUMNS} columns`);
  const rows: string[][] = [];
  for (let r = 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    rows.push(Array.from({ length: sheet.columnCount }, (_, c) => row.getCell(c + 1).text));
  }
  return faqFromRows(rows, file);
}

/** Import a .csv or .xlsx file by its extension. */
export async function importFaqFile(file: string): Promise<FaqImport> {
  const ext = extname(file).toLowerCase();
  // The old binary .xls is a different format; exceljs reads only .xlsx.
  if (ext === '.xls') throw new FaqImportError(file, 'the old .xls format cannot be read: save the sheet as .xlsx or .csv');
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch (err) {
    throw new FaqImportError(file, `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (ext === '.xlsx') return faqFromXlsx(data, file);
  if (ext === '.csv' || ext === '.txt') return faqFromCsv(data.toString('utf8'), file);
  throw new FaqImportError(file, 'expected a .csv or .xlsx file');
}
