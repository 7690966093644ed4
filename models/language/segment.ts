/**
 * Chinese word segmentation with @node-rs/jieba. Loading jieba's dictionary takes a
 * few hundred milliseconds, so one instance serves the process; each knowledge base adds
 * its own words (aliases, case names, place names, synonyms) so that 社保卡 or 护士证
 * come out as one word instead of being split by the general dictionary.
 */
import { createRequire } from 'node:module';

interface JiebaLike {
  cut(sentence: string, hmm?: boolean): string[];
  cutForSearch(sentence: string, hmm?: boolean): string[];
  loadDict(dict: Uint8Array): void;
}

const require = createRequire(import.meta.url);
let instance: JiebaLike | null = null;
const added = new Set<string>();

function jieba(): JiebaLike {
  if (!instance) {
    const { Jieba } = require('@node-rs/jieba') as { Jieba: { withDict(d: Uint8Array): JiebaLike } };
    const { dict } = require('@node-rs/jieba/dict') as { dict: Uint8Array };
    instance = Jieba.withDict(dict);
  }
  return instance;
}

/** Add user words (jieba's dictionary format: word, frequency, tag). Words already added are skipped. */
export function addUserWords(words: Iterable<string>, freq = 20_000): number {
  const fresh = [...new Set(words)].map((w) => w.trim()).filter((w) => w.length >= 2 && w.length <= 12 && !/\s/.test(w) && !added.has(w));
  if (fresh.length === 0) return 0;
  for (const w of fresh) added.add(w);
  jieba().loadDict(Buffer.from(fresh.map((w) => `${w} ${freq} n`).join('\n') + '\n', 'utf8'));
  return fresh.length;
}

/** Words of a sentence, punctuation and spaces dropped. */
export function cut(text: string): string[] {
  return jieba()
    .cut(text, true)
    .filter((w) => /[\p{L}\p{N}]/u.test(w));
}

/** Search-mode segmentation: long words also yield their parts (社会保障卡 → 社会, 保障, 社会保障卡). */
export function cutForSearch(text: string): string[] {
  return jieba()
    .cutForSearch(text, true)
    .filter((w) => /[\p{L}\p{N}]/u.test(w));
}

/**
 * Whether a text is one word of the dictionary (jieba's own or a knowledge base's), as
 * written: jieba without its new-word guessing returns it whole.
 */
export function isWord(text: string): boolean {
  const words = jieba().cut(text, false);
  return words.length === 1 && words[0] === text;
}
