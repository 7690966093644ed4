/**
 * What a read page is and what it says: the document kind from the printed words only
 * that kind carries, then its key fields, each checked (ID number and credit-code check
 * characters, real calendar dates). A page no kind's words fit is 'unknown', not a guess.
 */
import { KIND_FIELDS, type DocumentKind } from '../../protocol/prereview.ts';
import { after, allIdNumbers, fold, readChinese, readCreditCode, readDate, readIdNumber, readToken, type FieldRead } from './fields.ts';
import { groupRows, type OcrLine } from './engine.ts';

/** Words printed on every copy of a kind; a kind needs two of its own to be named. */
const KIND_WORDS: Record<DocumentKind, string[]> = {
  'id-card-front': ['公民身份号码', '住址', '民族', '出生', '性别'],
  'id-card-back': ['签发机关', '有效期限', '居民身份证', '中华人民共和国'],
  'household-register': ['常住人口登记卡', '户主或与户主关系', '公民身份证件编号', '籍贯', '曾用名'],
  'marriage-certificate': ['结婚证', '持证人', '结婚证字号', '登记日期', '身份证件号'],
  'business-licence': ['营业执照', '统一社会信用代码', '法定代表人', '注册资本', '经营范围'],
  'property-certificate': ['不动产权', '不动产单元号', '权利人', '坐落', '共有情况'],
  'vat-invoice': ['增值税', '发票代码', '发票号码', '价税合计', '纳税人识别号'],
  'application-form': ['申请表', '申请人', '申请事项', '联系电话', '申请日期'],
};
const MIN_WORDS = 2;

export interface PageReading {
  kind: DocumentKind | 'unknown';
  fields: Record<string, FieldRead>;
  /** Key fields of the kind that were not found on the page. */
  missing: string[];
}

export function rowsOf(lines: OcrLine[]): string[] {
  return groupRows(lines).map((row) => fold(row.map((l) => l.text).join(' ')));
}

export function classify(rows: string[]): DocumentKind | 'unknown' {
  const squeezed = rows.join('\n').replace(/[ \t]/g, '');
  let best: DocumentKind | 'unknown' = 'unknown';
  let bestScore = MIN_WORDS - 1;
  for (const [kind, words] of Object.entries(KIND_WORDS) as [DocumentKind, string[]][]) {
    // The ID card's back shares 居民身份证 with nothing else, but its front shares 出生 and 性别 with forms: weigh the title words double.
    const score = words.reduce((s, w, i) => s + (squeezed.includes(w) ? (i === 0 ? 2 : 1) : 0), 0);
    if (score > bestScore) {
      bestScore = score;
      best = kind;
    }
  }
  return best;
}

type Reader = (rest: string) => FieldRead | null;

function field(rows: string[], labelText: string, read: Reader, opts: { nextRow?: boolean } = {}): FieldRead | null {
  const hit = after(rows, labelText);
  if (!hit) return null;
  const value = read(hit.rest);
  if (value || !opts.nextRow || hit.rest) return value;
  // The value stands alone on the row under its label (a table cell read as its own line).
  return hit.row + 1 < rows.length ? read(rows[hit.row + 1]) : null;
}

const name: Reader = (t) => readChinese(t, 5);
const dateOf: Reader = (t) => readDate(t);

function idFront(rows: string[]): Record<string, FieldRead | null> {
  const addr = after(rows, '住址');
  let address: FieldRead | null = null;
  if (addr) {
    // The address wraps onto the rows under it, up to the ID number's label.
    const parts = [addr.rest];
    for (let i = addr.row + 1; i < rows.length && !/公民身份号码|身份号码/.test(rows[i]); i++) parts.push(rows[i]);
    address = { value: parts.join('').replace(/\s+/g, '') };
  }
  return {
    name: field(rows, '姓名', name),
    sex: field(rows, '性别', (t) => (/^[男女]/.exec(t) ? { value: t[0] } : null)),
    nation: field(rows, '民族', (t) => readChinese(t, 5)),
    birth: field(rows, '出生', dateOf),
    address,
    idNumber: field(rows, '公民身份号码', readIdNumber, { nextRow: true }),
  };
}

function idBack(rows: string[]): Record<string, FieldRead | null> {
  const term = after(rows, '有效期限');
  let validFrom: FieldRead | null = null;
  let validTo: FieldRead | null = null;
  if (term) {
    const [from, to] = term.rest.replace(/\s+/g, '').split(/-(?=\d{4}|长期)/);
    validFrom = from ? readDate(from) : null;
    validTo = to === undefined ? null : to.startsWith('长期') ? { value: '长期' } : readDate(to);
  }
  return { authority: field(rows, '签发机关', (t) => (t ? { value: t.replace(/\s+/g, '') } : null), { nextRow: true }), validFrom, validTo };
}

function household(rows: string[]): Record<string, FieldRead | null> {
  return {
    name: field(rows, '姓名', name, { nextRow: true }),
    relation: field(rows, '户主或与户主关系', (t) => readChinese(t, 4), { nextRow: true }),
    birth: field(rows, '出生日期', dateOf, { nextRow: true }),
    idNumber: field(rows, '公民身份证件编号', readIdNumber, { nextRow: true }),
  };
}

function marriage(rows: string[]): Record<string, FieldRead | null> {
  const holder = field(rows, '持证人', name, { nextRow: true });
  const number = /J\s*\d{6}\s*-\s*\d{4}\s*-\s*\d{6}/.exec(rows.join('\n'));
  // The holder's own ID number is the one under the holder's name among the two spouses.
  const names: string[] = [];
  for (let i = 0, hit = after(rows, '姓名'); hit; hit = after(rows, '姓名', hit.row + 1)) {
    names.push(readChinese(hit.rest, 5)?.value ?? '');
    if (++i > 4) break;
  }
  const ids = allIdNumbers(rows);
  const which = holder ? names.indexOf(holder.value) : -1;
  return {
    holder,
    registered: field(rows, '登记日期', dateOf, { nextRow: true }),
    certificateNumber: number ? { value: number[0].replace(/\s+/g, '') } : null,
    idNumber: ids[which >= 0 && which < ids.length ? which : 0] ?? null,
  };
}

/**
 * A licence's address wraps inside its column, so its tail sits on the next row beside the
 * other column's text: a piece there made only of a house number's parts is its end.
 */
function wrappedAddress(rows: string[], head: FieldRead | null, row: number): FieldRead | null {
  if (!head || row < 0 || row + 1 >= rows.length || /[房室]$/.test(head.value)) return head;
  const tail = rows[row + 1].split(' ').find((p) => /^[0-9A-Za-z栋单元号房室层楼-]+$/.test(p) && /[栋号房室层楼]/.test(p));
  return tail ? { value: head.value + tail } : head;
}

function licence(rows: string[]): Record<string, FieldRead | null> {
  return {
    creditCode: field(rows, '统一社会信用代码', readCreditCode, { nextRow: true }),
    name: field(rows, '名称', (t) => (/^\S+?(公司|厂|店|合作社|中心)/.exec(t) ? { value: /^\S+?(公司|厂|店|合作社|中心)/.exec(t)![0] } : null), { nextRow: true }),
    legalRep: field(rows, '法定代表人', name, { nextRow: true }),
    established: field(rows, '成立日期', dateOf, { nextRow: true }),
    address: wrappedAddress(rows, field(rows, '住所', readToken, { nextRow: true }), after(rows, '住所')?.row ?? -1),
  };
}

function property(rows: string[]): Record<string, FieldRead | null> {
  const number = /[\u4e00-\u9fa5]（\s*\d{4}\s*）\s*\S+?不动产权第\s*\d{7}\s*号/.exec(rows.join('\n'));
  return {
    certificateNumber: number ? { value: number[0].replace(/\s+/g, '') } : null,
    owner: field(rows, '权利人', name, { nextRow: true }),
    location: field(rows, '坐落', readToken, { nextRow: true }),
    area: field(rows, '房屋建筑面积', (t) => (/^\d+(\.\d+)?/.exec(t) ? { value: /^\d+(\.\d+)?/.exec(t)![0] } : null)),
  };
}

function invoice(rows: string[]): Record<string, FieldRead | null> {
  const taxIds: FieldRead[] = [];
  for (let hit = after(rows, '纳税人识别号'); hit; hit = after(rows, '纳税人识别号', hit.row + 1)) {
    const code = readCreditCode(hit.rest);
    if (code) taxIds.push(code);
  }
  const total = /价税合计.*?¥\s*(\d+(?:\.\d{2})?)/.exec(rows.join('\n'));
  return {
    invoiceNumber: field(rows, '发票号码', (t) => (/^\d{8}/.exec(t) ? { value: t.slice(0, 8) } : null), { nextRow: true }),
    issued: field(rows, '开票日期', dateOf, { nextRow: true }),
    buyerName: field(rows, '名称', (t) => (/^\S+?公司/.exec(t) ? { value: /^\S+?公司/.exec(t)![0] } : null)),
    buyerTaxId: taxIds[0] ?? null,
    sellerTaxId: taxIds[1] ?? null,
    total: total ? { value: total[1] } : null,
  };
}

function form(rows: string[]): Record<string, FieldRead | null> {
  return {
    name: field(rows, '申请人姓名', name, { nextRow: true }),
    idNumber: field(rows, '公民身份号码', readIdNumber, { nextRow: true }),
    phone: field(rows, '联系电话', (t) => (/^1\d{10}/.exec(t.replace(/\s+/g, '')) ? { value: t.replace(/\s+/g, '').slice(0, 11) } : null), { nextRow: true }),
    date: field(rows, '申请日期', dateOf, { nextRow: true }),
  };
}

const EXTRACT: Record<DocumentKind, (rows: string[]) => Record<string, FieldRead | null>> = {
  'id-card-front': idFront,
  'id-card-back': idBack,
  'household-register': household,
  'marriage-certificate': marriage,
  'business-licence': licence,
  'property-certificate': property,
  'vat-invoice': invoice,
  'application-form': form,
};

export function understand(lines: OcrLine[]): PageReading {
  return understandRows(rowsOf(lines));
}

/** The same over rows of text from another reader (the benchmark's Tesseract baseline). */
export function understandRows(rows: string[]): PageReading {
  const kind = classify(rows);
  if (kind === 'unknown') return { kind, fields: {}, missing: [] };
  const read = EXTRACT[kind](rows);
  const fields: Record<string, FieldRead> = {};
  const missing: string[] = [];
  for (const key of KIND_FIELDS[kind]) {
    const value = read[key];
    if (value) fields[key] = value;
    else missing.push(key);
  }
  return { kind, fields, missing };
}
