/**
 * The soak run as one picture a hall manager reads at a glance: the headline (days,
 * visitors, faults, lost or doubled transactions, whether everything held), then the
 * month as a timeline — one row per fault class, each fault a mark at its simulated time
 * and its time to recover a bar measured against the class's limit — and below it each
 * process's memory and each terminal's outbox depth. Pure: the summary in, SVG text out.
 *
 * Day numbers count from firstDay 00:00 hall time, the same origin as the samples' `day`.
 */
import { nationalRestDay } from '../../common/hall-calendar.ts';
import { addDays, hallInstant } from '../../protocol/clock.ts';
import type { SoakFault, SoakSample, SoakSummary } from './contract.ts';
import { consoleCanShow, NOTICE_LIMIT_S } from './invariants.ts';

/** The issue's bound on noticing a fault and showing it on the console, wall seconds. */
export { NOTICE_LIMIT_S };

const WIDTH = 1600;
const LEFT = 210;
const RIGHT = 250;
const PLOT_W = WIDTH - LEFT - RIGHT;
const HEADER_H = 112;
const AXIS_H = 34;
const ROW_H = 30;
/** A bar's full height stands for 1.5 × the limit, so the limit line sits at two thirds. */
const BAR_H = 22;
const BAR_SPAN = 1.5;
const MEMORY_H = 170;
const OUTBOX_H = 110;
const CHART_GAP = 44;
const LEGEND_H = 56;
const FONT = `'Noto Sans CJK SC', 'WenQuanYi Micro Hei', sans-serif`;

const INK = '#222';
const MUTED = '#666';
const OK = '#3a6ea5';
const LATE = '#e08a00';
const RED = '#c62828';
const GREEN = '#2e7d32';
const REST_FILL = '#eef0f3';
// Tableau 10: ten lines a reader still tells apart.
const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

const DAY_MS = 86_400_000;

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** 12345 → "12,345", the same on every machine whatever its locale data. */
export function groupDigits(n: number): string {
  const [whole, frac] = String(Math.abs(n)).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${n < 0 ? '-' : ''}${grouped}${frac ? `.${frac}` : ''}`;
}

function fmt(n: number, digits = 1): string {
  return groupDigits(Number(n.toFixed(digits)));
}

/** Simulated day number (from firstDay 00:00 hall time) of a fault's injection. */
export function faultDay(summary: Pick<SoakSummary, 'firstDay'>, fault: Pick<SoakFault, 'simAt'>): number {
  const at = Date.parse(fault.simAt);
  if (Number.isNaN(at)) throw new Error(`soak summary: fault time "${fault.simAt}" is not a date`);
  return (at - hallInstant(summary.firstDay)) / DAY_MS;
}

export type FaultVerdict = 'ok' | 'over-limit' | 'never';

export function faultVerdict(fault: SoakFault): FaultVerdict {
  if (fault.recoveredS === null) return 'never';
  return fault.recoveredS > fault.limitS ? 'over-limit' : 'ok';
}

/** Whether the terminal noticed the fault and the console showed it (where it can) within NOTICE_LIMIT_S. */
export function noticedInTime(fault: SoakFault): boolean {
  const noticed = fault.noticedS !== null && fault.noticedS <= NOTICE_LIMIT_S;
  return noticed && (!consoleCanShow(fault) || (fault.shownS !== null && fault.shownS <= NOTICE_LIMIT_S));
}

export interface FaultRow {
  name: string;
  targets: string[];
  faults: SoakFault[];
}

/** One row per fault class, grouped by the device that shows it so a device's faults sit together. */
export function faultRows(faults: readonly SoakFault[]): FaultRow[] {
  const rows = new Map<string, FaultRow>();
  for (const f of faults) {
    const row = rows.get(f.name) ?? { name: f.name, targets: [], faults: [] };
    if (!row.targets.includes(f.target)) row.targets.push(f.target);
    row.faults.push(f);
    rows.set(f.name, row);
  }
  return [...rows.values()].sort((a, b) => a.targets[0].localeCompare(b.targets[0]) || a.name.localeCompare(b.name));
}

/** A round number (1, 1.5, 2, 2.5 … 8 × a power of ten) at or above v: a chart's top. */
function niceCeil(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return ([1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((m) => m * p >= v) ?? 10) * p;
}

/** Label positions pushed apart so no two are closer than `gap`, kept in order. */
function spread(ys: number[], gap: number): number[] {
  const order = ys.map((y, i) => ({ y, i })).sort((a, b) => a.y - b.y);
  for (let k = 1; k < order.length; k++) order[k].y = Math.max(order[k].y, order[k - 1].y + gap);
  const out: number[] = [];
  for (const o of order) out[o.i] = o.y;
  return out;
}

interface Frame {
  days: number;
  x(day: number): number;
  pxPerDay: number;
}

function text(x: number, y: number, body: string, attrs = ''): string {
  return `<text x="${r(x)}" y="${r(y)}"${attrs ? ` ${attrs}` : ''}>${escapeXml(body)}</text>`;
}

function r(n: number): string {
  return String(Math.round(n * 10) / 10);
}

function headline(s: SoakSummary): string {
  const failed = s.invariants.filter((i) => !i.held);
  const passed = failed.length === 0;
  const n = s.faults.length;
  const never = s.faults.filter((f) => faultVerdict(f) === 'never').length;
  const over = s.faults.filter((f) => faultVerdict(f) === 'over-limit').length;
  const lastDay = addDays(s.firstDay, Math.max(0, Math.ceil(s.days) - 1));
  const { lost, doubled } = s.transactions;
  const txColour = lost + doubled > 0 ? RED : INK;
  const verdict = passed ? '全部通过' : `${failed.length} 项未通过`;
  const verdictEn = passed ? 'every invariant held' : `${failed.length} invariant${failed.length === 1 ? '' : 's'} failed`;
  const zh =
    `<text x="24" y="40" font-size="26" font-weight="bold" fill="${INK}">` +
    `${escapeXml(`${fmt(s.days, 1)} 天 · 访客 ${groupDigits(s.visitors)} 人 · 故障 ${groupDigits(n)} 次 · `)}` +
    `<tspan fill="${txColour}">${escapeXml(`丢失 ${groupDigits(lost)} / 重复 ${groupDigits(doubled)} 笔交易`)}</tspan>` +
    `${escapeXml(' · ')}<tspan fill="${passed ? GREEN : RED}">${escapeXml(verdict)}</tspan></text>`;
  const en = text(
    24,
    64,
    `${fmt(s.days, 1)} day${s.days === 1 ? '' : 's'} · ${groupDigits(s.visitors)} visitors · ${groupDigits(n)} faults · ${groupDigits(lost)} lost / ${groupDigits(doubled)} doubled transactions · ${verdictEn}`,
    `font-size="15" fill="${MUTED}"`,
  );
  const meta = [
    `${s.firstDay} – ${lastDay}`,
    `种子 seed ${s.seed}`,
    `实际用时 wall ${fmt(s.wallSeconds / 60, 1)} min`,
    `超时恢复 over limit ${over}`,
    `未恢复 never recovered ${never}`,
    `票号重复 tickets reused ${s.tickets.reused}`,
  ].join(' · ');
  const failedLine = failed.length
    ? text(24, 104, `未通过 failed: ${failed.map((f) => `${f.name} (${f.detail})`).join('; ')}`.slice(0, 220), `font-size="12" fill="${RED}"`)
    : '';
  return `<g id="headline">${zh}${en}${text(24, 86, meta, `font-size="12" fill="${MUTED}"`)}${failedLine}</g>`;
}

/** Rest days shaded and day boundaries drawn from top to bottom; holiday names above the axis. */
function calendar(s: SoakSummary, f: Frame, top: number, bottom: number): string {
  const parts: string[] = [];
  const whole = Math.ceil(f.days);
  let previousFestival: string | null = null;
  for (let d = 0; d < whole; d++) {
    const date = addDays(s.firstDay, d);
    const rest = nationalRestDay(date);
    const x0 = f.x(d);
    const x1 = f.x(Math.min(d + 1, f.days));
    if (rest) {
      parts.push(`<rect class="rest-day" data-date="${date}" x="${r(x0)}" y="${r(top)}" width="${r(x1 - x0)}" height="${r(bottom - top)}" fill="${REST_FILL}"/>`);
      // A festival's name once, on its first day, so a seven-day holiday is not seven labels.
      if (rest !== '周末' && rest !== previousFestival) parts.push(text(x0 + 2, top - 22, rest, `font-size="11" fill="${MUTED}"`));
    }
    previousFestival = rest;
    if (d > 0) parts.push(`<line x1="${r(x0)}" y1="${r(top)}" x2="${r(x0)}" y2="${r(bottom)}" stroke="#dde1e6" stroke-width="1"/>`);
  }
  return `<g id="calendar">${parts.join('')}</g>`;
}

/** Date labels under (or over) the plot: every day, or every 2nd/7th when days are narrow; hours on a short run. */
function dateAxis(s: SoakSummary, f: Frame, y: number): string {
  const parts: string[] = [];
  const step = [1, 2, 7, 14].find((k) => k * f.pxPerDay >= 46) ?? 28;
  for (let d = 0; d < Math.ceil(f.days); d += step) {
    const date = addDays(s.firstDay, d);
    const label = f.pxPerDay >= 300 ? date : date.slice(5);
    parts.push(text(f.x(d) + 3, y, label, `class="date-label" font-size="11" fill="${INK}"`));
  }
  if (f.pxPerDay >= 300) {
    // A run of a few days: the hours of each day as well, every three hours.
    for (let h = 3; h < f.days * 24; h += 3) {
      if (h % 24 === 0) continue;
      parts.push(text(f.x(h / 24) - 14, y + 14, `${String(h % 24).padStart(2, '0')}:00`, `font-size="10" fill="${MUTED}"`));
    }
  }
  return `<g class="date-axis">${parts.join('')}</g>`;
}

function faultTitle(s: SoakSummary, fault: SoakFault): string {
  const secs = (v: number | null) => (v === null ? '—' : `${fmt(v, 1)} s`);
  return `${fault.name} @ ${fault.target}, ${fault.simAt}: noticed ${secs(fault.noticedS)}, shown ${secs(fault.shownS)}, recovered ${secs(fault.recoveredS)} (limit ${fmt(fault.limitS, 0)} s), day ${fmt(faultDay(s, fault), 2)}`;
}

function faultRowSvg(s: SoakSummary, f: Frame, row: FaultRow, top: number, index: number): string {
  const base = top + ROW_H - 6;
  const limitY = base - BAR_H / BAR_SPAN;
  const barW = Math.max(2, Math.min(6, f.pxPerDay * 0.05));
  const parts: string[] = [];
  if (index % 2 === 1) parts.push(`<rect x="${LEFT}" y="${r(top)}" width="${PLOT_W}" height="${ROW_H}" fill="#000" fill-opacity="0.025"/>`);
  parts.push(`<line class="limit-line" x1="${LEFT}" y1="${r(limitY)}" x2="${LEFT + PLOT_W}" y2="${r(limitY)}" stroke="#aaa" stroke-width="0.8" stroke-dasharray="3 3"/>`);
  parts.push(`<line x1="${LEFT}" y1="${r(base)}" x2="${LEFT + PLOT_W}" y2="${r(base)}" stroke="#ccc" stroke-width="1"/>`);
  parts.push(text(LEFT - 10, top + 14, row.name, `font-size="13" fill="${INK}" text-anchor="end"`));
  parts.push(text(LEFT - 10, top + 26, row.targets.join(', '), `font-size="10" fill="${MUTED}" text-anchor="end"`));
  for (const fault of row.faults) {
    const x = Math.min(LEFT + PLOT_W, Math.max(LEFT, f.x(faultDay(s, fault))));
    const verdict = faultVerdict(fault);
    const ratio = fault.recoveredS === null ? BAR_SPAN : Math.min(BAR_SPAN, fault.recoveredS / fault.limitS);
    const h = Math.max(1, (ratio / BAR_SPAN) * BAR_H);
    const fill = verdict === 'ok' ? OK : verdict === 'over-limit' ? RED : 'url(#never)';
    const stroke = verdict === 'never' ? ` stroke="${RED}" stroke-width="1"` : '';
    const markFill = noticedInTime(fault) ? INK : LATE;
    parts.push(
      `<g class="fault" data-fault="${escapeXml(fault.name)}" data-verdict="${verdict}"><title>${escapeXml(faultTitle(s, fault))}</title>` +
        `<rect class="ttr-bar" x="${r(x - barW / 2)}" y="${r(base - h)}" width="${r(barW)}" height="${r(h)}" fill="${fill}"${stroke}/>` +
        `<circle class="fault-mark" cx="${r(x)}" cy="${r(base + 3)}" r="2.5" fill="${markFill}"/></g>`,
    );
  }
  // The row in words at its right: how often, how slow at worst, how many beyond the limit.
  const worst = row.faults.reduce<number | null>((m, x) => (x.recoveredS === null ? m : Math.max(m ?? 0, x.recoveredS)), null);
  const limits = [...new Set(row.faults.map((x) => x.limitS))].sort((a, b) => a - b);
  const over = row.faults.filter((x) => faultVerdict(x) === 'over-limit').length;
  const never = row.faults.filter((x) => faultVerdict(x) === 'never').length;
  const late = row.faults.filter((x) => !noticedInTime(x)).length;
  const rightX = LEFT + PLOT_W + 10;
  parts.push(
    text(rightX, top + 14, `${row.faults.length}× · 最长 ${worst === null ? '—' : `${fmt(worst, 1)} s`} / 限 ${limits.map((l) => fmt(l, 0)).join('/')} s`, `font-size="12" fill="${INK}"`),
  );
  const trouble = [over ? `${over} 超时` : '', never ? `${never} 未恢复` : '', late ? `${late} 发现慢` : ''].filter(Boolean).join(' · ');
  parts.push(text(rightX, top + 27, trouble || 'all within limits', `font-size="10" fill="${trouble ? RED : GREEN}"`));
  return `<g class="fault-row" data-fault-class="${escapeXml(row.name)}">${parts.join('')}</g>`;
}

type Series = (sample: SoakSample) => Record<string, number>;

/** A line per key of `series` over the samples, on its own scale, labelled at its right end. */
function lineChart(
  f: Frame,
  samples: readonly SoakSample[],
  series: Series,
  top: number,
  height: number,
  title: string,
  unit: string,
  id: string,
  note: (key: string, last: number) => string,
): string {
  const sorted = [...samples].sort((a, b) => a.day - b.day);
  const keys = [...new Set(sorted.flatMap((sm) => Object.keys(series(sm))))].sort();
  const max = niceCeil(Math.max(0, ...sorted.flatMap((sm) => Object.values(series(sm)))));
  const y = (v: number) => top + height - (v / max) * height;
  const parts: string[] = [];
  parts.push(text(LEFT - 10, top - 10, title, `font-size="13" font-weight="bold" fill="${INK}" text-anchor="end"`));
  for (const v of [0, max / 2, max]) {
    parts.push(`<line x1="${LEFT}" y1="${r(y(v))}" x2="${LEFT + PLOT_W}" y2="${r(y(v))}" stroke="#ddd" stroke-width="1"/>`);
    parts.push(text(LEFT - 6, y(v) + 4, `${fmt(v, v < 10 ? 1 : 0)} ${unit}`, `font-size="10" fill="${MUTED}" text-anchor="end"`));
  }
  const ends: { key: string; y: number; last: number; colour: string }[] = [];
  keys.forEach((key, i) => {
    const colour = PALETTE[i % PALETTE.length];
    let d = '';
    let pen = false;
    let last: number | null = null;
    for (const sm of sorted) {
      const v = series(sm)[key];
      // A process missing from a sample (restarted, not yet up) breaks its line rather than bridging the gap.
      if (v === undefined) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${r(f.x(sm.day))} ${r(y(v))}`;
      pen = true;
      last = v;
    }
    if (!d || last === null) return;
    parts.push(`<path class="series" data-series="${escapeXml(key)}" d="${d}" fill="none" stroke="${colour}" stroke-width="1.6" stroke-linejoin="round"/>`);
    ends.push({ key, y: y(last), last, colour });
  });
  const labelYs = spread(
    ends.map((e) => e.y + 4),
    12,
  );
  ends.forEach((e, i) => parts.push(text(LEFT + PLOT_W + 10, labelYs[i], `${e.key} ${note(e.key, e.last)}`, `font-size="11" fill="${e.colour}"`)));
  if (keys.length === 0) parts.push(text(LEFT + 10, top + height / 2, '无数据 no samples', `font-size="12" fill="${MUTED}"`));
  return `<g id="${id}">${parts.join('')}</g>`;
}

function legend(y: number): string {
  const items: string[] = [];
  let x = LEFT;
  const add = (swatch: string, label: string, width: number) => {
    items.push(`<g transform="translate(${r(x)} ${r(y)})">${swatch}${text(16, 4, label, `font-size="11" fill="${INK}"`)}</g>`);
    x += width;
  };
  add(`<circle cx="5" cy="0" r="3.5" fill="${INK}"/>`, `故障 fault, noticed & shown ≤ ${NOTICE_LIMIT_S} s`, 250);
  add(`<circle cx="5" cy="0" r="3.5" fill="${LATE}"/>`, `发现慢 noticed or shown late`, 190);
  add(`<rect x="2" y="-8" width="6" height="14" fill="${OK}"/>`, '恢复用时 time to recover', 170);
  add(`<rect x="2" y="-8" width="6" height="14" fill="${RED}"/>`, '超过限时 beyond its limit', 175);
  add(`<rect x="2" y="-8" width="6" height="14" fill="url(#never)" stroke="${RED}"/>`, '未恢复 never recovered', 165);
  add(`<line x1="0" y1="0" x2="12" y2="0" stroke="#aaa" stroke-dasharray="3 3"/>`, '限时 limit', 95);
  add(`<rect x="0" y="-7" width="12" height="12" fill="${REST_FILL}" stroke="#ccc"/>`, '休息日 weekend / holiday', 170);
  const note = text(LEFT, y + 22, `bars: wall seconds to recover, full height = ${BAR_SPAN} × the class's limit; x: simulated hall days`, `font-size="10" fill="${MUTED}"`);
  return `<g id="legend">${items.join('')}${note}</g>`;
}

export interface SoakPicture {
  svg: string;
  width: number;
  height: number;
}

export function soakPicture(summary: SoakSummary): SoakPicture {
  if (!(summary.days > 0)) throw new Error(`soak summary: days must be above 0 (got ${summary.days})`);
  const pxPerDay = PLOT_W / summary.days;
  const frame: Frame = { days: summary.days, pxPerDay, x: (day) => LEFT + day * pxPerDay };
  const rows = faultRows(summary.faults);
  const timelineTop = HEADER_H + AXIS_H;
  const rowsH = Math.max(1, rows.length) * ROW_H;
  const memoryTop = timelineTop + rowsH + CHART_GAP;
  const outboxTop = memoryTop + MEMORY_H + CHART_GAP;
  const bottom = outboxTop + OUTBOX_H;
  const legendTop = bottom + 40;
  const height = legendTop + LEGEND_H;

  const growth = (key: string) => summary.growthPerDay[key];
  const body = [
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    headline(summary),
    calendar(summary, frame, timelineTop - 4, bottom),
    dateAxis(summary, frame, timelineTop - 8),
    `<g id="faults">${rows.map((row, i) => faultRowSvg(summary, frame, row, timelineTop + i * ROW_H, i)).join('')}${
      rows.length === 0 ? text(LEFT + 10, timelineTop + 20, '无故障 no faults injected', `font-size="12" fill="${MUTED}"`) : ''
    }</g>`,
    lineChart(frame, summary.samples, (sm) => sm.rssMb, memoryTop, MEMORY_H, '内存 RSS', 'MB', 'memory', (key, last) => {
      const g = growth(key);
      return `${fmt(last, 0)} MB${g ? ` (${g.rssMb >= 0 ? '+' : ''}${fmt(g.rssMb, 2)} MB/天)` : ''}`;
    }),
    lineChart(frame, summary.samples, (sm) => sm.outbox, outboxTop, OUTBOX_H, '待同步 outbox', '笔', 'outbox', (_key, last) => `${fmt(last, 0)}`),
    dateAxis(summary, frame, bottom + 16),
    legend(legendTop + 8),
  ].join('\n');

  const svg = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="${FONT}">`,
    `<title>${escapeXml(`小今 soak run: ${fmt(summary.days, 1)} days from ${summary.firstDay}`)}</title>`,
    `<defs><pattern id="never" width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="4" height="4" fill="#fbe3e3"/><line x1="0" y1="0" x2="0" y2="4" stroke="${RED}" stroke-width="2"/></pattern></defs>`,
    body,
    `</svg>`,
    '',
  ].join('\n');
  return { svg, width: WIDTH, height };
}

export function soakSvg(summary: SoakSummary): string {
  return soakPicture(summary).svg;
}
