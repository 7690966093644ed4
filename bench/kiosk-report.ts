/**
 * Writes one kiosk benchmark's figures into docs/benchmarks.md, inside the kiosk section
 * (<!-- bench:kiosk --> … <!-- /bench:kiosk -->), as its own sub-block so the search and
 * TTI benches can run separately. Other sections of the file are left as they are.
 */
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, resolve } from 'node:path';

const FILE = resolve(import.meta.dirname, '../docs/benchmarks.md');
const OPEN = '<!-- bench:kiosk -->';
const CLOSE = '<!-- /bench:kiosk -->';

export function machine(): string {
  const c = cpus();
  return `${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${c.length} × ${c[0]?.model.trim() ?? 'unknown CPU'}`;
}

export { percentile } from './report.ts';

export function writeSection(part: 'search' | 'tti', body: string): void {
  mkdirSync(dirname(FILE), { recursive: true });
  let doc = existsSync(FILE) ? readFileSync(FILE, 'utf8') : '# Benchmarks\n';
  if (!doc.includes(OPEN)) doc = `${doc.trimEnd()}\n\n${OPEN}\n${CLOSE}\n`;
  const start = doc.indexOf(OPEN) + OPEN.length;
  const end = doc.indexOf(CLOSE);
  let section = doc.slice(start, end);
  const subOpen = `<!-- kiosk:${part} -->`;
  const subClose = `<!-- /kiosk:${part} -->`;
  const block = `${subOpen}\n${body.trim()}\n${subClose}`;
  if (section.includes(subOpen)) {
    section = section.slice(0, section.indexOf(subOpen)) + block + section.slice(section.indexOf(subClose) + subClose.length);
  } else {
    // Search first, then TTI, whichever ran first.
    const parts = [section.trim(), block].filter(Boolean);
    if (part === 'search' && section.includes('<!-- kiosk:tti -->')) parts.reverse();
    section = `\n${parts.join('\n\n')}\n`;
  }
  writeFileSync(FILE, doc.slice(0, start) + section.replace(/^\n*/, '\n').replace(/\n*$/, '\n') + doc.slice(end));
}
