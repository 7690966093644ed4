/**
 * The kiosk's theme menus (出入境, 社保 …) built from how each item is classified: the
 * topic tags the portal gives it (theme_category, kept as `item.themes`), the
 * department that handles it, and only then a keyword in its own name. Each placement
 * carries the rule that made it, so staff can audit a theme in the console, and the
 * corrections they make there (kept in menus.json as `corrections`) are applied again
 * whenever the themes are rebuilt, e.g. after a catalogue re-import.
 *
 * Case names and conditions are never searched: they name who applies
 * (香港澳门特别行政区居民) rather than what the item is, which is how 注册会计师注册
 * once landed under 出入境.
 */
import type { MenuEntry, ServiceItem, ThemeCorrection, ThemeReason } from './schema.ts';

export interface ThemeDefinition {
  id: string;
  title: string;
  titleEn: string;
  icon: string;
  /** Topic tags (the portal's theme_category or the hall's own) that put an item here. */
  tags: string[];
  /** Departments whose every item belongs here. */
  departments?: RegExp;
  /** Words in the item's own name, for items their tags and department leave unplaced. */
  names?: RegExp;
}

/** Life events and topics citizens think in, most asked first. */
export const THEMES: ThemeDefinition[] = [
  { id: 'birth', title: '出生', titleEn: 'Birth', icon: 'baby', tags: ['生小孩', '生育收养'], names: /出生|新生儿|生育|母婴/ },
  { id: 'school', title: '入学', titleEn: 'Education', icon: 'school', tags: ['升学', '义务教育', '教育科研'], departments: /教育厅|教育局/, names: /入学|学籍|招生|教师资格/ },
  { id: 'work', title: '就业创业', titleEn: 'Jobs', icon: 'briefcase', tags: ['就业创业', '找工作', '创业', '人才', '高校毕业生', '失业'], names: /就业|失业|招聘|创业/ },
  {
    id: 'social',
    title: '社保',
    titleEn: 'Social insurance',
    icon: 'shield',
    tags: ['社会保障', '社会保障（社会保险、社会救助）', '社会救助'],
    names: /社会保障|社保|养老保险|工伤保险|社会保险|社会救助/,
  },
  { id: 'medical', title: '医保', titleEn: 'Medical insurance', icon: 'medical', tags: ['医疗保障'], departments: /医疗保障局/, names: /医保|医疗保险|医疗保障/ },
  { id: 'fund', title: '公积金', titleEn: 'Housing fund', icon: 'piggy', tags: ['住房公积金'], departments: /公积金/, names: /公积金/ },
  { id: 'estate', title: '不动产', titleEn: 'Real estate', icon: 'house', tags: ['买房子', '住房保障'], departments: /不动产登记/, names: /不动产|房屋|住房|抵押登记|过户/ },
  { id: 'marriage', title: '婚姻', titleEn: 'Marriage', icon: 'rings', tags: ['婚姻登记', '结婚'], names: /婚姻|结婚|离婚|收养/ },
  { id: 'household', title: '户籍', titleEn: 'Household', icon: 'id', tags: ['户籍办理', '迁居', '身份证'], names: /户籍|户口|居住证|落户/ },
  { id: 'exit', title: '出入境', titleEn: 'Exit & entry', icon: 'plane', tags: ['出境入境', '出入境'], departments: /出入境/, names: /出入境|护照|往来港澳通行证|往来台湾通行证|签注|签证/ },
  { id: 'business', title: '企业开办', titleEn: 'Start a business', icon: 'shop', tags: ['设立变更', '准营准办'], names: /营业执照|企业设立|个体工商户|公司设立/ },
  { id: 'tax', title: '纳税', titleEn: 'Tax', icon: 'receipt', tags: ['纳税'], departments: /税务/, names: /纳税|完税|税务登记|税收/ },
  { id: 'traffic', title: '交通出行', titleEn: 'Transport', icon: 'car', tags: ['交通出行'], names: /驾驶|机动车|道路运输|船员|船舶/ },
  { id: 'elderly', title: '养老', titleEn: 'Elderly care', icon: 'cane', tags: ['退休', '离职退休', '老年人', '养老服务'], names: /养老|退休|老年|高龄/ },
  { id: 'disability', title: '残疾人', titleEn: 'Disability', icon: 'access', tags: ['残疾人'], departments: /残疾人联合会/, names: /残疾/ },
  { id: 'qualification', title: '职业资格', titleEn: 'Qualifications', icon: 'badge', tags: ['职业资格'], names: /执业|职业资格|资格认定|注册核准/ },
  { id: 'culture', title: '文化旅游', titleEn: 'Culture & tourism', icon: 'theatre', tags: ['文化体育', '旅游观光'], departments: /文化和旅游|体育局|文物/, names: /文物|演出|旅游/ },
  { id: 'law', title: '法律服务', titleEn: 'Legal services', icon: 'scale', tags: ['司法公证'], names: /律师|公证|法律援助|司法鉴定|仲裁/ },
];

/** The item's classification places it in `theme`: one of its topic tags, or its department. */
function classified(item: ServiceItem, theme: ThemeDefinition): ThemeReason | null {
  const tag = item.themes.find((t) => theme.tags.includes(t));
  if (tag) return { by: 'tag', value: tag };
  if (theme.departments?.test(item.department)) return { by: 'department', value: item.department };
  return null;
}

/**
 * Why the rules place an item in each theme they place it in. A word of its name counts
 * only when its tags and department place it nowhere: 离婚协议公证指引 is a notary's
 * guide (tag 司法公证), not a marriage matter.
 */
export function classify(item: ServiceItem): Map<string, ThemeReason> {
  const out = new Map<string, ThemeReason>();
  for (const theme of THEMES) {
    const reason = classified(item, theme);
    if (reason) out.set(theme.id, reason);
  }
  if (out.size > 0) return out;
  for (const theme of THEMES) {
    const word = theme.names?.exec(item.name);
    if (word) out.set(theme.id, { by: 'name', value: word[0] });
  }
  return out;
}

/**
 * The themes for `items` (already in display order): each theme's items by the rules,
 * then the staff's corrections in the order they were made. An item staff put in a
 * theme leads it, since they placed it on purpose; a correction naming an item or theme
 * that no longer exists does nothing.
 */
export function buildThemes(items: readonly ServiceItem[], corrections: readonly ThemeCorrection[] = []): MenuEntry[] {
  const placed = items.map((item) => ({ code: item.code, reasons: classify(item) }));
  const entries = THEMES.map((theme): MenuEntry => {
    const reasons: Record<string, ThemeReason> = {};
    const codes: string[] = [];
    for (const { code, reasons: why } of placed) {
      const reason = why.get(theme.id);
      if (!reason) continue;
      codes.push(code);
      reasons[code] = reason;
    }
    return { id: theme.id, title: theme.title, titleEn: theme.titleEn, icon: theme.icon, items: codes, kiosks: [], reasons };
  });
  applyCorrections(entries, corrections, new Set(items.map((i) => i.code)));
  return entries.filter((e) => e.items.length > 0);
}

/** Applies staff corrections to theme entries in place (the console's draft uses the same rule). */
export function applyCorrections(entries: MenuEntry[], corrections: readonly ThemeCorrection[], known: ReadonlySet<string>): void {
  const byId = new Map(entries.map((e) => [e.id, e]));
  for (const c of corrections) {
    if (!known.has(c.item)) continue;
    const from = c.from ? byId.get(c.from) : undefined;
    if (from) {
      from.items = from.items.filter((code) => code !== c.item);
      if (from.reasons) delete from.reasons[c.item];
    }
    const to = c.to ? byId.get(c.to) : undefined;
    if (to) {
      to.items = [c.item, ...to.items.filter((code) => code !== c.item)];
      to.reasons = { ...to.reasons, [c.item]: { by: 'staff', value: c.note ?? '' } };
    }
  }
}

/**
 * Records a staff correction: moving an item out of `from` (into `to`, or nowhere).
 * An earlier correction of the same item out of the same theme is replaced, so the list
 * says what staff decided, not every click.
 */
export function recordCorrection(corrections: ThemeCorrection[], correction: ThemeCorrection): ThemeCorrection[] {
  const rest = corrections.filter((c) => !(c.item === correction.item && (c.from ?? '') === (correction.from ?? '')));
  return [...rest, correction];
}
