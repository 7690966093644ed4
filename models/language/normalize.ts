/**
 * Text normalisation for recognised speech and typed questions. Speech recognisers and
 * keyboards disagree on width, punctuation and how numbers are written; everything
 * downstream sees one form. Numerals are only rewritten where they are numbers to a
 * visitor (窗口、楼层、序号、幺零一), never inside names like 一级建造师 or 二手房.
 */
import Nzh from 'nzh';

const DIGIT: Record<string, string> = {
  零: '0', 〇: '0', 洞: '0', 幺: '1', 一: '1', 壹: '1', 二: '2', 两: '2', 贰: '2', 三: '3', 叁: '3',
  四: '4', 肆: '4', 五: '5', 伍: '5', 六: '6', 陆: '6', 七: '7', 柒: '7', 拐: '7', 八: '8', 捌: '8', 九: '9', 玖: '9',
};
const CN_DIGITS = '零〇幺一二两三四五六七八九壹贰叁肆伍陆柒捌玖';
const CN_NUM = `[${CN_DIGITS}十百千]`;

/** 一百零一 → 101, 十二 → 12, 三 → 3; digit-by-digit readings (幺零一) → 101. */
export function chineseNumber(s: string): number | null {
  if (!s) return null;
  if (/^[0-9]+$/.test(s)) return Number(s);
  if (![...s].every((c) => c in DIGIT || '十百千'.includes(c))) return null;
  // Read digit by digit when there is no unit character: 幺零一, 一二三.
  if (!/[十百千]/.test(s)) return Number([...s].map((c) => DIGIT[c]).join(''));
  const plain = [...s].map((c) => (c === '两' ? '二' : c === '幺' ? '一' : c)).join('');
  const n = Number(Nzh.cn.decodeS(plain));
  return Number.isFinite(n) ? n : null;
}

/** Full-width to half-width, unify punctuation and whitespace. */
export function toHalfWidth(s: string): string {
  return s
    .normalize('NFKC')
    .replace(/[\u3000\s]+/g, ' ')
    .replace(/[。！？｡]/g, (c) => ({ '。': '.', '！': '!', '？': '?', '｡': '.' })[c] ?? c)
    .replace(/[、，；：]/g, (c) => ({ '、': ',', '，': ',', '；': ';', '：': ':' })[c] ?? c)
    .replace(/[“”「」『』]/g, '"')
    .replace(/[‘’]/g, "'")
    .replace(/[（【〔]/g, '(')
    .replace(/[）】〕]/g, ')');
}

/** A window id as the hall writes it: b1, B 1, B零一, B十 → B01, B10. */
export function windowId(letter: string, digits: string): string | null {
  const n = chineseNumber(digits.replace(/\s+/g, ''));
  if (n === null || n < 0 || n > 99) return null;
  return `${letter.toUpperCase()}${String(n).padStart(2, '0')}`;
}

const UNIT_AFTER = '号窗口|号|號|楼|层|个|次|天|点|位|排|窗口';

/**
 * Normalise one sentence. Idempotent: normalise(normalise(x)) === normalise(x).
 */
export function normalize(input: string): string {
  let s = toHalfWidth(input).trim();
  // Window ids spoken letter by letter: "B零一", "b 1 号窗口", "C十".
  s = s.replace(new RegExp(`(?<![A-Za-z])([A-Za-z])\\s*((?:${CN_NUM}|[0-9]){1,3})(?=\\s*(?:号|號|窗|$|[\\s,.?!;:"'()在怎吗呢啊吧的哪那走去呀]))`, 'g'), (all, letter: string, digits: string) => {
    // Only letters followed by numbers that can be a window number; "A4纸" stays unless 号/窗口 follows.
    const id = windowId(letter, digits);
    return id ?? all;
  });
  // 第二个, 第十二 → 第2个, 第12.
  s = s.replace(new RegExp(`第(${CN_NUM}+)`, 'g'), (all, n: string) => {
    const v = chineseNumber(n);
    return v === null ? all : `第${v}`;
  });
  // 三号窗口, 二楼, 五个工作日 → digits before a counting unit.
  s = s.replace(new RegExp(`(?<![${CN_DIGITS}十百千])(${CN_NUM}{1,4})(${UNIT_AFTER})`, 'g'), (all, n: string, unit: string) => {
    // "一个", "两次", "一点" are words more often than counts; keep them.
    if ((n === '一' || n === '两') && /^[个次点位]$/.test(unit)) return all;
    const v = chineseNumber(n);
    return v === null ? all : `${v}${unit}`;
  });
  // Digit-by-digit readings with 幺 or 零 are numbers whatever follows: 幺零一 → 101.
  s = s.replace(new RegExp(`[${CN_DIGITS}]{3,}`, 'g'), (run) => (/[幺零〇洞]/.test(run) ? String(chineseNumber(run)) : run));
  return s.replace(/\s+/g, ' ');
}

/** Characters that carry meaning for matching: CJK ideographs, Latin letters and digits. */
export function isContentChar(c: string): boolean {
  return /[\u3400-\u9fff\uf900-\ufaffA-Za-z0-9]/.test(c);
}
