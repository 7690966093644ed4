/**
 * What a visit for several services at once needs: one material list with each material
 * once (a 一件事 bundle, a citizen's 待办清单), and the windows a bundle is accepted at.
 * Pure, so the kiosk's screen, its printed list and the tests share one answer.
 */
import type { Bundle, HallConfig, Material, ServiceItem, ServiceWindow } from './schema.ts';
import { windowsForItem } from './hall-query.ts';

/** One service to prepare for: an item, and its case once known. */
export interface ServicePick {
  item: string;
  case?: string;
}

/** A material as the combined list shows it: once, with every service that asks for it. */
export interface CombinedMaterial {
  name: string;
  /** The forms asked for (原件, 复印件 …), each once, in the order first asked. */
  forms: string[];
  /** The most copies any one service asks for: one set serves them all in turn. */
  copies: number;
  /** Required by at least one of the services. */
  required: boolean;
  /** The item codes that need it, in list order. */
  items: string[];
  notes: string[];
}

/**
 * The key two materials are the same by: full-width and half-width alike (NFKC), no
 * spaces or punctuation, and without a trailing bracketed form (居民身份证（原件）).
 */
export function materialKey(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/[(（][^()（）]*[)）]\s*$/u, '')
    .replace(/[\s\p{P}]/gu, '')
    .toLowerCase();
}

/** The materials one pick asks for: its case's when the case is known, else the item's own. */
export function materialsOfPick(item: ServiceItem, caseCode?: string): Material[] {
  const sub = caseCode ? item.cases.find((c) => c.code === caseCode) : undefined;
  return sub ? sub.materials : item.materials;
}

/** Every material of the picks, each once; picks naming an item the catalogue lacks are skipped. */
export function combinedMaterials(items: readonly ServiceItem[], picks: readonly ServicePick[]): CombinedMaterial[] {
  const byCode = new Map(items.map((i) => [i.code, i]));
  const out = new Map<string, CombinedMaterial>();
  for (const pick of picks) {
    const item = byCode.get(pick.item);
    if (!item) continue;
    for (const m of materialsOfPick(item, pick.case)) {
      const key = materialKey(m.name);
      const seen = out.get(key);
      if (!seen) {
        out.set(key, { name: m.name.trim(), forms: m.form ? [m.form] : [], copies: m.copies ?? 1, required: m.required, items: [item.code], notes: m.note ? [m.note] : [] });
        continue;
      }
      if (m.form && !seen.forms.includes(m.form)) seen.forms.push(m.form);
      seen.copies = Math.max(seen.copies, m.copies ?? 1);
      seen.required ||= m.required;
      if (!seen.items.includes(item.code)) seen.items.push(item.code);
      if (m.note && !seen.notes.includes(m.note)) seen.notes.push(m.note);
    }
  }
  return [...out.values()];
}

/** One stop of a bundle's visit: the window(s) that take these items. */
export interface BundleStop {
  items: string[];
  windows: ServiceWindow[];
}

/**
 * Where a bundle is accepted, in order: one stop at its 综合窗口 for everything, or one
 * stop per item at that item's own windows, in the bundle's order.
 */
export function bundleStops(config: HallConfig, bundle: Bundle): BundleStop[] {
  const codes = bundle.items.map((p) => p.item);
  if (bundle.acceptance === 'one-window') return [{ items: codes, windows: config.hall.windows.filter((w) => w.id === bundle.window) }];
  return codes.map((code) => {
    const item = config.catalogue.items.find((i) => i.code === code);
    return { items: [code], windows: item ? windowsForItem(config, item) : [] };
  });
}
