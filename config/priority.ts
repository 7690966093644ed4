/**
 * The hall's priority rule set in words, for answers written by staff: a FAQ answer says
 * `{priority}` where the rule belongs, so the robot states the rule the kiosk applies and
 * both change with the configuration.
 */
import type { PriorityRules } from './schema.ts';

export const PRIORITY_PLACEHOLDER = '{priority}';

/** "60岁及以上老年人、残疾人、现役军人和孕妇". */
export function priorityWho(rules: PriorityRules): string {
  const who = rules.kinds.map((k) => (k === 'elderly' ? `${rules.elderlyAge}岁及以上老年人` : { disabled: '残疾人', military: '现役军人', pregnant: '孕妇' }[k]));
  return who.length > 1 ? `${who.slice(0, -1).join('、')}和${who[who.length - 1]}` : who[0];
}

export function withPriorityRules(text: string, rules: PriorityRules): string {
  return text.includes(PRIORITY_PLACEHOLDER) ? text.replaceAll(PRIORITY_PLACEHOLDER, priorityWho(rules)) : text;
}
