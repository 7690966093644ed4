/**
 * What a soak run leaves behind: its summary as JSON, the picture as SVG and as PNG (the
 * SVG rendered by Debian's Chromium, so the PNG is exactly what a browser shows), the
 * figures as a block of docs/benchmarks.md and the picture linked from README.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { percentile, writeSection } from '../../bench/report.ts';
import { launchRenderer } from '../../bench/ocr/docset.ts';
import { SoakSummary } from './contract.ts';
import { faultRows, faultVerdict, groupDigits, noticedInTime, NOTICE_LIMIT_S, soakPicture } from './report-svg.ts';
import { slope } from './measure.ts';

export const README_FILE = resolve(import.meta.dirname, '../../README.md');
/** The block name of the soak run in docs/benchmarks.md and in README.md. */
export const SOAK_SECTION = 'soak';

export interface SoakReportFiles {
  json: string;
  svg: string;
  png: string;
}

/**
 * Writes summary.json, soak.svg and soak.png into outDir. The summary is checked against
 * the contract first, so a malformed one is refused before anything is written.
 */
export async function writeSoakReport(summary: SoakSummary, outDir: string, jsonName = 'summary.json'): Promise<SoakReportFiles> {
  const checked = SoakSummary.safeParse(summary);
  if (!checked.success) throw new Error(`soak report: the summary does not match the contract: ${checked.error.message}`);
  const picture = soakPicture(checked.data);
  mkdirSync(outDir, { recursive: true });
  const files = { json: join(outDir, jsonName), svg: join(outDir, 'soak.svg'), png: join(outDir, 'soak.png') };
  writeFileSync(files.json, `${JSON.stringify(checked.data, null, 1)}\n`);
  writeFileSync(files.svg, picture.svg);
  await renderPng(files.svg, files.png, picture.width, picture.height);
  return files;
}

/** Opens the SVG file itself (not inlined in HTML), so an SVG a browser would refuse fails here. */
async function renderPng(svgFile: string, pngFile: string, width: number, height: number): Promise<void> {
  const browser = await launchRenderer();
  try {
    const page = await browser.newPage({ deviceScaleFactor: 1, viewport: { width, height } });
    await page.goto(pathToFileURL(svgFile).href, { waitUntil: 'load' });
    const error = await page.evaluate(() => document.querySelector('parsererror')?.textContent ?? (document.documentElement.localName === 'svg' ? null : 'not an SVG document'));
    if (error) throw new Error(`soak report: Chromium could not read ${svgFile}: ${error}`);
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    await page.screenshot({ path: pngFile, type: 'png', clip: { x: 0, y: 0, width, height } });
  } finally {
    await browser.close();
  }
}

/** A markdown table cell: pipes and line breaks would end the cell or the row. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function secs(values: number[]): string {
  return values.length ? `${percentile(values, 50).toFixed(1)} / ${Math.max(...values).toFixed(1)}` : '—';
}

/** Database and WAL files: their size after the first day and at the end, and the growth per day between (data kept grows with the hall's work; a WAL should not). */
function databaseRows(s: SoakSummary): string[] {
  const names = [...new Set(s.samples.flatMap((x) => Object.keys(x.dbMb)))].sort();
  const after = s.samples.filter((x) => x.day >= Math.min(1, s.days / 2));
  const rows = names.flatMap((name) => {
    const points = after.filter((x) => x.dbMb[name] !== undefined).map((x) => ({ x: x.day, y: x.dbMb[name] }));
    if (points.length < 2 || points.every((p) => p.y === 0)) return [];
    return [`| ${cell(name)} | ${points[0].y.toFixed(2)} | ${points[points.length - 1].y.toFixed(2)} | ${slope(points).toFixed(2)} |`];
  });
  return rows.length ? ['| database file | MB after day 1 | MB at the end | growth (MB / simulated day) |', '|---|---:|---:|---:|', ...rows, ''] : [];
}

/** docs/benchmarks.md's soak block: the command, the invariants, the figures, each fault class and each process. */
export function soakMarkdown(summary: SoakSummary, command: string): string {
  const s = summary;
  const failed = s.invariants.filter((i) => !i.held).length;
  const lines = [
    '## Soak run: the whole hall, a month of days and faults',
    '',
    `Command: \`${command}\` (seed ${s.seed}, ${s.days} simulated days from ${s.firstDay}, ${(s.wallSeconds / 60).toFixed(1)} min wall). Picture: [soak.svg](soak.svg).`,
    '',
    `**${failed === 0 ? 'Every invariant held.' : `${failed} of ${s.invariants.length} invariants failed.`}**`,
    '',
    '| invariant | held | measured |',
    '|---|:-:|---|',
    ...s.invariants.map((i) => `| ${cell(i.name)} | ${i.held ? 'yes' : '**no**'} | ${cell(i.detail)} |`),
    '',
    '| figure | value |',
    '|---|---:|',
    `| simulated days | ${s.days} |`,
    `| visitors | ${groupDigits(s.visitors)} |`,
    `| transactions made / at the platform | ${groupDigits(s.transactions.made)} / ${groupDigits(s.transactions.atPlatform)} |`,
    `| transactions lost / doubled | ${s.transactions.lost} / ${s.transactions.doubled} |`,
    `| tickets issued / numbers reused | ${groupDigits(s.tickets.issued)} / ${s.tickets.reused} |`,
    `| faults injected (classes) | ${groupDigits(s.faults.length)} (${faultRows(s.faults).length}) |`,
    `| faults recovered beyond their limit / never | ${s.faults.filter((f) => faultVerdict(f) === 'over-limit').length} / ${s.faults.filter((f) => faultVerdict(f) === 'never').length} |`,
    `| faults noticed or shown later than ${NOTICE_LIMIT_S} s | ${s.faults.filter((f) => !noticedInTime(f)).length} |`,
    '',
    '| fault class | shown on | count | noticed p50 / max (s) | shown p50 / max (s) | recovered p50 / max (s) | limit (s) | beyond limit | never recovered |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
    ...faultRows(s.faults).map((row) => {
      const known = (pick: (f: (typeof row.faults)[number]) => number | null) => row.faults.map(pick).filter((v): v is number => v !== null);
      const limits = [...new Set(row.faults.map((f) => f.limitS))].sort((a, b) => a - b).join(' / ');
      const over = row.faults.filter((f) => faultVerdict(f) === 'over-limit').length;
      const never = row.faults.filter((f) => faultVerdict(f) === 'never').length;
      return `| ${cell(row.name)} | ${cell(row.targets.join(', '))} | ${row.faults.length} | ${secs(known((f) => f.noticedS))} | ${secs(known((f) => f.shownS))} | ${secs(known((f) => f.recoveredS))} | ${limits} | ${over} | ${never} |`;
    }),
    '',
    '| process | RSS growth (MB / simulated day) | descriptor growth (per simulated day) |',
    '|---|---:|---:|',
    ...Object.entries(s.growthPerDay)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, g]) => `| ${cell(name)} | ${g.rssMb.toFixed(2)} | ${g.fds.toFixed(1)} |`),
    '',
    ...databaseRows(s),
    'Times are wall seconds from the injection (the hall runs on a sped-up clock); growth is measured after the first simulated day, over each life of a process after its own first day.',
  ];
  return lines.join('\n');
}

/** README.md's section: the picture and where its figures are. */
export function soakReadmeMarkdown(summary: SoakSummary, command: string): string {
  const failed = summary.invariants.filter((i) => !i.held).length;
  return [
    '## Soak run',
    '',
    `\`${command}\` runs the whole hall for ${summary.days} simulated days from ${summary.firstDay} with faults injected on a seeded schedule` +
      ` (${groupDigits(summary.visitors)} visitors, ${groupDigits(summary.faults.length)} faults; ${failed === 0 ? 'every invariant held' : `${failed} invariants failed`}).` +
      ' The figures are in [docs/benchmarks.md](docs/benchmarks.md).',
    '',
    '![Soak run: faults, time to recover, memory and outbox depth over the simulated days](docs/soak.svg)',
  ].join('\n');
}

/** Puts (or replaces) the soak section of README.md; run again, it replaces its own block only. */
export function writeReadmeSoakSection(summary: SoakSummary, command: string, file = README_FILE): string {
  return writeSection(SOAK_SECTION, soakReadmeMarkdown(summary, command), file);
}

/** Puts (or replaces) the soak block of docs/benchmarks.md. */
export function writeBenchmarksSoakSection(summary: SoakSummary, command: string, file?: string): string {
  return writeSection(SOAK_SECTION, soakMarkdown(summary, command), file);
}
