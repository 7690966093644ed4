/**
 * A catalogue from a file: the Guangdong seed export (.jsonl, converted on the fly) or
 * the project's own catalogue.json. Lets `xiaojin ask --catalogue` and the benchmark
 * answer from any catalogue without installing it into a hall.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { convertSeed } from '../../config/import-gd.ts';
import { Catalogue } from '../../config/schema.ts';

export function loadCatalogueFile(file: string): Catalogue {
  const text = readFileSync(file, 'utf8');
  const trimmed = text.trimStart();
  // The seed holds one object per line; the project's format is one object with items.
  if (file.endsWith('.jsonl') || (trimmed.startsWith('{') && !/^\{\s*"version"/.test(trimmed) && text.split('\n').filter((l) => l.trim()).length > 1 && !/"items"\s*:/.test(text.slice(0, 2000)))) {
    return convertSeed(text, basename(file)).catalogue;
  }
  const parsed = Catalogue.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${file}: not a catalogue: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}
