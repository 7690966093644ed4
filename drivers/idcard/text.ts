/**
 * The 256-byte UCS-2LE text block of a chip card, decoded per card type, and its inverse
 * (used to build fixture cards). Type is the character at offset 248: blank for the
 * resident ID card, 'J' for the HK/Macau/Taiwan residence permit, 'I' for the 2017
 * foreign permanent resident card. The 2023 'Y' card's layout is unverified, so it is
 * refused with a clear error instead of being decoded wrongly.
 */
import { UnsupportedCardError } from './errors.ts';

export const TEXT_BLOCK_BYTES = 256;
export const LONG_TERM = '长期';

export type CardType = 'resident' | 'hk-macau-taiwan' | 'foreign-permanent';

interface CardTextCommon {
  cardType: CardType;
  /** The name to address the holder by: Chinese name where the card has one. */
  name: string;
  sex: string;
  sexCode: string;
  /** Ethnic group (民族); only resident ID cards carry one. */
  nation: string | null;
  /** ISO date (YYYY-MM-DD) when well formed, the raw field otherwise. */
  birth: string;
  address: string | null;
  idNumber: string;
  /** GB 11643 check digit verdict; null where the card number follows another scheme. */
  idNumberValid: boolean | null;
  authority: string;
  validFrom: string;
  /** ISO date, or 长期 for a card valid without limit. */
  validTo: string;
}

export interface ResidentCardText extends CardTextCommon {
  cardType: 'resident';
  nationCode: string;
  address: string;
}

export interface HkMacauTaiwanCardText extends CardTextCommon {
  cardType: 'hk-macau-taiwan';
  address: string;
  /** 港澳台居民来往内地通行证 number printed on the permit. */
  passNumber: string;
  issueCount: string;
}

export interface ForeignPermanentCardText extends CardTextCommon {
  cardType: 'foreign-permanent';
  englishName: string;
  chineseName: string;
  /** ISO 3166 alpha-3 nationality code. */
  nationality: string;
  cardVersion: string;
  authorityCode: string;
}

export type CardText = ResidentCardText | HkMacauTaiwanCardText | ForeignPermanentCardText;

export const SEX: Readonly<Record<string, string>> = { '0': '未知', '1': '男', '2': '女', '9': '未说明' };

export const NATION: Readonly<Record<string, string>> = {
  '01': '汉', '02': '蒙古', '03': '回', '04': '藏', '05': '维吾尔', '06': '苗', '07': '彝', '08': '壮',
  '09': '布依', '10': '朝鲜', '11': '满', '12': '侗', '13': '瑶', '14': '白', '15': '土家', '16': '哈尼',
  '17': '哈萨克', '18': '傣', '19': '黎', '20': '傈僳', '21': '佤', '22': '畲', '23': '高山', '24': '拉祜',
  '25': '水', '26': '东乡', '27': '纳西', '28': '景颇', '29': '柯尔克孜', '30': '土', '31': '达斡尔',
  '32': '仫佬', '33': '羌', '34': '布朗', '35': '撒拉', '36': '毛南', '37': '仡佬', '38': '锡伯', '39': '阿昌',
  '40': '普米', '41': '塔吉克', '42': '怒', '43': '乌孜别克', '44': '俄罗斯', '45': '鄂温克', '46': '德昂',
  '47': '保安', '48': '裕固', '49': '京', '50': '塔塔尔', '51': '独龙', '52': '鄂伦春', '53': '赫哲',
  '54': '门巴', '55': '珞巴', '56': '基诺', '97': '其他', '98': '外国血统中国籍人士',
};

// ---------------------------------------------------------------- GB 11643

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** The 18th character for the first 17 digits of a citizen identity number. */
export function idCheckDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('an ID number check digit needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK[sum % 11];
}

export function isValidIdNumber(id: string): boolean {
  if (!/^\d{17}[\dX]$/i.test(id)) return false;
  return idCheckDigit(id.slice(0, 17)) === id[17].toUpperCase();
}

// ---------------------------------------------------------------- decoding

const utf16 = new TextDecoder('utf-16le');

function field(block: Uint8Array, offset: number, bytes: number): string {
  // Fields are space padded; some readers pad with NULs instead.
  const text = utf16.decode(block.subarray(offset, offset + bytes));
  let end = text.length;
  while (end > 0 && (text.charCodeAt(end - 1) === 0 || /\s/.test(text[end - 1]))) end--;
  return text.slice(0, end).trimStart();
}

function isoDate(raw: string): string {
  return /^\d{8}$/.test(raw) ? `${raw.slice(0, 4)}-${raw.slice(4, 6)}-${raw.slice(6, 8)}` : raw;
}

function validTo(raw: string): string {
  return raw.startsWith(LONG_TERM) ? LONG_TERM : isoDate(raw);
}

/** The type marker at offset 248: '' for resident cards. */
export function cardTypeCode(block: Uint8Array): string {
  return field(block, 248, 2);
}

export function decodeCardText(block: Uint8Array): CardText {
  if (block.length !== TEXT_BLOCK_BYTES) {
    throw new RangeError(`the text block is ${block.length} bytes, expected ${TEXT_BLOCK_BYTES}`);
  }
  const type = cardTypeCode(block);
  switch (type) {
    case '':
      return decodeResident(block);
    case 'J':
      return decodeHkMacauTaiwan(block);
    case 'I':
      return decodeForeignPermanent(block);
    case 'Y':
      throw new UnsupportedCardError(
        'Y',
        "this is a 2023-edition foreign permanent resident ID card (type 'Y'); its text layout is not supported by this reader driver",
      );
    default:
      throw new UnsupportedCardError(type, `unknown card type marker '${type}' in the text block`);
  }
}

function decodeResident(b: Uint8Array): ResidentCardText {
  const sexCode = field(b, 30, 2);
  const nationCode = field(b, 32, 4);
  const idNumber = field(b, 122, 36);
  return {
    cardType: 'resident',
    name: field(b, 0, 30),
    sex: SEX[sexCode] ?? sexCode,
    sexCode,
    nation: NATION[nationCode] ?? null,
    nationCode,
    birth: isoDate(field(b, 36, 16)),
    address: field(b, 52, 70),
    idNumber,
    idNumberValid: isValidIdNumber(idNumber),
    authority: field(b, 158, 30),
    validFrom: isoDate(field(b, 188, 16)),
    validTo: validTo(field(b, 204, 16)),
  };
}

function decodeHkMacauTaiwan(b: Uint8Array): HkMacauTaiwanCardText {
  const sexCode = field(b, 30, 2);
  const idNumber = field(b, 122, 36);
  return {
    cardType: 'hk-macau-taiwan',
    name: field(b, 0, 30),
    sex: SEX[sexCode] ?? sexCode,
    sexCode,
    nation: null,
    birth: isoDate(field(b, 36, 16)),
    address: field(b, 52, 70),
    idNumber,
    idNumberValid: isValidIdNumber(idNumber),
    authority: field(b, 158, 30),
    validFrom: isoDate(field(b, 188, 16)),
    validTo: validTo(field(b, 204, 16)),
    passNumber: field(b, 220, 18),
    issueCount: field(b, 238, 4),
  };
}

function decodeForeignPermanent(b: Uint8Array): ForeignPermanentCardText {
  const sexCode = field(b, 120, 2);
  const englishName = field(b, 0, 120);
  const chineseName = field(b, 158, 30);
  const authorityCode = field(b, 240, 8);
  return {
    cardType: 'foreign-permanent',
    name: chineseName || englishName,
    englishName,
    chineseName,
    sex: SEX[sexCode] ?? sexCode,
    sexCode,
    nation: null,
    nationality: field(b, 152, 6),
    birth: isoDate(field(b, 220, 16)),
    address: null,
    idNumber: field(b, 122, 30),
    // The 15-character card number is not a GB 11643 number and no verified check rule is known here.
    idNumberValid: null,
    authority: authorityCode,
    authorityCode,
    validFrom: isoDate(field(b, 188, 16)),
    validTo: validTo(field(b, 204, 16)),
    cardVersion: field(b, 236, 4),
  };
}

// ---------------------------------------------------------------- encoding (fixtures)

export interface ResidentTextInput {
  cardType: 'resident';
  name: string;
  sexCode: string;
  nationCode: string;
  birth: string;
  address: string;
  idNumber: string;
  authority: string;
  validFrom: string;
  validTo: string;
}

export interface HkMacauTaiwanTextInput {
  cardType: 'hk-macau-taiwan';
  name: string;
  sexCode: string;
  birth: string;
  address: string;
  idNumber: string;
  authority: string;
  validFrom: string;
  validTo: string;
  passNumber: string;
  issueCount: string;
}

export interface ForeignPermanentTextInput {
  cardType: 'foreign-permanent';
  englishName: string;
  chineseName: string;
  sexCode: string;
  idNumber: string;
  nationality: string;
  birth: string;
  validFrom: string;
  validTo: string;
  cardVersion: string;
  authorityCode: string;
}

export type CardTextInput = ResidentTextInput | HkMacauTaiwanTextInput | ForeignPermanentTextInput;

class BlockWriter {
  readonly block = new Uint8Array(TEXT_BLOCK_BYTES);
  constructor() {
    // Unused areas are spaces, as on real cards.
    for (let i = 0; i < TEXT_BLOCK_BYTES; i += 2) this.block[i] = 0x20;
  }
  put(offset: number, bytes: number, value: string, what: string): void {
    const units: number[] = [];
    for (let i = 0; i < value.length; i++) units.push(value.charCodeAt(i));
    if (units.length * 2 > bytes) throw new RangeError(`${what} '${value}' does not fit in ${bytes / 2} characters`);
    for (let i = 0; i < bytes / 2; i++) {
      const u = i < units.length ? units[i] : 0x20;
      this.block[offset + 2 * i] = u & 0xff;
      this.block[offset + 2 * i + 1] = u >> 8;
    }
  }
}

function compactDate(value: string): string {
  return value === LONG_TERM ? value : value.replace(/-/g, '');
}

export function encodeCardText(input: CardTextInput): Uint8Array {
  const w = new BlockWriter();
  switch (input.cardType) {
    case 'resident':
    case 'hk-macau-taiwan':
      w.put(0, 30, input.name, 'name');
      w.put(30, 2, input.sexCode, 'sex code');
      if (input.cardType === 'resident') w.put(32, 4, input.nationCode, 'nation code');
      w.put(36, 16, compactDate(input.birth), 'birth');
      w.put(52, 70, input.address, 'address');
      w.put(122, 36, input.idNumber, 'ID number');
      w.put(158, 30, input.authority, 'authority');
      w.put(188, 16, compactDate(input.validFrom), 'valid from');
      w.put(204, 16, compactDate(input.validTo), 'valid to');
      if (input.cardType === 'hk-macau-taiwan') {
        w.put(220, 18, input.passNumber, 'pass number');
        w.put(238, 4, input.issueCount, 'issue count');
        w.put(248, 2, 'J', 'card type');
      }
      break;
    case 'foreign-permanent':
      w.put(0, 120, input.englishName, 'English name');
      w.put(120, 2, input.sexCode, 'sex code');
      w.put(122, 30, input.idNumber, 'card number');
      w.put(152, 6, input.nationality, 'nationality');
      w.put(158, 30, input.chineseName, 'Chinese name');
      w.put(188, 16, compactDate(input.validFrom), 'valid from');
      w.put(204, 16, compactDate(input.validTo), 'valid to');
      w.put(220, 16, compactDate(input.birth), 'birth');
      w.put(236, 4, input.cardVersion, 'card version');
      w.put(240, 8, input.authorityCode, 'authority code');
      w.put(248, 2, 'I', 'card type');
      break;
  }
  return w.block;
}

/** UCS-2LE additional address (70 bytes). */
export function decodeAdditionalAddress(bytes: Uint8Array): string {
  return field(bytes, 0, bytes.length);
}

export function encodeAdditionalAddress(address: string): Uint8Array {
  const w = new BlockWriter();
  w.put(0, 70, address, 'additional address');
  return w.block.slice(0, 70);
}
