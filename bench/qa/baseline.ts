/**
 * The plain baseline the engine must beat: BM25 (minisearch) over jieba search-mode
 * tokens of the item names, the question tokenised the same way. No synonyms, no
 * pinyin, no rejection: the best-scoring name wins.
 */
import MiniSearch from 'minisearch';
import type { ServiceItem } from '../../config/schema.ts';
import { cutForSearch } from '../../models/language/segment.ts';

export class Bm25Baseline {
  private readonly ms: MiniSearch<{ id: string; name: string }>;

  constructor(items: ServiceItem[]) {
    const tokenize = (s: string) => cutForSearch(s.toLowerCase());
    this.ms = new MiniSearch({ fields: ['name'], storeFields: ['name'], idField: 'id', tokenize, searchOptions: { tokenize } });
    this.ms.addAll(items.map((i) => ({ id: i.code, name: i.name })));
  }

  rank(question: string, n = 3): string[] {
    return this.ms.search(question, { combineWith: 'OR' }).slice(0, n).map((r) => String(r.id));
  }
}
