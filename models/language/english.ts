/**
 * English questions. The Chinese matcher reads Latin text letter by letter, so an English
 * question met whatever English place name shared its letters ("The Stairs is on floor 1").
 * English is matched here by words instead, against the English names the hall provides
 * (items' nameEn and aliasesEn, places' nameEn and Latin aliases), and its cues are
 * found by word patterns. Words are compared by their first five letters once a plural
 * s is cut, so register meets registration and licence meets license.
 */
import type { Cue } from './intents.ts';

/** Words that say how something is asked, not what about. */
const STOP = new Set(
  ('i me my mine we us our you your the a an to for of in on at by from with and or is are am was be been do does did can could would ' +
    'should will shall may might must how what where which who when why there here this that these those it its please want need like ' +
    'get go going apply applying application help tell know find show take bring lead guide way hello hi hey excuse sorry thanks thank ' +
    'have has any some much many long window counter desk documents document papers bring materials what whats new one also just ok okay').split(' '),
);

/** English cue words by pattern: a cue of the Chinese list found letter by letter inside other words (hi in which) would mislead. */
const CUES: [Cue, RegExp][] = [
  ['navigate', /\b(?:take|bring|lead|guide|walk) (?:me|us)\b|\bshow (?:me|us) the way\b/],
  ['where', /\bwhere\b|\bwhich (?:window|counter|desk|floor)\b|\bhow (?:do|can) (?:i|we) get to\b/],
  ['ticket', /\b(?:take|get|want|need|give me) (?:a |my |one )?(?:queue )?(?:ticket|number)\b|\bqueue number\b/],
  ['materials', /\b(?:documents?|papers|materials)\b|\bwhat (?:do|should) (?:i|we) (?:need|bring)\b|\bneed to bring\b/],
  ['conditions', /\b(?:eligible|eligibility|requirements?|qualify)\b/],
  ['duration', /\bhow long\b|\bhow many days\b/],
  ['booking', /\b(?:appointment|book|reserve)\b/],
  ['courier', /\b(?:post|mail|deliver|courier)\b/],
  ['hours', /\b(?:opening hours|open|close|closing)\b/],
  ['human', /\b(?:staff|a person|someone|human|manager)\b/],
  ['thanks', /\b(?:thanks|thank you|bye|goodbye)\b/],
  ['greeting', /^(?:hello|hi|hey)\b/],
];

export function englishCues(text: string): Set<Cue> {
  const t = text.toLowerCase();
  return new Set(CUES.filter(([, re]) => re.test(t)).map(([cue]) => cue));
}

/** A word as it is compared: lower case, a plural s cut, its first five letters. */
function key(word: string): string {
  const w = word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
  return w.slice(0, 5);
}

/** The content words of an English text, as compared. */
export function englishWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/'s\b/g, '')
    .split(/[^a-z0-9]+/)
    .filter((w) => w && !STOP.has(w))
    .map(key);
}

export interface EnglishHit {
  entity: number;
  score: number;
  /** Share of the name's words (by weight) the question said. */
  docCov: number;
  /** Share of the question's words (by weight) the name explains. */
  qCov: number;
}

export class EnglishIndex {
  private readonly docs: { entity: number; words: string[]; prior: number }[] = [];
  private readonly df = new Map<string, number>();

  add(entity: number, name: string, prior = 1): void {
    const words = [...new Set(englishWords(name))];
    if (words.length) this.docs.push({ entity, words, prior });
  }

  build(): void {
    this.df.clear();
    for (const d of this.docs) for (const w of d.words) this.df.set(w, (this.df.get(w) ?? 0) + 1);
  }

  private idf(word: string): number {
    return Math.log(1 + this.docs.length / (this.df.get(word) ?? 0.5));
  }

  /** Entities whose English names the question's words meet, best first, one hit per entity. */
  search(words: string[]): EnglishHit[] {
    const said = new Set(words);
    const qWeight = [...said].reduce((s, w) => s + this.idf(w), 0);
    const best = new Map<number, EnglishHit>();
    for (const d of this.docs) {
      const met = d.words.filter((w) => said.has(w));
      if (!met.length) continue;
      const metWeight = met.reduce((s, w) => s + this.idf(w), 0);
      const docCov = metWeight / d.words.reduce((s, w) => s + this.idf(w), 0);
      const qCov = qWeight ? metWeight / qWeight : 0;
      const score = d.prior * Math.sqrt(docCov * qCov);
      const prev = best.get(d.entity);
      if (!prev || score > prev.score) best.set(d.entity, { entity: d.entity, score, docCov, qCov });
    }
    return [...best.values()].sort((a, b) => b.score - a.score);
  }
}
