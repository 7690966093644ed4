/**
 * Rewrites one benchmark's block (<!-- bench:NAME --> … <!-- /bench:NAME -->) in
 * docs/benchmarks.md, adding it at the end the first time; the rest of the file stays.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Returns the file written. */
export function writeBenchBlock(marker: string, body: string): string {
  const file = join(import.meta.dirname, '..', 'docs', 'benchmarks.md');
  mkdirSync(join(import.meta.dirname, '..', 'docs'), { recursive: true });
  const open = `<!-- bench:${marker} -->`;
  const close = `<!-- /bench:${marker} -->`;
  const block = `${open}\n${body.trim()}\n${close}`;
  let text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  text = start >= 0 && end > start ? text.slice(0, start) + block + text.slice(end + close.length) : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, text);
  return file;
}
