import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchRenderer } from '../../../bench/ocr/docset.ts';
import type { SoakFault, SoakSummary } from '../../../cli/soak/contract.ts';
import { soakMarkdown, writeReadmeSoakSection } from '../../../cli/soak/report.ts';
import { soakPicture, soakSvg } from '../../../cli/soak/report-svg.ts';
import { SAMPLE_CLASSES, sampleSoakSummary } from '../../helpers/soak-summary.ts';

interface ParsedSvg {
  parseError: string | null;
  root: string;
  xmlns: string | null;
  viewBox: string | null;
  headline: string;
  faults: { name: string; verdict: string; bar: string; mark: string; title: string }[];
  rows: string[];
  restDays: string[];
  dateLabels: { text: string; x: number }[];
  series: string[];
  allText: string;
}

// The XML parser is Chromium's (no XML parser is among this project's dependencies): the
// SVG text goes through DOMParser as image/svg+xml, which reports any malformed markup.
let browser: Browser;
beforeAll(async () => {
  browser = await launchRenderer();
});
afterAll(async () => {
  await browser?.close();
});

async function parse(svg: string): Promise<ParsedSvg> {
  const page = await browser.newPage();
  try {
    return await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      const root = doc.documentElement;
      const all = (sel: string) => [...doc.querySelectorAll(sel)];
      return {
        parseError: doc.querySelector('parsererror')?.textContent ?? null,
        root: root.localName,
        xmlns: root.getAttribute('xmlns'),
        viewBox: root.getAttribute('viewBox'),
        headline: doc.getElementById('headline')?.textContent ?? '',
        faults: all('g.fault').map((g) => ({
          name: g.getAttribute('data-fault') ?? '',
          verdict: g.getAttribute('data-verdict') ?? '',
          bar: g.querySelector('.ttr-bar')?.getAttribute('fill') ?? '',
          mark: g.querySelector('.fault-mark')?.getAttribute('fill') ?? '',
          title: g.querySelector('title')?.textContent ?? '',
        })),
        rows: all('g.fault-row').map((g) => g.getAttribute('data-fault-class') ?? ''),
        restDays: all('rect.rest-day').map((el) => el.getAttribute('data-date') ?? ''),
        dateLabels: all('.date-label').map((el) => ({ text: el.textContent ?? '', x: Number(el.getAttribute('x')) })),
        series: all('path.series').map((el) => el.getAttribute('data-series') ?? ''),
        allText: root.textContent ?? '',
      };
    }, svg);
  } finally {
    await page.close();
  }
}

function withFaults(summary: SoakSummary, faults: SoakFault[]): SoakSummary {
  return { ...summary, faults };
}

describe('soakSvg', () => {
  it('draws a mark per fault, a red bar for the one beyond its limit and a hatched one for the one never recovered', async () => {
    const { summary, overLimit, never, late } = sampleSoakSummary({ days: 3 });
    const svg = await parse(soakSvg(summary));
    expect(svg.parseError).toBeNull();
    expect(svg.root).toBe('svg');
    expect(svg.xmlns).toBe('http://www.w3.org/2000/svg');
    expect(svg.viewBox).toMatch(/^0 0 1600 \d+$/);

    expect(svg.faults).toHaveLength(summary.faults.length);
    expect(svg.rows.sort()).toEqual(SAMPLE_CLASSES.map((c) => c.name).sort());
    for (const c of SAMPLE_CLASSES) {
      expect(svg.faults.filter((f) => f.name === c.name)).toHaveLength(summary.faults.filter((f) => f.name === c.name).length);
    }
    // Marks are drawn in summary order within each row; find each fault by its tooltip.
    const drawn = (i: number) => svg.faults.find((f) => f.title.includes(summary.faults[i].simAt) && f.name === summary.faults[i].name)!;
    expect(drawn(overLimit)).toMatchObject({ verdict: 'over-limit', bar: '#c62828' });
    expect(drawn(never)).toMatchObject({ verdict: 'never', bar: 'url(#never)' });
    expect(drawn(late).mark).toBe('#e08a00');
    expect(svg.faults.filter((f) => f.bar === '#c62828')).toHaveLength(1);
    expect(svg.faults.filter((f) => f.verdict === 'ok' && f.bar === '#3a6ea5')).toHaveLength(summary.faults.length - 2);
    expect(svg.series.sort()).toEqual(['kiosk-1', 'kiosk-1', 'platform', 'teller-1', 'teller-1']);
  });

  it('draws the platform’s own fault, which the console cannot show, as on time when the terminals noticed it in time', async () => {
    const { summary } = sampleSoakSummary({ days: 1 });
    const i = summary.faults.findIndex((f) => f.target === 'central');
    const faults = summary.faults.map((f, j) => (j === i ? { ...f, shownS: null } : f));
    const svg = await parse(soakSvg({ ...summary, faults }));
    const mark = svg.faults.find((f) => f.title.includes(faults[i].simAt) && f.name === faults[i].name)!.mark;
    expect(mark).not.toBe('#e08a00');
    const late = await parse(soakSvg({ ...summary, faults: faults.map((f, j) => (j === i ? { ...f, noticedS: 45 } : f)) }));
    expect(late.faults.find((f) => f.title.includes(faults[i].simAt) && f.name === faults[i].name)!.mark).toBe('#e08a00');
  });

  it('puts the days, visitors, faults, lost and doubled transactions and the verdict in the headline', async () => {
    const { summary } = sampleSoakSummary({ days: 3 });
    const failing = await parse(soakSvg({ ...summary, transactions: { ...summary.transactions, lost: 2, doubled: 1 } }));
    expect(failing.headline).toContain('3 天');
    expect(failing.headline).toContain('访客 6,039 人');
    expect(failing.headline).toContain(`故障 ${summary.faults.length} 次`);
    expect(failing.headline).toContain('丢失 2 / 重复 1 笔交易');
    expect(failing.headline).toContain('1 项未通过');
    expect(failing.headline).toContain('1 invariant failed');
    expect(failing.headline).toContain('recovered-within-limit');

    const passing = await parse(soakSvg({ ...summary, invariants: summary.invariants.map((i) => ({ ...i, held: true })) }));
    expect(passing.headline).toContain('全部通过');
    expect(passing.headline).toContain('every invariant held');
    expect(passing.headline).not.toContain('未通过');
  });

  it('escapes text from the summary', async () => {
    const { summary } = sampleSoakSummary({ days: 1 });
    const odd = `x<y & "z" 'w'`;
    const faults = summary.faults.map((f, i) => (i === 0 ? { ...f, name: odd, target: '<kiosk>' } : f));
    const text = soakSvg({
      ...withFaults(summary, faults),
      invariants: [{ name: 'a&b', held: false, detail: '<script>alert(1)</script>' }],
      samples: summary.samples.map((s) => ({ ...s, rssMb: { ...s.rssMb, '<proc>': 10 } })),
    });
    expect(text).not.toContain('<script>');
    expect(text).not.toContain('<kiosk>');
    const svg = await parse(text);
    expect(svg.parseError).toBeNull();
    expect(svg.rows).toContain(odd);
    expect(svg.faults.some((f) => f.name === odd)).toBe(true);
    expect(svg.allText).toContain('<kiosk>');
    expect(svg.headline).toContain('a&b (<script>alert(1)</script>)');
    expect(svg.series).toContain('<proc>');
  });

  it('shades weekends and holidays from the national calendar', async () => {
    // 2026-09-21 is a Monday; 中秋 (25–27 Sep) and 国庆节 (1–7 Oct) follow, and Saturday 10 Oct is worked in lieu.
    const { summary } = sampleSoakSummary({ days: 21, firstDay: '2026-09-21' });
    const svg = await parse(soakSvg(summary));
    expect(svg.restDays).toEqual(['2026-09-25', '2026-09-26', '2026-09-27', '2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07', '2026-10-11']);
    expect(svg.allText).toContain('国庆节');
  });

  it('stays readable for a month of thirteen fault classes and for a single day', async () => {
    const { summary } = sampleSoakSummary({ days: 30 });
    const classes = Array.from({ length: 13 }, (_, i) => `class-${String(i).padStart(2, '0')}`);
    const faults = summary.faults.flatMap((f, i) => classes.slice(0, 4).map((name, k) => ({ ...f, name: classes[(i + k * 4) % 13] })));
    const month = soakPicture(withFaults(summary, faults));
    const svg = await parse(month.svg);
    expect(svg.parseError).toBeNull();
    expect(svg.rows).toHaveLength(13);
    expect(svg.faults).toHaveLength(faults.length);
    expect(month.height).toBeLessThan(1200);
    // Date labels far enough apart not to overlap ("MM-DD" at 11 px is about 35 px wide).
    const top = svg.dateLabels.slice(0, svg.dateLabels.length / 2);
    expect(top[0].text).toBe('11-02');
    for (let i = 1; i < top.length; i++) expect(top[i].x - top[i - 1].x).toBeGreaterThanOrEqual(40);

    const { summary: oneDay } = sampleSoakSummary({ days: 1 });
    const day = await parse(soakSvg(oneDay));
    expect(day.parseError).toBeNull();
    expect(day.dateLabels[0].text).toBe('2026-11-02');
    expect(day.allText).toContain('12:00');
    expect(day.faults).toHaveLength(oneDay.faults.length);
  });

  it('refuses a run of no days', () => {
    const { summary } = sampleSoakSummary({ days: 1 });
    expect(() => soakSvg({ ...summary, days: 0 })).toThrow(/days must be above 0/);
    expect(() => soakSvg(withFaults(summary, [{ ...summary.faults[0], simAt: 'yesterday-ish' }]))).toThrow(/not a date/);
  });
});

describe('soakMarkdown', () => {
  it('tables the invariants, the figures and each fault class, with the command', () => {
    const { summary } = sampleSoakSummary({ days: 3 });
    const md = soakMarkdown({ ...summary, invariants: [...summary.invariants, { name: 'logs | rotated', held: true, detail: '3 files\nrotated' }] }, 'npm run bench:soak -- --days 3');
    expect(md).toContain('Command: `npm run bench:soak -- --days 3` (seed 7, 3 simulated days from 2026-11-02');
    expect(md).toContain('**1 of 4 invariants failed.**');
    expect(md).toContain('| no-transaction-lost | yes | 0 lost of 4500 |');
    expect(md).toContain('| recovered-within-limit | **no** | 1 over limit, 1 never recovered |');
    expect(md).toContain('| logs \\| rotated | yes | 3 files rotated |');
    expect(md).toContain('| visitors | 6,039 |');
    expect(md).toContain('| transactions lost / doubled | 0 / 0 |');
    expect(md).toContain(`| faults injected (classes) | ${summary.faults.length} (4) |`);
    expect(md).toContain('| faults recovered beyond their limit / never | 1 / 1 |');
    const classRows = md.split('\n').filter((l) => SAMPLE_CLASSES.some((c) => l.startsWith(`| ${c.name} |`)));
    expect(classRows).toHaveLength(4);
    expect(classRows.find((l) => l.startsWith('| printer-paper |'))).toMatch(/^\| printer-paper \| kiosk-1 \| 6 \| .* \/ 120\.0 \| 60 \| 1 \| 0 \|$/);
    expect(classRows.find((l) => l.startsWith('| platform-kill |'))).toMatch(/\| 120 \| 0 \| 1 \|$/);
    expect(md).toContain('| teller-1 | -0.05 | 0.0 |');
  });
});

describe('README soak section', () => {
  it('links the picture and replaces only its own block when written again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'soak-readme-'));
    try {
      const readme = join(dir, 'README.md');
      writeFileSync(readme, '# 小今\n\nIntro.\n\n## Privacy\n\nNothing personal.\n');
      const { summary } = sampleSoakSummary({ days: 3 });
      writeReadmeSoakSection(summary, 'npm run bench:soak', readme);
      const first = readFileSync(readme, 'utf8');
      expect(first).toContain('![Soak run');
      expect(first).toContain('(docs/soak.svg)');
      expect(first).toContain('6,039 visitors');
      writeReadmeSoakSection({ ...summary, visitors: 99 }, 'npm run bench:soak', readme);
      const second = readFileSync(readme, 'utf8');
      expect(second.startsWith('# 小今\n\nIntro.\n\n## Privacy\n\nNothing personal.\n')).toBe(true);
      expect(second.match(/## Soak run/g)).toHaveLength(1);
      expect(second).toContain('99 visitors');
      expect(second).not.toContain('6,039 visitors');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
