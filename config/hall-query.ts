/** Questions every part of the hall asks of its configuration: who serves what, and where. */
import type { HallConfig, QueueGroup, ServiceItem, ServiceWindow } from './schema.ts';

/** Queue groups that serve an item: named by code first, else by department. */
export function groupsForItem(config: HallConfig, item: Pick<ServiceItem, 'code' | 'department'>): QueueGroup[] {
  const byCode = config.hall.groups.filter((g) => g.items.includes(item.code));
  if (byCode.length) return byCode;
  return config.hall.groups.filter((g) => g.departments.some((d) => item.department.includes(d)));
}

export function windowsForGroups(config: HallConfig, groupIds: string[]): ServiceWindow[] {
  const wanted = new Set(groupIds);
  return config.hall.windows.filter((w) => w.groups.some((g) => wanted.has(g)));
}

export function windowsForItem(config: HallConfig, item: Pick<ServiceItem, 'code' | 'department'>): ServiceWindow[] {
  return windowsForGroups(
    config,
    groupsForItem(config, item).map((g) => g.id),
  );
}

/** Item lookup by item code or case code; the case is returned when a case code was given. */
export function findItem(config: HallConfig, code: string): { item: ServiceItem; caseCode?: string } | undefined {
  for (const item of config.catalogue.items) {
    if (item.code === code) return { item };
    const c = item.cases.find((x) => x.code === code);
    if (c) return { item, caseCode: c.code };
  }
  return undefined;
}
