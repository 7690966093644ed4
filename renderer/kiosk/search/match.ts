/**
 * The two ways a query meets a field: as a sequence of pinyin pieces (initials, whole
 * syllables or any prefix of each, so sbk, shebaoka and shebaok all reach 社保卡) and as
 * Chinese characters with at most one wrong, missing or extra character.
 */

export interface PinyinMatch {
  /** First syllable of the field the query covers. */
  start: number;
  /** Syllables covered. */
  length: number;
  /** Of those, how many the query spelt out in full. */
  full: number;
}

/**
 * Can `q` be cut into pieces, each a non-empty prefix of consecutive syllables from
 * `start`? Pieces in `whole` (from a Chinese character in the query) must be the full
 * syllable. Longer pieces are tried first, so the match found spells the most in full.
 */
function matchFrom(syl: readonly string[], start: number, q: string, whole: ReadonlyMap<number, number> | null): PinyinMatch | null {
  full = 0;
  const endAt = cut(syl, q, whole, start, 0);
  return endAt < 0 ? null : { start, length: endAt - start, full };
}

// Module-level counter and a plain recursive function: this runs for every field on every keystroke, so no closures.
let full = 0;

/** The syllable index after the last piece when q[j..] can be cut from syllable i on, else -1. */
function cut(syl: readonly string[], q: string, whole: ReadonlyMap<number, number> | null, i: number, j: number): number {
  if (j === q.length) return i;
  if (i >= syl.length) return -1;
  const s = syl[i];
  if (s.charCodeAt(0) !== q.charCodeAt(j)) return -1;
  const end = whole === null ? undefined : whole.get(j);
  if (end !== undefined) {
    if (end - j !== s.length || !q.startsWith(s, j)) return -1;
    full++;
    const r = cut(syl, q, whole, i + 1, end);
    if (r < 0) full--;
    return r;
  }
  // The longest common prefix of the syllable and the rest of the query bounds the piece.
  let max = 1;
  const limit = Math.min(s.length, q.length - j);
  while (max < limit && s.charCodeAt(max) === q.charCodeAt(j + max)) max++;
  for (let k = max; k >= 1; k--) {
    const isFull = k === s.length;
    if (isFull) full++;
    const r = cut(syl, q, whole, i + 1, j + k);
    if (r >= 0) return r;
    if (isFull) full--;
  }
  return -1;
}

/** The best pinyin match of `q` in a field: at the field's start if possible, else the one spelling most in full. */
export function matchPinyin(syl: readonly string[], q: string, whole: ReadonlyMap<number, number> | null = null): PinyinMatch | null {
  if (q.length === 0) return null;
  const first = q.charCodeAt(0);
  // One letter, the first key of every search: the earliest syllable it starts is the match.
  if (q.length === 1 && !whole) {
    for (let i = 0; i < syl.length; i++) if (syl[i].charCodeAt(0) === first) return { start: i, length: 1, full: syl[i].length === 1 ? 1 : 0 };
    return null;
  }
  let best: PinyinMatch | null = null;
  for (let i = 0; i < syl.length; i++) {
    if (syl[i].charCodeAt(0) !== first) continue;
    const m = matchFrom(syl, i, q, whole);
    if (!m) continue;
    if (i === 0) return m;
    if (!best || m.full > best.full) best = m;
  }
  return best;
}

/** a and b differ by at most one substitution, insertion or deletion. */
export function withinOneEdit(a: readonly string[], aFrom: number, aLen: number, b: readonly string[]): boolean {
  const bLen = b.length;
  if (Math.abs(aLen - bLen) > 1) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < aLen && j < bLen) {
    if (a[aFrom + i] === b[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1) return false;
    if (aLen > bLen) i++;
    else if (aLen < bLen) j++;
    else {
      i++;
      j++;
    }
  }
  return edits + (aLen - i) + (bLen - j) <= 1;
}

export interface FuzzyMatch {
  start: number;
  length: number;
}

/**
 * A window of the field's characters within one edit of the query. Windows one shorter
 * and one longer than the query are tried too (a character missed or added).
 */
export function matchOneEdit(chars: readonly string[], query: readonly string[]): FuzzyMatch | null {
  const m = query.length;
  for (const len of [m, m - 1, m + 1]) {
    if (len < 1) continue;
    for (let s = 0; s + len <= chars.length; s++) {
      if (withinOneEdit(chars, s, len, query)) return { start: s, length: len };
    }
  }
  return null;
}

/** How many letter edits a typed pinyin query may carry: none under four letters (too many words lie one edit apart), one up to seven, two beyond. */
export function editBudget(letters: number): number {
  return letters < 4 ? 0 : letters < 8 ? 1 : 2;
}

// One reusable pair of rows for the distance below: it runs for many fields per keystroke.
let prev2 = new Int32Array(64);
let prev = new Int32Array(64);
let row = new Int32Array(64);

/**
 * The fewest edits (a letter wrong, missing, extra, or two neighbours swapped: the
 * optimal string alignment distance) that turn `q` into some prefix of `text` from
 * `from` on, and how many letters of `text` that prefix takes; null beyond `max`.
 * Gives up on a start as soon as every alignment already costs more than `max`.
 */
export function prefixDistance(text: string, from: number, q: string, max: number): { edits: number; used: number } | null {
  const m = q.length;
  const n = Math.min(text.length - from, m + max);
  if (n <= 0) return null;
  if (row.length < n + 1) {
    prev2 = new Int32Array(n + 1);
    prev = new Int32Array(n + 1);
    row = new Int32Array(n + 1);
  }
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= m; i++) {
    row[0] = i;
    let least = i;
    const qc = q.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const tc = text.charCodeAt(from + j - 1);
      let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (qc === tc ? 0 : 1));
      if (i > 1 && j > 1 && qc === text.charCodeAt(from + j - 2) && q.charCodeAt(i - 2) === tc) d = Math.min(d, prev2[j - 2] + 1);
      row[j] = d;
      if (d < least) least = d;
    }
    if (least > max) return null;
    const t = prev2;
    prev2 = prev;
    prev = row;
    row = t;
  }
  // prev now holds the last row: the best prefix end, preferring the shorter on a tie.
  let best = -1;
  for (let j = 1; j <= n; j++) if (best < 0 || prev[j] < prev[best]) best = j;
  return prev[best] <= max ? { edits: prev[best], used: best } : null;
}
