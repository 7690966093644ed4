/**
 * 一件事 bundles as answers: "我要开个饭店要办什么" or "生孩子要办哪些手续" names a life event
 * rather than one service, and is answered with the bundle the hall set up for it (its
 * services, one material list with each material once, where it is accepted, one ticket).
 * A bundle is asked for by its name or what visitors call it (its aliases), as said.
 */
import type { Bundle, Hall, ServiceItem, ServiceWindow } from '../../config/schema.ts';
import { combinedMaterials } from '../../config/bundles.ts';
import { describeWindows, windowsForItem } from './knowledge.ts';
import { normalize } from './normalize.ts';
import type { AnswerCard, Phrasebook } from './answer.ts';

export class BundleNames {
  /** Each name and alias, normalised, longest first: the most specific wins. */
  private readonly keys: { key: string; bundle: Bundle }[];

  constructor(bundles: readonly Bundle[]) {
    this.keys = bundles
      .flatMap((bundle) => [bundle.name, ...(bundle.nameEn ? [bundle.nameEn] : []), ...bundle.aliases].map((n) => ({ key: normalize(n).toLowerCase(), bundle })))
      .filter((k) => k.key.length >= 2)
      .sort((a, b) => b.key.length - a.key.length);
  }

  /** The name a question was matched by (diagnostics). */
  keyOf(norm: string): string | null {
    const said = norm.toLowerCase();
    return this.keys.find((k) => said.includes(k.key))?.key ?? null;
  }

  /** The bundle a question names, if any. */
  asked(norm: string): Bundle | null {
    const said = norm.toLowerCase();
    return this.keys.find((k) => said.includes(k.key))?.bundle ?? null;
  }
}

export interface BundleFacts {
  answer: string;
  card: AnswerCard;
  windows: ServiceWindow[];
  ticket?: { group: string; prefix: string; name: string };
}

export function bundleFacts(p: Phrasebook, hall: Hall, items: readonly ServiceItem[], bundle: Bundle): BundleFacts {
  const en = p.lang === 'en';
  const byCode = new Map(items.map((i) => [i.code, i]));
  const members = bundle.items.map((x) => byCode.get(x.item)).filter((i): i is ServiceItem => i !== undefined);
  const itemName = (i: ServiceItem) => (en ? (i.nameEn ?? i.name) : i.name);
  const materials = combinedMaterials(items, bundle.items);
  const oneWindow = bundle.acceptance === 'one-window';
  const seen = new Set<string>();
  const windows = oneWindow
    ? hall.windows.filter((w) => w.id === bundle.window)
    : members.flatMap((i) => windowsForItem(hall, i)).filter((w) => !seen.has(w.id) && seen.add(w.id));
  const listed = describeWindows(windows, p.t.list.sep, p.t.list.range);
  const where = windows.length === 0 ? p.t.card.noWindow : p.say(oneWindow ? 'bundleOneWindow' : 'bundleInOrder', { windows: listed });
  const group = hall.groups.find((g) => g.id === bundle.group);
  const groupName = group ? (en ? (group.nameEn ?? group.name) : group.name) : '';
  const name = en ? (bundle.nameEn ?? bundle.name) : bundle.name;
  const answer = p.say('bundle', { name, count: members.length, items: p.list(members.map(itemName)), materials: materials.length, where, group: groupName });
  const c = p.t.card;
  const copies = (n: number) => (en ? `${n} ${n === 1 ? 'copy' : 'copies'}` : `${n}份`);
  const card: AnswerCard = {
    kind: 'bundle',
    title: name,
    sections: [
      { label: c.bundleItems, lines: members.map(itemName) },
      { label: c.bundleMaterials, lines: materials.length ? materials.map((m) => `${m.name}（${[...m.forms, copies(m.copies)].join('，')}）`) : [c.noMaterials] },
      { label: c.windows, lines: [where] },
      ...(group ? [{ label: c.ticketGroup, lines: [`${group.prefix} ${groupName}`] }] : []),
    ],
    windows: windows.map((w) => p.window(w)),
  };
  return { answer, card, windows, ...(group ? { ticket: { group: group.id, prefix: group.prefix, name: groupName } } : {}) };
}
