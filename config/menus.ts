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
    items: items.filter((i) => rule.pattern.test(haystack(i))).map((i) => i.code),
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
      // Every item of the department: the list pages, and a citizen browsing must find them all.
      items: list.map((i) => i.code),
      kiosks: [],
    }));
  const codes = new Set(catalogue.items.map((i) => i.code));
  const hotList = hot.length ? hot.filter((c) => codes.has(c)) : items.filter((i) => i.source === 'hall').slice(0, 12).map((i) => i.code);
  return { hot: hotList, themes, departments };
}

type Q = Questionnaire['questions'][number];

const IDENTITY = /居民|人员|人士|军人|武警|外国人|个人|企业|单位|法人|机构|公司|组织/;
const BUSINESS = /首次|补领|换领|遗失|损坏|变更|注销|延期|新办|换发|补发|增项|续期|迁入|迁出|挂失|申领|提取/;

function questionText(labels: string[], itemName: string, depth: number): { text: string; textEn: string } {
  if (labels.filter((l) => IDENTITY.test(l)).length >= labels.length - 1) return { text: '申请人属于哪一类？', textEn: 'Which kind of applicant are you?' };
  if (labels.some((l) => BUSINESS.test(l))) return { text: depth === 0 ? `您要办理「${itemName}」的哪种业务？` : '具体要办理哪一种？', textEn: 'Which of these do you need?' };
  return depth === 0
    ? { text: `您要办理「${itemName}」的哪种情况？`, textEn: 'Which case of this service applies to you?' }
    : { text: '具体是哪一种情况？', textEn: 'Which of these applies to you?' };
}

/** Drops what every name shares at the start and the end, so options read as their differences. */
function differences(names: string[]): string[] {
  if (names.length < 2) return names;
  let pre = 0;
  while (pre < names[0].length && names.every((n) => n[pre] === names[0][pre])) pre++;
  let suf = 0;
  while (suf < names[0].length - pre && names.every((n) => n.length - suf - 1 >= pre && n[n.length - 1 - suf] === names[0][names[0].length - 1 - suf])) suf++;
  const count = (t: string, ch: string) => t.split(ch).length - 1;
  return names.map((n) => {
    let from = pre >= 2 ? pre : 0;
    let to = n.length - (suf >= 2 ? suf : 0);
    // Never cut a bracket in half: （摩托 becomes 摩托车.
    if (count(n.slice(from, to), '（') > count(n.slice(from, to), '）')) to = Math.max(to, n.indexOf('）', to - 1) + 1 || n.length);
    if (count(n.slice(from, to), '）') > count(n.slice(from, to), '（')) from = Math.max(0, n.lastIndexOf('（', from));
    let core = n.slice(from, to).replace(/^[—、，\s]+|[—、，\s]+$/g, '');
    if (/^（[^（）]*）$/.test(core)) core = core.slice(1, -1);
    core = core.replace(/^(申领|申请|的)(?=.{2})/, '');
    return core.length >= 2 ? core : n;
  });
}

interface Split {
  label: string;
  members: number[];
}

/**
 * Looks for one circumstance that splits the cases into a few groups of at least two,
 * each named by a phrase only its members contain (大陆居民 / 港澳台居民 / 外国人 among
 * driving-licence cases). Phrases that come earlier in the names are asked first,
 * because case names put the applicant before the details.
 */
function findSplit(names: string[], members: number[]): Split[] | null {
  const n = members.length;
  if (n < 4) return null;
  const best = new Map<string, { label: string; pos: number }>();
  for (const m of members) {
    const name = names[m];
    for (let i = 0; i < name.length; i++) {
      for (let len = 2; len <= 12 && i + len <= name.length; len++) {
        const sub = name.slice(i, i + len);
        if (/^[（）()《》、，—\s]|[（(《、，—\s]$/.test(sub)) continue;
        const occ = members.filter((x) => names[x].includes(sub));
        if (occ.length < 2 || occ.length > n - 2) continue;
        const key = occ.join(',');
        const prev = best.get(key);
        if (!prev || sub.length > prev.label.length) best.set(key, { label: sub, pos: i });
      }
    }
  }
  const candidates = [...best.entries()].map(([key, v]) => ({ set: key.split(',').map(Number), ...v }));
  let chosen: { parts: typeof candidates; score: number } | null = null;
  let budget = 20_000;
  const search = (covered: Set<number>, parts: typeof candidates) => {
    if (--budget < 0) return;
    const next = members.find((m) => !covered.has(m));
    if (next === undefined) {
      if (parts.length < 2 || parts.length > 6) return;
      const sizes = parts.map((p) => p.set.length);
      const balance = Math.min(...sizes) / Math.max(...sizes);
      const pos = parts.reduce((a, p) => a + p.pos, 0) / parts.length;
      const score = balance * 10 - pos - Math.abs(parts.length - 3) + parts.reduce((a, p) => a + p.label.length, 0) / parts.length / 4;
      if (!chosen || score > chosen.score) chosen = { parts: [...parts], score };
      return;
    }
    for (const c of candidates) {
      if (!c.set.includes(next) || c.set.some((x) => covered.has(x))) continue;
      for (const x of c.set) covered.add(x);
      parts.push(c);
      search(covered, parts);
      parts.pop();
      for (const x of c.set) covered.delete(x);
    }
  };
  search(new Set(), []);
  if (!chosen) return null;
  return (chosen as { parts: typeof candidates }).parts.map((p) => {
    const label = p.label.replace(/(申领|申请|申|办理|的|持)$/, '').replace(/^(领|请)/, '') || p.label;
    return { label, members: p.set };
  });
}

/**
 * The situation questionnaire of every item with sub-cases. When case names combine
 * circumstances (who applies × what for), the cases are split by one circumstance per
 * screen: 申请人属于哪一类？ then 具体要办理哪一种？; otherwise one question lists the
 * cases by what tells them apart (二级注册建造师增项注册 … → the differing part only).
 */
export function buildQuestionnaires(catalogue: Catalogue): Questionnaire[] {
  const out: Questionnaire[] = [];
  for (const item of catalogue.items) {
    if (item.cases.length < 2) continue;
    const names = item.cases.map((c) => c.name);
    const questions: Q[] = [];
    // `context` holds the phrases already asked about, removed before the remaining differences are named.
    const build = (members: number[], depth: number, context: string[]): string => {
      const id = `q${questions.length + 1}`;
      const question: Q = { id, text: '', options: [] };
      questions.push(question);
      const leafLabels = (ms: number[], ctx: string[]) => differences(ms.map((m) => ctx.reduce((n, c) => n.replace(c, ''), names[m]) || names[m]));
      let split = depth < 3 ? findSplit(names, members) : null;
      if (split) {
        // Only a real cross product earns a second screen: some remaining difference must recur in two groups.
        const sets = split.map((g) => new Set(leafLabels(g.members, [...context, g.label])));
        const recurs = sets.some((a, i) => sets.some((b, j) => j > i && [...a].some((x) => b.has(x))));
        if (!recurs) split = null;
      }
      if (split) {
        Object.assign(question, questionText(split.map((s) => s.label), item.name, depth));
        question.options = split.map((s) => ({ label: s.label, next: build(s.members, depth + 1, [...context, s.label]) }));
      } else {
        const labels = leafLabels(members, context);
        Object.assign(question, questionText(labels, item.name, depth));
        question.options = members.map((m, i) => ({ label: labels[i], case: item.cases[m].code }));
      }
      return id;
    };
    const start = build(item.cases.map((_, i) => i), 0, []);
    out.push({ item: item.code, start, questions });
  }
  return out;
}
