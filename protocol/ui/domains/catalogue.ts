/** The service catalogue as the kiosk shows it: menus, guides and the search corpus. */
import { z } from 'zod';
import { method } from '../method.ts';
import type { Hall, Menus, OpeningHours, Point, Questionnaire, ServiceItem, ServiceWindow } from '../../../config/schema.ts';

/** The fields a search index and a result list need, kept small for the renderer. */
export interface ItemSummary {
  code: string;
  name: string;
  /** The hall's English name, when it gives one. */
  nameEn?: string;
  department: string;
  aliases: string[];
  cases: string[];
  hall: boolean;
}

export interface HomeMenu {
  hallName: string;
  hallNameEn?: string;
  menus: Pick<Menus, 'hot' | 'themes' | 'departments'>;
  /** The hall's queue groups, offered on the first screen as one-tap tickets (A 社保医保, B 出入境 …). */
  groups: { id: string; prefix: string; name: string; nameEn?: string }[];
  /** 一件事 bundles, offered from the first screen; absent from a host that has none. */
  bundles?: { id: string; name: string; nameEn?: string }[];
  /** Summaries of every item the menus mention, by code. */
  items: Record<string, ItemSummary>;
}

export interface ItemGuide {
  item: ServiceItem;
  /** Each window with the hours it serves: its own, or the hall's (`ownHours` false). */
  windows: (Pick<ServiceWindow, 'id' | 'name' | 'zone' | 'floor' | 'position'> & { hours: OpeningHours[]; ownHours: boolean })[];
  /** The hall's opening hours. */
  hours: OpeningHours[];
  questionnaire: Questionnaire | null;
  /** The item's phone guide; null when the hall has none a phone can reach. */
  guideUrl: string | null;
}

/** The hall's floor plan for "show the way": floors, zones, places, windows and where this terminal stands. */
export interface HallMap {
  floors: Hall['floors'];
  zones: Hall['zones'];
  places: Hall['places'];
  windows: Pick<ServiceWindow, 'id' | 'name' | 'zone' | 'floor' | 'position'>[];
  here: { floor: string; position: Point } | null;
}

export const catalogueMethods = {
  'catalogue.home': method<HomeMenu>()(z.object({})),
  'catalogue.summaries': method<ItemSummary[]>()(z.object({})),
  'catalogue.item': method<ItemGuide>()(z.object({ code: z.string().min(1).max(64) })),
  'catalogue.map': method<HallMap>()(z.object({})),
};
