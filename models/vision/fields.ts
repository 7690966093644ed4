/**
 * Reading a document's key fields out of OCR rows: the label a field is printed after,
 * the shape its value has, and the repair of look-alike characters inside codes (O for 0,
 * I for 1) before the checksum decides. Nothing is guessed: a value that fails its check
 * is reported with the check it failed, never corrected into a different number.
 */
import { isValidIdNumber } from '../../drivers/idcard/text.ts';
import { isValidCreditCode, orgCheckChar } from './credit-code.ts';
import type { ProblemCode } from '../../protocol/prereview.ts';

export interface FieldRead {
  value: string;
  /** Why the value cannot be trusted; absent when it passed every check it has. */
  problem?: ProblemCode;
}

/** Full-width and look-alike punctuation folded to one form, so labels match however they were read. */
export function fold(text: string): string {
  return text
    .replace(/[（(]/g, '（')
    .replace(/[）)]/g, '）')
    .replace(/[：:]/g, '：')
    .replace(/[￥¥]/g, '¥')
    .replace(/[—－–]/g, '-')
    .replace(/[，]/g, ',');
}

/** A label printed with spaces between its characters (姓 名) as a pattern that also takes it without. */
export function label(text: string): string {
  return [...text].map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s*');
}

/** The text after `labelText` on the first row that has it (colon and spaces dropped), '' when the row ends there. */
export function after(rows: string[], labelText: string, from = 0): { rest: string; row: number } | null {
  const re = new RegExp(`${label(labelText)}\\s*：?\\s*`);
  for (let i = from; i < rows.length; i++) {
    const m = re.exec(rows[i]);
    if (m) return { rest: rows[i].slice(m.index + m[0].length).trim(), row: i };
  }
  return null;
}

export function validDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

function iso(y: number, m: number, d: number): string {
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The first date in `text`, written 2019年4月22日 or 2019.04.22 or 2019-04-22. */
export function readDate(text: string): FieldRead | null {
  const m = /(\d{4})\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})\s*日?/.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return validDate(y, mo, d) ? { value: iso(y, mo, d) } : { value: m[0], problem: 'bad-date' };
}

const DIGIT_LIKE: Record<string, string> = { O: '0', o: '0', D: '0', Q: '0', I: '1', l: '1', i: '1', '|': '1', Z: '2', z: '2', S: '5', s: '5', B: '8', b: '6', g: '9' };

/** An 18-character ID number at the start of `text` (spaces inside dropped), checked by GB 11643. */
export function readIdNumber(text: string): FieldRead | null {
  const squeezed = text.replace(/\s+/g, '');
  const m = /^[0-9OoDQIli|ZzSsBbg]{17}[0-9Xx×OoDQIli|ZzSsBbg]/.exec(squeezed);
  if (!m) return null;
  const value = [...m[0]].map((c, i) => (i === 17 && /[Xx×]/.test(c) ? 'X' : (DIGIT_LIKE[c] ?? c))).join('');
  return isValidIdNumber(value) ? { value } : { value, problem: 'id-checksum' };
}

/** Every ID number in the rows, in reading order. */
export function allIdNumbers(rows: string[]): FieldRead[] {
  const found: FieldRead[] = [];
  for (const row of rows) {
    const squeezed = row.replace(/\s+/g, '');
    for (const m of squeezed.matchAll(/(?<![0-9A-Za-z])\d{6}[0-9OoIl]{11}[0-9Xx×]/g)) found.push(readIdNumber(m[0])!);
  }
  return found;
}

const CREDIT_LIKE: Record<string, string> = { O: '0', I: '1', Z: '2', S: '5', V: 'U' };

function hasValidOrgCode(code: string): boolean {
  return /^[0-9A-Z]{8}$/.test(code.slice(8, 16)) && orgCheckChar(code.slice(8, 16)) === code[16];
}

/** An 18-character unified social credit code at the start of `text`, checked by GB 32100. */
export function readCreditCode(text: string): FieldRead | null {
  const m = /^[0-9A-Z]{18,20}/.exec(text.replace(/\s+/g, '').toUpperCase());
  if (!m) return null;
  const run = [...m[0]].map((c) => CREDIT_LIKE[c] ?? c).join('');
  // A stray mark read beside the code (a separator taken for a digit) lengthens the run:
  // the 18 characters that pass the check are the code; without one, the first 18 are reported.
  // One window in 31 passes the code's check by chance, so the organisation code's own check
  // (GB 11714, characters 9–17) decides between two that do.
  const windows = Array.from({ length: run.length - 17 }, (_, i) => run.slice(i, i + 18)).filter(isValidCreditCode);
  const best = windows.find(hasValidOrgCode) ?? windows[0];
  return best ? { value: best } : { value: run.slice(0, 18), problem: 'credit-checksum' };
}

/** A run of Chinese characters (a name, an ethnic group) at the start of `text`. */
export function readChinese(text: string, max = 6): FieldRead | null {
  const m = new RegExp(`^[\\u4e00-\\u9fa5·]{1,${max}}`).exec(text.replace(/^\s+/, ''));
  return m ? { value: m[0] } : null;
}

/** The rest of the row up to the next space, for values that carry digits and signs (addresses, numbers). */
export function readToken(text: string): FieldRead | null {
  const m = /^\S+/.exec(text);
  return m ? { value: m[0] } : null;
}
