/**
 * Merges drafts of everyday item names into config/default/item-aliases.json.
 *
 *   node --import tsx scripts/merge-item-aliases.ts draft-1.json [draft-2.json …]
 *
 * Each draft maps item codes to aliases. The drafts are written from the catalogue alone
 * (item name, department, sub-cases), never from questions, so the evaluation stays
 * honest. An alias is kept only when it can help and cannot mislead:
 * - it is 2 to 12 characters, with no question word (a name, not a question);
 * - it is not the item's name or a piece of it (the name already finds that);
 * - no other item claims it, and it does not occur inside another item's name: an alias
 *   two items share cannot tell them apart, and one inside a sibling's name would pull
 *   questions about the sibling to this item.
 * Aliases already in the file are kept; the drafts only add.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CONFIG_DIR, loadConfigDir } from '../config/load.ts';
import { normalize } from '../models/language/normalize.ts';

const QUESTION_WORDS = /怎么|怎样|哪里|哪儿|哪个|什么|吗|呢|[?？,，。!！、；;:：]/;

const file = join(DEFAULT_CONFIG_DIR, 'item-aliases.json');
const existing: Record<string, string[]> = (() => {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return {};
  }
})();

const items = loadConfigDir().catalogue.items;
const nameOf = new Map(items.map((i) => [i.code, normalize(i.name)]));
const names = [...nameOf.entries()];

const proposed = new Map<string, Set<string>>();
const claimedBy = new Map<string, Set<string>>();
const claim = (alias: string, code: string) => {
  const key = normalize(alias);
  let owners = claimedBy.get(key);
  if (!owners) claimedBy.set(key, (owners = new Set()));
  owners.add(code);
};
// An alias already kept for one item also counts as claimed: a draft giving it to another is a clash.
for (const [code, list] of Object.entries(existing)) for (const alias of list) claim(alias, code);
for (const draftFile of process.argv.slice(2)) {
  const draft: Record<string, unknown> = JSON.parse(readFileSync(draftFile, 'utf8'));
  for (const [code, list] of Object.entries(draft)) {
    if (!nameOf.has(code) || !Array.isArray(list)) continue;
    for (const raw of list) {
      if (typeof raw !== 'string') continue;
      const alias = raw.trim();
      let set = proposed.get(code);
      if (!set) proposed.set(code, (set = new Set()));
      set.add(alias);
      claim(alias, code);
    }
  }
}

const dropped: Record<string, number> = { shape: 0, ownName: 0, shared: 0, insideOther: 0 };
const out: Record<string, string[]> = { ...existing };
for (const [code, set] of proposed) {
  const own = nameOf.get(code)!;
  const kept = new Set(out[code] ?? []);
  for (const alias of set) {
    if (kept.has(alias)) continue;
    const key = normalize(alias);
    const len = [...key].length;
    if (len < 2 || len > 12 || QUESTION_WORDS.test(alias)) dropped.shape++;
    else if (own.includes(key)) dropped.ownName++;
    else if (claimedBy.get(key)!.size > 1) dropped.shared++;
    else if (names.some(([other, name]) => other !== code && name.includes(key))) dropped.insideOther++;
    else kept.add(alias);
  }
  if (kept.size) out[code] = [...kept];
}

const sorted = Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
writeFileSync(file, JSON.stringify(sorted, null, 1) + '\n');
const total = Object.values(sorted).reduce((n, l) => n + l.length, 0);
console.log(`${Object.keys(sorted).length} items, ${total} aliases written to ${file}; dropped ${JSON.stringify(dropped)}`);
