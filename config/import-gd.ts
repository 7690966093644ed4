/**
 * Converter from the Guangdong portal's export (one JSON object per line) to the
 * hall's catalogue format. Records that are one circumstance (情形) of a larger
 * service become sub-cases of one parent item, so a citizen sees
 * "实验动物生产许可" once and picks 新申请 / 变更 / 延续 / 注销 inside it.
 */
import { Catalogue, type Material, type ServiceCase, type ServiceItem, type TimeLimit } from './schema.ts';

export interface ImportProblem {
  line: number;
  message: string;
}

export interface ImportResult {
  catalogue: Catalogue;
  problems: ImportProblem[];
  records: number;
}

const ABSENT = new Set(['', '无', 'null', 'NULL', '/', '-', '暂无', 'undefined']);

/** The portal writes "no value" as null, 无, empty strings and empty lists alike. */
export function present(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  const s = String(value).trim();
  return ABSENT.has(s) ? undefined : s;
}

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(present).filter((v): v is string => v !== undefined);
  const s = present(value);
  if (!s) return [];
  return s.split(/[;；\n]/).map((v) => v.trim()).filter((v) => v && !ABSENT.has(v));
}

export function parseTimeLimit(value: unknown): TimeLimit | null {
  const s = present(value);
  if (!s) return null;
  if (/即办/.test(s)) return { value: 0, unit: '即办', text: s };
  const m = /^(\d+(?:\.\d+)?)\s*[(（]?\s*(工作日|自然日|小时|天|日)?\s*[)）]?$/.exec(s);
  if (!m) return null;
  const unit = m[2] === '自然日' || m[2] === '天' || m[2] === '日' ? '自然日' : m[2] === '小时' ? '小时' : '工作日';
  return { value: Number(m[1]), unit, text: s };
}

function yes(value: unknown): boolean {
  return present(value) === '是';
}

function int(value: unknown): number | null {
  const s = present(value);
  if (!s || !/^\d+$/.test(s)) return null;
  return Number(s);
}

/** "办理地点：广州市…" → "广州市…"; "办理地点：无" says nothing, like a bare 无. */
function location(value: unknown): string | undefined {
  return present(present(value)?.replace(/^办理地点[:：]\s*/, ''));
}

const TRAILING_BRACKET = /^(.*\S)\s*[(（]([^()（）]+)[)）]\s*$/;

/**
 * Parent name and sub-case name of one record. subTaskName says it outright; otherwise a
 * trailing bracket is a sub-case only when the record's matter name is the name without
 * it: "高等职业学校（专科层次）…" keeps its bracket as part of the official name.
 */
export function splitCase(taskName: string, matterName?: string, subTaskName?: string): { parent: string; sub?: string } {
  const name = taskName.trim();
  const m = TRAILING_BRACKET.exec(name);
  if (subTaskName) {
    const parent = matterName && matterName !== name ? matterName : m ? m[1] : name;
    return { parent, sub: subTaskName };
  }
  if (m && matterName && matterName !== name && m[1] === matterName) return { parent: matterName, sub: m[2] };
  return { parent: name };
}

function materials(value: unknown): Material[] {
  const seen = new Set<string>();
  const out: Material[] = [];
  for (const name of list(value)) {
    if (seen.has(name)) continue;
    seen.add(name);
    out.push({ name, required: true });
  }
  return out;
}

interface Row {
  line: number;
  code: string;
  fullName: string;
  parent: string;
  sub?: string;
  record: Record<string, unknown>;
}

function rowOf(record: Record<string, unknown>, line: number): Row {
  const code = present(record.TASK_CODE);
  const fullName = present(record.TASK_NAME);
  if (!code) throw new Error('missing TASK_CODE');
  if (!fullName) throw new Error('missing TASK_NAME');
  if (!present(record.DEPT_NAME)) throw new Error('missing DEPT_NAME');
  const { parent, sub } = splitCase(fullName, present(record.matter_name), present(record.subTaskName));
  return { line, code, fullName, parent, sub, record };
}

function caseOf(row: Row): ServiceCase {
  const r = row.record;
  return {
    code: row.code,
    name: row.sub ?? row.fullName,
    fullName: row.fullName,
    conditions: present(r.accept_standard) ?? '',
    materials: materials(r.material_intro),
    legalLimit: parseTimeLimit(r.handle_time),
    promisedLimit: parseTimeLimit(r.handle_time_limit),
    visits: int(r.visit_number),
  };
}

function itemOf(rows: Row[], code: string): ServiceItem {
  const first = rows[0].record;
  const cases = rows.filter((r) => r.sub).map(caseOf);
  const base = caseOf(rows[0]);
  // What every circumstance needs is shown at item level; the rest only once a case is chosen.
  const common = cases.length
    ? cases.map((c) => new Set(c.materials.map((m) => m.name))).reduce((a, b) => new Set([...a].filter((x) => b.has(x))))
    : null;
  // The most visits any case needs; unknown stays unknown rather than becoming 零跑动.
  const known = cases.map((c) => c.visits).filter((v): v is number => v !== null);
  const visits = cases.length ? (known.length ? Math.max(...known) : null) : base.visits;
  return {
    code,
    name: rows[0].parent,
    department: present(first.DEPT_NAME)!,
    type: present(first.TASK_TYPE_TEXT) ?? present(first.matter_type) ?? '公共服务',
    level: present(first.matter_level),
    themes: list(first.theme_category).filter((t) => t !== '其他'),
    audiences: list(first.service_object_name),
    conditions: cases.length ? cases.every((c) => c.conditions === cases[0].conditions) ? cases[0].conditions : '' : base.conditions,
    materials: common ? base.materials.filter((m) => common.has(m.name)) : base.materials,
    legalLimit: base.legalLimit,
    promisedLimit: base.promisedLimit,
    visits,
    onlineBooking: yes(first.online_book),
    courier: yes(first.courier_service),
    consultPhone: present(first.consult_phone),
    complainPhone: present(first.complain_phone),
    location: location(first.handle_location),
    url: present(first.URL),
    cases,
    aliases: [],
    source: 'gd-portal',
  };
}

/** Convert the text of a .jsonl export. Malformed lines are reported and skipped. */
export function convertSeed(textOfFile: string, source = 'gd-service-items.jsonl', notice?: string): ImportResult {
  const problems: ImportProblem[] = [];
  const groups = new Map<string, Row[]>();
  const codes = new Set<string>();
  let records = 0;
  const lines = (textOfFile.charCodeAt(0) === 0xfeff ? textOfFile.slice(1) : textOfFile).split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (!raw.trim()) return;
    let record: unknown;
    try {
      record = JSON.parse(raw);
    } catch (err) {
      problems.push({ line, message: `not valid JSON (${(err as Error).message})` });
      return;
    }
    if (!record || typeof record !== 'object' || Array.isArray(record)) {
      problems.push({ line, message: 'not a JSON object' });
      return;
    }
    let row: Row;
    try {
      row = rowOf(record as Record<string, unknown>, line);
    } catch (err) {
      problems.push({ line, message: (err as Error).message });
      return;
    }
    if (codes.has(row.code)) {
      problems.push({ line, message: `duplicate TASK_CODE ${row.code}` });
      return;
    }
    codes.add(row.code);
    records++;
    const key = `${present(row.record.DEPT_NAME)}|${row.parent}`;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  });

  const items: ServiceItem[] = [];
  const used = new Set<string>();
  for (const rows of groups.values()) {
    const withCases = rows.filter((r) => r.sub);
    if (withCases.length === 0) {
      // Same parent name without sub-cases: distinct items that merely share a name.
      for (const r of rows) {
        items.push(itemOf([r], r.code));
        used.add(r.code);
      }
      continue;
    }
    for (const r of rows.filter((x) => !x.sub)) {
      items.push(itemOf([r], r.code));
      used.add(r.code);
    }
    // A parent's code is derived from its catalogue id so it stays stable across imports.
    const cataId = present(withCases[0].record.CATAID) ?? withCases[0].code;
    let code = `G-${present(withCases[0].record.ORGCODE) ?? 'X'}-${cataId}`;
    for (let n = 2; used.has(code); n++) code = `G-${present(withCases[0].record.ORGCODE) ?? 'X'}-${cataId}-${n}`;
    used.add(code);
    items.push(itemOf(withCases, code));
  }
  items.sort((a, b) => a.code.localeCompare(b.code));
  const catalogue = Catalogue.parse({ version: 1, source, notice, items });
  return { catalogue, problems, records };
}
