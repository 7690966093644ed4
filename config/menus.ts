/**
 * Default kiosk menus and questionnaires derived from a catalogue. Halls edit the
 * result in the staff console; these builders only give a new hall a sensible start.
 */
import type { Catalogue, Menus, MenuEntry, Questionnaire, ServiceItem } from './schema.ts';

interface ThemeRule {
  id: string;
  title: string;
  titleEn: string;
  icon: string;
  pattern: RegExp;
}

/** Life events and topics citizens think in, most asked first. */
export const THEME_RULES: ThemeRule[] = [
  { id: 'birth', title: '出生', titleEn: 'Birth', icon: 'baby', pattern: /出生|新生儿|生育|母婴|计划生育/ },
  { id: 'school', title: '入学', titleEn: 'Education', icon: 'school', pattern: /入学|学籍|学生|学校|教师资格|招生|教育/ },
  { id: 'work', title: '就业创业', titleEn: 'Jobs', icon: 'briefcase', pattern: /就业|失业|招聘|人才|职业技能|创业|劳动/ },
  { id: 'social', title: '社保', titleEn: 'Social insurance', icon: 'shield', pattern: /社会保障|社保|养老保险|工伤|社会保险|社会救助/ },
  { id: 'medical', title: '医保', titleEn: 'Medical insurance', icon: 'medical', pattern: /医保|医疗保险|医疗保障|医疗卫生/ },
  { id: 'fund', title: '公积金', titleEn: 'Housing fund', icon: 'piggy', pattern: /公积金/ },
  { id: 'estate', title: '不动产', titleEn: 'Real estate', icon: 'house', pattern: /不动产|房屋|住房|抵押|过户/ },
  { id: 'marriage', title: '婚姻', titleEn: 'Marriage', icon: 'rings', pattern: /婚姻|结婚|离婚|收养/ },
  { id: 'household', title: '户籍', titleEn: 'Household', icon: 'id', pattern: /户籍|户口|居住证|落户|身份证/ },
  { id: 'exit', title: '出入境', titleEn: 'Exit & entry', icon: 'plane', pattern: /出入境|护照|港澳|台湾居民|通行证|签注/ },
  { id: 'business', title: '企业开办', titleEn: 'Start a business', icon: 'shop', pattern: /营业执照|企业设立|开办|个体工商户|公司设立/ },
  { id: 'tax', title: '纳税', titleEn: 'Tax', icon: 'receipt', pattern: /纳税|完税|税务|税收/ },
  { id: 'traffic', title: '交通出行', titleEn: 'Transport', icon: 'car', pattern: /驾驶|机动车|道路运输|交通出行|船员|船舶/ },
  { id: 'elderly', title: '养老', titleEn: 'Elderly care', icon: 'cane', pattern: /养老|退休|老年|高龄/ },
  { id: 'disability', title: '残疾人', titleEn: 'Disability', icon: 'access', pattern: /残疾/ },
  { id: 'qualification', title: '职业资格', titleEn: 'Qualifications', icon: 'badge', pattern: /执业|职业资格|资格认定|注册核准/ },
  { id: 'culture', title: '文化旅游', titleEn: 'Culture & tourism', icon: 'theatre', pattern: /文化|旅游|演出|文物|出版|体育/ },
  { id: 'law', title: '法律服务', titleEn: 'Legal services', icon: 'scale', pattern: /律师|公证|法律援助|司法鉴定|仲裁/ },
];

const MAX_PER_ENTRY = 80;

function haystack(item: ServiceItem): string {
  return [item.name, ...item.aliases, ...item.themes, ...item.cases.map((c) => c.name)].join(' ');
}

/** The hall's own items first, then the shortest (most general) names. */
function order(a: ServiceItem, b: ServiceItem): number {
  if (a.source !== b.source) return a.source === 'hall' ? -1 : 1;
  return a.name.length - b.name.length || a.code.localeCompare(b.code);
}

export function buildMenus(catalogue: Catalogue, hot: string[] = []): Menus {
  const items = [...catalogue.items].sort(order);
  const themes: MenuEntry[] = THEME_RULES.map((rule) => ({
    id: rule.id,
    title: rule.title,
    titleEn: rule.titleEn,
    icon: rule.icon,
    items: items.filter((i) => rule.pattern.test(haystack(i))).slice(0, MAX_PER_ENTRY).map((i) => i.code),
    kiosks: [],
  })).filter((e) => e.items.length > 0);

  const byDept = new Map<string, ServiceItem[]>();
  for (const item of items) {
    const list = byDept.get(item.department) ?? [];
    list.push(item);
    byDept.set(item.department, list);
  }
  const departments: MenuEntry[] = [...byDept.entries()]
    .sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))
    .slice(0, 24)
    .map(([name, list], n) => ({
      id: `dept-${n + 1}`,
      title: name,
      items: list.slice(0, MAX_PER_ENTRY).map((i) => i.code),
      kiosks: [],
    }));
  const codes = new Set(catalogue.items.map((i) => i.code));
  const hotList = hot.length ? hot.filter((c) => codes.has(c)) : items.filter((i) => i.source === 'hall').slice(0, 12).map((i) => i.code);
  return { hot: hotList, themes, departments };
}

/**
 * One plain question per item with sub-cases. When every case name starts with the
 * same words (二级注册建造师增项注册 …), the shared part is dropped so the options read
 * as the difference a citizen has to choose between.
 */
export function buildQuestionnaires(catalogue: Catalogue): Questionnaire[] {
  const out: Questionnaire[] = [];
  for (const item of catalogue.items) {
    if (item.cases.length < 2) continue;
    const names = item.cases.map((c) => c.name);
    let prefix = 0;
    while (prefix < names[0].length && names.every((n) => n[prefix] === names[0][prefix])) prefix++;
    const trimmed = names.map((n) => (prefix >= 2 && n.length - prefix >= 2 ? n.slice(prefix) : n));
    out.push({
      item: item.code,
      start: 'q1',
      questions: [
        {
          id: 'q1',
          text: `您要办理「${item.name}」的哪种情况？`,
          textEn: `Which case of this service applies to you?`,
          options: item.cases.map((c, i) => ({ label: trimmed[i], case: c.code })),
        },
      ],
    });
  }
  return out;
}
