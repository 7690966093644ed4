/**
 * Answer templates: the robot's words live in config (config/default/answers.json) so a
 * hall can change its tone without a release. Every key is required, so a missing
 * sentence fails at load with its name instead of leaving the robot silent.
 * Placeholders are {name}; an unknown placeholder fails the render in tests, not in a hall.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const SPOKEN_KEYS = [
  'itemInfo', 'itemInfoNoWindow', 'materials', 'materialsOnScreen', 'materialsNone', 'materialsByCase', 'conditions', 'conditionsNone',
  'where', 'whereNone', 'duration', 'durationInstant', 'durationNone', 'visits', 'visitsZero', 'visitsNone',
  'bookingYes', 'bookingNo', 'courierYes', 'courierNo', 'navigateWindow', 'navigateWindowOtherFloor', 'navigatePlace',
  'navigateItem', 'navigateItemNone', 'navigateUnknownWindow', 'placeWhere', 'windowWhere', 'ticket', 'ticketNoItem', 'ticketNoGroup',
  'appointmentYes', 'appointmentNo', 'appointmentNoItem', 'hallHours', 'faq', 'greeting', 'thanks', 'smalltalkName',
  'smalltalkAbility', 'human', 'repeatNothing', 'stop', 'clarify', 'clarifyOrganisation', 'clarifyCase', 'outOfScope', 'advice', 'choiceNone',
  'bundle', 'bundleOneWindow', 'bundleInOrder',
] as const;

const CARD_KEYS = [
  'materials', 'conditions', 'windows', 'noWindow', 'legalLimit', 'promisedLimit', 'visits', 'booking', 'courier', 'phone',
  'cases', 'department', 'yes', 'no', 'optional', 'original', 'copy', 'location', 'openingHours', 'answer', 'floor', 'options',
  'ticketGroup', 'route', 'suggestions', 'noMaterials', 'bundleItems', 'bundleMaterials',
] as const;

const Lang = z.object({
  spoken: z.object(Object.fromEntries(SPOKEN_KEYS.map((k) => [k, z.string().min(1)])) as Record<(typeof SPOKEN_KEYS)[number], z.ZodString>),
  card: z.object(Object.fromEntries(CARD_KEYS.map((k) => [k, z.string().min(1)])) as Record<(typeof CARD_KEYS)[number], z.ZodString>),
  /** How lists are joined: 甲、乙和丙 / A, B and C. */
  list: z.object({ sep: z.string(), last: z.string(), range: z.string() }),
  weekdays: z.array(z.string()).length(7),
  /** Time-limit units as the catalogue writes them (工作日…) → words in this language. */
  units: z.record(z.string(), z.string()),
  /** Questions shown as buttons on the robot's screen. */
  suggestions: z.array(z.string()).min(1),
});
export type LangTemplates = z.infer<typeof Lang>;

export const AnswerTemplates = z.object({ zh: Lang, en: Lang });
export type AnswerTemplates = z.infer<typeof AnswerTemplates>;
export type SpokenKey = (typeof SPOKEN_KEYS)[number];
export type Lang = 'zh' | 'en';

export const DEFAULT_ANSWERS_FILE = fileURLToPath(new URL('../../config/default/answers.json', import.meta.url));

export function loadTemplates(file = DEFAULT_ANSWERS_FILE): AnswerTemplates {
  return AnswerTemplates.parse(JSON.parse(readFileSync(file, 'utf8')));
}

/** Fill {placeholders}; a placeholder without a value is a template bug and throws. */
export function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => {
    if (!(k in vars)) throw new Error(`answer template needs {${k}}: ${template}`);
    return String(vars[k]);
  });
}

/** 甲、乙和丙 */
export function joinList(items: string[], t: LangTemplates): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(t.list.sep)}${t.list.last}${items[items.length - 1]}`;
}
