/**
 * What the robot knows, and the hall facts answers need: which windows serve an item,
 * which queue group issues its tickets. Kept apart from matching so the guide, the
 * answer templates and the CLI all read the hall the same way.
 */
import type { Bundle, FaqEntry, Hall, Place, QueueGroup, ServiceItem, ServiceWindow } from '../../config/schema.ts';
import type { AnswerTemplates } from './templates.ts';

export interface Knowledge {
  catalogue: { items: ServiceItem[] };
  hall: Hall;
  faq: FaqEntry[];
  synonyms: string[][];
  templates: AnswerTemplates;
  /** 一件事 bundles, answered when a question names the life event; none when absent. */
  bundles?: Bundle[];
}

/** What an answer can be about; a bundle is answered by name before retrieval and is never ranked. */
export type EntityKind = 'item' | 'faq' | 'place' | 'bundle';

/**
 * Queue groups serving an item: those that list its code; otherwise those whose
 * department names occur in the item's department, the longest such name winning
 * (规划和自然资源 beats 自然资源 for 广州市规划和自然资源局).
 */
export function groupsForItem(hall: Hall, item: Pick<ServiceItem, 'code' | 'department'>): QueueGroup[] {
  const explicit = hall.groups.filter((g) => g.items.includes(item.code));
  if (explicit.length) return explicit;
  let best = 0;
  let found: QueueGroup[] = [];
  for (const g of hall.groups) {
    const len = Math.max(0, ...g.departments.filter((d) => d && item.department.includes(d)).map((d) => d.length));
    if (len === 0) continue;
    if (len > best) {
      best = len;
      found = [g];
    } else if (len === best) found.push(g);
  }
  return found;
}

export function windowsForItem(hall: Hall, item: Pick<ServiceItem, 'code' | 'department'>): ServiceWindow[] {
  return windowsOfGroups(hall, groupsForItem(hall, item).map((g) => g.id));
}

export function windowsOfGroups(hall: Hall, ids: string[]): ServiceWindow[] {
  const groups = new Set(ids);
  return hall.windows.filter((w) => w.groups.some((g) => groups.has(g)));
}

/** Places a visitor may be led to: everything but the robot's own dock. */
export function visitorPlaces(hall: Hall): Place[] {
  return hall.places.filter((p) => p.kind !== 'robot-dock');
}

export function floorName(hall: Hall, floorId: string): string {
  return hall.floors.find((f) => f.id === floorId)?.name ?? floorId;
}

/** "B01、B10" or "A01–A05" when the windows are consecutive in one zone. */
export function describeWindows(windows: Pick<ServiceWindow, 'id'>[], sep = '、', range = '至'): string {
  const ids = windows.map((w) => w.id).sort();
  if (ids.length >= 3) {
    const zone = ids[0][0];
    const nums = ids.map((id) => Number(id.slice(1)));
    const consecutive = ids.every((id) => id[0] === zone) && nums.every((n, i) => i === 0 || n === nums[i - 1] + 1);
    if (consecutive) return `${ids[0]}${range}${ids[ids.length - 1]}`;
  }
  return ids.join(sep);
}
