/** The catalogue domain: home menus, guides and search summaries, from the config in force. */
import type { ConfigStore } from '../../config/load.ts';
import type { MenuEntry, ServiceItem } from '../../config/schema.ts';
import { windowsForItem } from '../../config/hall-query.ts';
import { windowHours } from '../../config/hours.ts';
import { itemGuideUrl } from '../../config/phone-links.ts';
import { ApiError } from '../../protocol/ui/errors.ts';
import type { HallMap, HomeMenu, ItemGuide, ItemSummary } from '../../protocol/ui/domains/catalogue.ts';
import type { Handlers } from '../api/router.ts';

export function summaryOf(item: ServiceItem): ItemSummary {
  return {
    code: item.code,
    name: item.name,
    ...(item.nameEn ? { nameEn: item.nameEn } : {}),
    department: item.department,
    aliases: item.aliases,
    cases: item.cases.map((c) => c.name),
    hall: item.source === 'hall',
  };
}

/**
 * Derived views are computed once per configuration version: the home menu and the
 * summaries are asked for on every screen load and the catalogue only changes with it.
 */
export class CatalogueService {
  private cache: { version: number; home: HomeMenu; summaries: ItemSummary[]; byCode: Map<string, ServiceItem> } | null = null;

  constructor(
    private readonly store: ConfigStore,
    private readonly kioskId: string,
  ) {}

  private views() {
    if (this.cache && this.cache.version === this.store.version) return this.cache;
    const config = this.store.config;
    const byCode = new Map(config.catalogue.items.map((i) => [i.code, i]));
    const visible = <T extends { kiosks: string[] }>(e: T) => e.kiosks.length === 0 || e.kiosks.includes(this.kioskId);
    // Why each item is in a theme is for staff auditing in the console, not for the kiosk's home screen.
    const withoutReasons = ({ reasons: _reasons, ...entry }: MenuEntry): MenuEntry => entry;
    const menus = {
      hot: config.menus.hot,
      themes: config.menus.themes.filter(visible).map(withoutReasons),
      departments: config.menus.departments.filter(visible),
    };
    const mentioned = new Set([...menus.hot, ...menus.themes.flatMap((t) => t.items), ...menus.departments.flatMap((d) => d.items)]);
    const items: Record<string, ItemSummary> = {};
    for (const code of mentioned) {
      const item = byCode.get(code);
      if (item) items[code] = summaryOf(item);
    }
    const groups = config.hall.groups.map(({ id, prefix, name, nameEn }) => ({ id, prefix, name, ...(nameEn ? { nameEn } : {}) }));
    const bundles = config.bundles.map(({ id, name, nameEn }) => ({ id, name, ...(nameEn ? { nameEn } : {}) }));
    const home: HomeMenu = { hallName: config.hall.name, hallNameEn: config.hall.nameEn, menus, groups, items, ...(bundles.length ? { bundles } : {}) };
    this.cache = { version: this.store.version, home, summaries: config.catalogue.items.map(summaryOf), byCode };
    return this.cache;
  }

  item(code: string): ItemGuide {
    const config = this.store.config;
    const item = this.views().byCode.get(code);
    if (!item) throw new ApiError('not-found', `no service item with code ${code}`);
    return {
      item,
      windows: windowsForItem(config, item).map((w) => ({ id: w.id, name: w.name, zone: w.zone, floor: w.floor, position: w.position, hours: windowHours(config, w), ownHours: !!w.openingHours })),
      hours: config.hall.openingHours,
      questionnaire: config.questionnaires.find((q) => q.item === code) ?? null,
      guideUrl: itemGuideUrl(config.hall, code),
    };
  }

  map(): HallMap {
    const { hall, kiosks } = this.store.config;
    const self = kiosks.find((k) => k.id === this.kioskId);
    return {
      floors: hall.floors,
      zones: hall.zones,
      places: hall.places,
      windows: hall.windows.map((w) => ({ id: w.id, name: w.name, zone: w.zone, floor: w.floor, position: w.position })),
      here: self ? { floor: self.floor, position: self.position } : null,
    };
  }

  handlers(): Handlers {
    return {
      'catalogue.home': () => this.views().home,
      'catalogue.summaries': () => this.views().summaries,
      'catalogue.item': ({ code }) => this.item(code),
      'catalogue.map': () => this.map(),
    };
  }
}
