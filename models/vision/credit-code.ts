/**
 * The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from 31
 * (digits and capitals without I, O, Z, S, V), whose last is a check character over the
 * other 17; characters 9–17 are the organisation code (GB 11714) with its own check.
 */
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

export function creditCheckChar(first17: string): string {
  if (first17.length !== 17) throw new RangeError('a credit code check character needs exactly 17 characters');
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CHARSET.indexOf(first17[i]);
    if (v < 0) throw new RangeError(`'${first17[i]}' cannot stand in a credit code`);
    sum += v * WEIGHTS[i];
  }
  return CHARSET[(31 - (sum % 31)) % 31];
}

/** The organisation code's ninth character over its first eight (digits and capitals). */
export function orgCheckChar(first8: string): string {
  if (!/^[0-9A-Z]{8}$/.test(first8)) throw new RangeError('an organisation code check needs 8 digits or capitals');
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += parseInt(first8[i], 36) * ORG_WEIGHTS[i];
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

export function isValidCreditCode(code: string): boolean {
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) return false;
  return creditCheckChar(code.slice(0, 17)) === code[17];
}
