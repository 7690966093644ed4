/**
 * What the service guide and the ticket state beyond materials: opening hours as people
 * read them, a window's own hours, fees or 不收费, and English names the hall provides.
 */
import { describe, expect, it } from 'vitest';
import { ConfigStore, loadConfigDir } from '../../../config/load.ts';
import { Catalogue } from '../../../config/schema.ts';
import { daysText, hoursLines, windowHours, ZH_HOURS } from '../../../config/hours.ts';
import { CatalogueService } from '../../../electron/services/catalogue.ts';

const cfg = loadConfigDir();
const EN = { weekdays: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'], through: '–', separator: ', ' };

describe('opening hours in words', () => {
  it('joins three or more consecutive days into a range and lists the rest', () => {
    expect(daysText([1, 2, 3, 4, 5], ZH_HOURS)).toBe('周一至周五');
    expect(daysText([5, 1, 3, 2, 4], EN)).toBe('Mon–Fri');
    expect(daysText([6, 7], ZH_HOURS)).toBe('周六、周日');
    expect(daysText([1, 3, 4, 5, 7], EN)).toBe('Mon, Wed–Fri, Sun');
    expect(daysText([2, 2, 2], ZH_HOURS)).toBe('周二');
  });

  it('gives one line per set of hours, and a window its own hours or else the hall\'s', () => {
    expect(hoursLines(cfg.hall.openingHours, ZH_HOURS)).toEqual(['周一至周五 09:00–17:00', '周六 09:00–12:00']);
    const morning = [{ days: [1, 2, 3], open: '09:00', close: '12:00' }];
    expect(windowHours(cfg, { openingHours: morning })).toBe(morning);
    expect(windowHours(cfg, {})).toBe(cfg.hall.openingHours);
  });
});

describe('fees and names in the catalogue', () => {
  it('refuses an item marked free that also states a fee, naming the field', () => {
    const item = { ...cfg.catalogue.items.find((i) => i.code === 'GZ-MZ-001')! };
    const result = Catalogue.safeParse({ version: 1, source: 't', items: [{ ...item, fee: '9元' }] });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]).toMatchObject({ path: ['items', 0, 'free'], message: expect.stringContaining('cannot also state a fee') });
    expect(Catalogue.safeParse({ version: 1, source: 't', items: [item] }).success).toBe(true);
  });

  it('has the hall\'s own items named in English and free ones marked with the rule they rest on', () => {
    const hallItems = cfg.catalogue.items.filter((i) => i.source === 'hall');
    expect(hallItems.length).toBeGreaterThan(10);
    for (const i of hallItems) expect(i.nameEn, i.code).toMatch(/^[A-Z][A-Za-z '(),-]+$/);
    for (const i of hallItems.filter((x) => x.free)) expect(i.sources?.some((s) => s.startsWith('收费标准')), i.code).toBe(true);
    for (const i of hallItems.filter((x) => x.fee)) expect(i.sources?.some((s) => s.startsWith('收费标准')), i.code).toBe(true);
  });

  it('hands the kiosk\'s guide the hall\'s hours and each window\'s, saying which are its own', () => {
    const config = structuredClone(cfg);
    config.hall.windows.find((w) => w.id === 'A01')!.openingHours = [{ days: [1, 2, 3, 4, 5], open: '09:00', close: '12:00' }];
    const guide = new CatalogueService(new ConfigStore(config, 1), 'kiosk-1').item('GZ-SB-001');
    expect(guide.hours).toEqual(cfg.hall.openingHours);
    expect(guide.windows.find((w) => w.id === 'A01')).toMatchObject({ ownHours: true, hours: [{ open: '09:00', close: '12:00' }] });
    expect(guide.windows.find((w) => w.id === 'A02')).toMatchObject({ ownHours: false, hours: cfg.hall.openingHours });
  });
});
