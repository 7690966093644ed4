/**
 * The sound and shape of catalogue text as search sees it: each meaningful character
 * with its toneless syllable. Runs of Chinese are converted as whole runs so pinyin-pro
 * can pick the reading a polyphone has in its word (银行 → yin hang, not xing).
 */
import { pinyin } from 'pinyin-pro';

const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
const ALNUM = /[a-z0-9]/;

export function isCjk(ch: string): boolean {
  return CJK.test(ch);
}

/** Full-width letters and digits to ASCII, lower case: what a query and a field are compared as. */
export function normalize(text: string): string {
  return text
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ')
    .toLowerCase();
}

/** One searchable character of a text and its syllable (a Latin letter or digit is its own syllable). */
export interface Unit {
  ch: string;
  syl: string;
}

/** The searchable characters of a text: Chinese, letters and digits; punctuation and spaces drop out. */
export function unitsOf(text: string): Unit[] {
  const chars = [...normalize(text)];
  const out: Unit[] = [];
  let run: string[] = [];
  const flush = () => {
    if (run.length === 0) return;
    const syls = pinyin(run.join(''), { type: 'array', toneType: 'none', v: true }) as string[];
    run.forEach((ch, i) => out.push({ ch, syl: (syls.length === run.length ? syls[i] : (pinyin(ch, { toneType: 'none', v: true }) as string)) || ch }));
    run = [];
  };
  for (const ch of chars) {
    if (isCjk(ch)) run.push(ch);
    else {
      flush();
      if (ALNUM.test(ch)) out.push({ ch, syl: ch });
    }
  }
  flush();
  return out;
}

export type QueryKind = 'empty' | 'chinese' | 'pinyin' | 'mixed';

export interface ParsedQuery {
  kind: QueryKind;
  /** The query's searchable characters. */
  units: Unit[];
  /** Letters and digits a pinyin match consumes: Chinese characters contribute their syllable. */
  letters: string;
  /** Where each Chinese character's syllable starts and ends inside `letters`, so it must match a whole syllable. */
  wholeSyllables: { from: number; to: number }[];
}

export function parseQuery(raw: string): ParsedQuery {
  const units = unitsOf(raw);
  const cjk = units.filter((u) => isCjk(u.ch)).length;
  const kind: QueryKind = units.length === 0 ? 'empty' : cjk === units.length ? 'chinese' : cjk === 0 ? 'pinyin' : 'mixed';
  let letters = '';
  const wholeSyllables: { from: number; to: number }[] = [];
  for (const u of units) {
    if (isCjk(u.ch)) {
      wholeSyllables.push({ from: letters.length, to: letters.length + u.syl.length });
      letters += u.syl;
    } else letters += u.ch;
  }
  return { kind, units, letters, wholeSyllables };
}
