import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SoakSummary } from '../../../cli/soak/contract.ts';
import { writeSoakReport } from '../../../cli/soak/report.ts';
import { soakPicture } from '../../../cli/soak/report-svg.ts';
import { sampleSoakSummary } from '../../helpers/soak-summary.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's IHDR chunk, which always comes first after the signature. */
function pngSize(file: string): { width: number; height: number } {
  const png = readFileSync(file);
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'soak-report-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('writeSoakReport', () => {
  it('writes the summary, the SVG and a PNG of the picture’s size rendered by Chromium', async () => {
    const { summary } = sampleSoakSummary({ days: 7 });
    const out = join(tempDir(), 'soak');
    const files = await writeSoakReport(summary, out);
    expect(files).toEqual({ json: join(out, 'summary.json'), svg: join(out, 'soak.svg'), png: join(out, 'soak.png') });

    expect(SoakSummary.parse(JSON.parse(readFileSync(files.json, 'utf8')))).toEqual(summary);
    const picture = soakPicture(summary);
    expect(readFileSync(files.svg, 'utf8')).toBe(picture.svg);
    expect(pngSize(files.png)).toEqual({ width: picture.width, height: picture.height });
    // A blank screenshot would be a few kB; the drawn picture has text, bars and lines.
    expect(readFileSync(files.png).length).toBeGreaterThan(30_000);
  });

  it('refuses a summary that breaks the contract and writes nothing', async () => {
    const { summary } = sampleSoakSummary({ days: 1 });
    const out = tempDir();
    const broken = { ...summary, visitors: 12.5, faults: [{ ...summary.faults[0], limitS: 'soon' }] } as unknown as SoakSummary;
    const error = await writeSoakReport(broken, out).then(() => null, (e: unknown) => e as Error);
    expect(error?.message).toMatch(/^soak report: the summary does not match the contract/);
    // Both faults named, so whoever wrote the summary fixes it in one go.
    expect(error?.message).toContain('visitors');
    expect(error?.message).toContain('limitS');
    expect(readdirSync(out)).toEqual([]);
    expect(existsSync(join(out, 'soak.png'))).toBe(false);
  });
});
