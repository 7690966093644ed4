/**
 * Which organisation a question names. Many catalogue items exist once per organisation
 * (律师事务所设立许可 at the province's 司法厅 and at the city's 司法局; 科技成果查询 at
 * one research institute and another), and the lexical match cannot tell them apart,
 * since their names are the same or differ only in the organisation. A question names an
 * organisation by a piece of its name (水稻研究所, 中山检测院, 作家协会) or by its level
 * (省里的, 广州市的); a piece shared by many organisations' names (研究, 广东) counts little.
 */

export type Level = 'province' | 'city';

const PROVINCE_SAID = /广东省|全省|省(?:里|级|厅|局|委|政府|的|公安|司法|农科)|^省/;
const CITY_SAID = /广州市|全市|市(?:里|级|局|委|政府|的|公安|司法)|^市/;

function levelSaid(question: string): Level | null {
  const province = PROVINCE_SAID.test(question);
  const city = CITY_SAID.test(question);
  return province === city ? null : province ? 'province' : 'city';
}

export function levelOf(department: string): Level | null {
  if (/^(?:广东省|省)/.test(department)) return 'province';
  if (/^(?:广州市|市)/.test(department)) return 'city';
  return null;
}

function pairs(text: string): Set<string> {
  const chars = [...text.replace(/[^\u3400-\u9fff]/g, '')];
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i] + chars[i + 1]);
  return out;
}

export class Organisations {
  /** How many organisations' names use each character pair. */
  private readonly spread = new Map<string, number>();

  constructor(departments: Iterable<string>) {
    for (const d of new Set(departments)) for (const p of pairs(d)) this.spread.set(p, (this.spread.get(p) ?? 0) + 1);
  }

  /** How strongly the question names this organisation: its rarer name pieces said, and its level. */
  named(question: string, department: string): number {
    const said = pairs(question);
    let w = 0;
    for (const p of pairs(department)) if (said.has(p)) w += 1 / (this.spread.get(p) ?? 1);
    const level = levelSaid(question);
    if (level && levelOf(department) === level) w += 1;
    return w;
  }

  /** The one organisation of several the question names clearly more than the others; -1 when none stands out. */
  pick(question: string, departments: string[], lead: number): number {
    const w = departments.map((d) => this.named(question, d));
    const [best, second = 0] = [...w].sort((a, b) => b - a);
    return best > 0 && best - second >= lead ? w.indexOf(best) : -1;
  }
}
