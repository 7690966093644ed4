/**
 * Default kiosk menus and questionnaires derived from a catalogue. Halls edit the
 * result in the staff console; these builders only give a new hall a sensible start.
 */
import type { Catalogue, Menus, MenuEntry, Questionnaire, ServiceItem, ThemeCorrection } from './schema.ts';
import { buildThemes } from './themes.ts';
import { eligibilityProblems } from './eligibility.ts';

/** The hall's own items first, then the shortest (most general) names. */
function order(a: ServiceItem, b: ServiceItem): number {
  if (a.source !== b.source) return a.source === 'hall' ? -1 : 1;
  return a.name.length - b.name.length || a.code.localeCompare(b.code);
}

/** Staff's hot list and theme corrections survive a rebuild (`xiaojin catalogue import`); the rest is derived. */
export function buildMenus(catalogue: Catalogue, hot: string[] = [], corrections: ThemeCorrection[] = []): Menus {
  const items = [...catalogue.items].sort(order);
  const themes = buildThemes(items, corrections);

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
  return { hot: hotList, themes, departments, corrections };
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
 * The hall's eligibility rules (written by staff, not generated) are kept from `previous`
 * where they still fit the rebuilt questions and cases; the ones that do not are returned
 * in `dropped`, so a re-import says what it lost instead of leaving a folder that will not load.
 */
export function buildQuestionnaires(catalogue: Catalogue, previous: Questionnaire[] = [], dropped: string[] = []): Questionnaire[] {
  const kept = new Map(previous.flatMap((q) => (q.eligibility ? [[q.item, q.eligibility] as const] : [])));
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
    const eligibility = kept.get(item.code);
    const fits = eligibility && eligibilityProblems(eligibility, questions, new Set(item.cases.map((c) => c.code))).length === 0;
    if (eligibility && !fits) dropped.push(item.code);
    out.push({ item: item.code, start, questions, ...(fits ? { eligibility } : {}) });
  }
  return out;
}
