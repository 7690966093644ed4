/**
 * Turning a decision (intent + what was matched) into words and a screen card, from the
 * hall's templates. Nothing here decides anything; it only says what the engine found,
 * and when the catalogue lacks a fact the templates say so instead of guessing.
 */
import type { FaqEntry, Hall, Material, Place, ServiceItem, ServiceWindow, TimeLimit } from '../../config/schema.ts';
import { describeWindows, floorName, groupsForItem, windowsForItem } from './knowledge.ts';
import { fill, joinList, type Lang, type LangTemplates, type SpokenKey } from './templates.ts';

export interface CardSection {
  label: string;
  lines: string[];
}

export interface CardWindow {
  id: string;
  name: string;
  floor: string;
  floorName: string;
  zone: string;
  position: { x: number; y: number };
}

/** What the robot's screen shows with an answer. */
export interface AnswerCard {
  kind: 'item' | 'faq' | 'place' | 'window' | 'hall' | 'clarify' | 'message' | 'bundle';
  title: string;
  subtitle?: string;
  sections: CardSection[];
  windows?: CardWindow[];
  place?: { id: string; name: string; floor: string; floorName: string; position: { x: number; y: number } };
  options?: { index: number; label: string }[];
}

export class Phrasebook {
  constructor(
    readonly t: LangTemplates,
    readonly lang: Lang,
    readonly hall: Hall,
    readonly robotName: string,
  ) {}

  say(key: SpokenKey, vars: Record<string, string | number> = {}): string {
    return fill(this.t.spoken[key], { robot: this.robotName, hall: this.hallName(), ...vars });
  }

  hallName(): string {
    return this.lang === 'en' ? (this.hall.nameEn ?? this.hall.name) : this.hall.name;
  }

  list(items: string[]): string {
    return joinList(items, this.t);
  }

  floor(id: string): string {
    if (this.lang === 'en') {
      const f = this.hall.floors.find((x) => x.id === id);
      return f ? `floor ${f.level}` : id;
    }
    return floorName(this.hall, id);
  }

  zone(id: string): string {
    return this.lang === 'en' ? `zone ${id}` : `${id}区`;
  }

  limit(l: TimeLimit): string;
  limit(l: TimeLimit | null): string | null;
  limit(l: TimeLimit | null): string | null {
    if (!l) return null;
    if (l.unit === '即办') return this.t.units['即办'] ?? l.text;
    return `${l.value}${this.t.units[l.unit] ?? l.unit}`;
  }

  limitPhrase(item: { promisedLimit: TimeLimit | null; legalLimit: TimeLimit | null }): string {
    const l = item.promisedLimit ?? item.legalLimit;
    if (!l) return this.lang === 'en' ? 'no time limit is listed' : '目录未写办理时限';
    if (l.unit === '即办') return this.lang === 'en' ? 'done on the spot' : '当场办结';
    return this.lang === 'en' ? `done within ${this.limit(l)}` : `承诺${this.limit(l)}办结`;
  }

  material(m: Material): string {
    const notes = [m.form, m.copies ? (this.lang === 'en' ? `${m.copies} copies` : `${m.copies}份`) : undefined, m.required ? undefined : this.t.card.optional, m.note].filter(Boolean);
    return notes.length ? `${m.name}（${notes.join('，')}）` : m.name;
  }

  window(w: ServiceWindow): CardWindow {
    return { id: w.id, name: w.name, floor: w.floor, floorName: this.floor(w.floor), zone: w.zone, position: w.position };
  }

  hours(): string {
    return this.hall.openingHours
      .map((h) => {
        const days = [...h.days].sort();
        const consecutive = days.every((d, i) => i === 0 || d === days[i - 1] + 1);
        const name = (d: number) => this.t.weekdays[d - 1];
        const span = days.length > 2 && consecutive ? `${name(days[0])}${this.lang === 'en' ? '–' : '至'}${name(days[days.length - 1])}` : days.map(name).join(this.t.list.sep);
        return `${span} ${h.open}–${h.close}`;
      })
      .join(this.lang === 'en' ? '; ' : '，');
  }
}

/** The facts of an item (or one of its sub-cases) the answers draw on. */
export interface ItemFacts {
  item: ServiceItem;
  caseIdx: number;
  name: string;
  materials: Material[];
  conditions: string;
  promisedLimit: TimeLimit | null;
  legalLimit: TimeLimit | null;
  visits: number | null;
  windows: ServiceWindow[];
}

export function itemFacts(hall: Hall, item: ServiceItem, caseIdx: number): ItemFacts {
  const c = caseIdx >= 0 ? item.cases[caseIdx] : undefined;
  return {
    item,
    caseIdx,
    name: c ? c.fullName : item.name,
    materials: c ? c.materials : item.materials,
    conditions: (c?.conditions || item.conditions || '').trim(),
    promisedLimit: c ? c.promisedLimit : item.promisedLimit,
    legalLimit: c ? c.legalLimit : item.legalLimit,
    visits: c ? c.visits : item.visits,
    windows: windowsForItem(hall, item),
  };
}

export function itemCard(p: Phrasebook, f: ItemFacts): AnswerCard {
  const c = p.t.card;
  const sections: CardSection[] = [];
  sections.push({ label: c.windows, lines: f.windows.length ? [`${describeWindows(f.windows, p.t.list.sep, p.t.list.range)}（${p.floor(f.windows[0].floor)}）`] : [c.noWindow] });
  sections.push({ label: c.materials, lines: f.materials.length ? f.materials.map((m) => p.material(m)) : [c.noMaterials] });
  if (f.caseIdx < 0 && f.item.cases.length) sections.push({ label: c.cases, lines: f.item.cases.map((x) => x.name) });
  if (f.conditions) sections.push({ label: c.conditions, lines: [f.conditions.length > 400 ? `${f.conditions.slice(0, 400)}…` : f.conditions] });
  const limits = [
    f.promisedLimit ? `${c.promisedLimit}：${p.limit(f.promisedLimit)}` : null,
    f.legalLimit ? `${c.legalLimit}：${p.limit(f.legalLimit)}` : null,
    f.visits !== null ? `${c.visits}：${f.visits}` : null,
    `${c.booking}：${f.item.onlineBooking ? c.yes : c.no}`,
    `${c.courier}：${f.item.courier ? c.yes : c.no}`,
  ].filter((x): x is string => x !== null);
  sections.push({ label: c.promisedLimit, lines: limits });
  sections.push({ label: c.department, lines: [f.item.department, ...(f.item.consultPhone ? [`${c.phone}：${f.item.consultPhone}`] : [])] });
  const groups = groupsForItem(p.hall, f.item);
  if (groups.length) sections.push({ label: c.ticketGroup, lines: groups.map((g) => `${g.prefix} ${p.lang === 'en' ? (g.nameEn ?? g.name) : g.name}`) });
  return { kind: 'item', title: f.item.name, subtitle: f.caseIdx >= 0 ? f.item.cases[f.caseIdx].name : undefined, sections, windows: f.windows.map((w) => p.window(w)) };
}

export function faqCard(p: Phrasebook, faq: FaqEntry): AnswerCard {
  return { kind: 'faq', title: faq.question, subtitle: faq.department, sections: [{ label: p.t.card.answer, lines: [faq.answer] }] };
}

export function placeCard(p: Phrasebook, place: Place): AnswerCard {
  const name = p.lang === 'en' ? (place.nameEn ?? place.name) : place.name;
  return {
    kind: 'place',
    title: name,
    sections: [{ label: p.t.card.floor, lines: [p.floor(place.floor)] }],
    place: { id: place.id, name, floor: place.floor, floorName: p.floor(place.floor), position: place.position },
  };
}

export function messageCard(title: string, lines: string[] = [], label = ''): AnswerCard {
  return { kind: 'message', title, sections: lines.length ? [{ label, lines }] : [] };
}
