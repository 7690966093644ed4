/**
 * `xiaojin catalogue import FILE`: convert the portal export into the hall catalogue,
 * then refresh the default menus and questionnaires that depend on it.
 */
import { readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { basename, join, dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { convertSeed } from '../config/import-gd.ts';
import { buildMenus, buildQuestionnaires } from '../config/menus.ts';
import { CONFIG_FILES, DEFAULT_CONFIG_DIR, parseFile } from '../config/load.ts';
import { z } from 'zod';
import { Catalogue, Menus, Questionnaire } from '../config/schema.ts';

const HELP = `usage: xiaojin catalogue import FILE [--config DIR] [--keep-menus]

Converts a Guangdong portal export (.jsonl, one item per line) into DIR/catalogue.json
(default: the bundled default hall) and regenerates DIR/menus.json and
DIR/questionnaires.json from it unless --keep-menus is given. Themes are built from
each item's topic tags, department and name; the hot list and the staff's theme
corrections (menus.json "corrections", made in the console) are kept and applied again. Malformed lines are
reported with their line numbers and skipped; the rest is imported.`;

function noticeFor(file: string): string | undefined {
  const notice = join(dirname(file), 'NOTICE.md');
  return existsSync(notice) ? readFileSync(notice, 'utf8') : undefined;
}

export const command: Command = {
  summary: 'import the service catalogue',
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { config: { type: 'string' }, 'keep-menus': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help || positionals[0] !== 'import' || !positionals[1]) {
      console.log(HELP);
      return values.help ? 0 : 2;
    }
    const file = resolve(positionals[1]);
    const dir = resolve(values.config ?? DEFAULT_CONFIG_DIR);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      console.error(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      return 1;
    }
    const notice = noticeFor(file);
    const result = convertSeed(text, basename(file), notice);
    for (const p of result.problems) console.error(`${file}:${p.line}: skipped: ${p.message}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, CONFIG_FILES.catalogue), JSON.stringify(result.catalogue, null, 1) + '\n');
    if (notice) writeFileSync(join(dir, 'NOTICE.md'), notice);
    const cityFile = join(dir, CONFIG_FILES.cityItems);
    const city = existsSync(cityFile) ? parseFile(cityFile, Catalogue, readFileSync(cityFile, 'utf8')) : undefined;
    const all: Catalogue = { ...result.catalogue, items: [...(city?.items ?? []), ...result.catalogue.items] };
    if (!values['keep-menus']) {
      const menusFile = join(dir, CONFIG_FILES.menus);
      const previous = existsSync(menusFile) ? parseFile(menusFile, Menus, readFileSync(menusFile, 'utf8')) : undefined;
      const codes = new Set(all.items.map((i) => i.code));
      // A correction of an item the new catalogue lacks would make the configuration refuse to load: drop it, and say so.
      const corrections = (previous?.corrections ?? []).filter((c) => {
        if (!codes.has(c.item)) console.error(`${menusFile}: theme correction of ${c.item} dropped: the item is no longer in the catalogue`);
        return codes.has(c.item);
      });
      writeFileSync(menusFile, JSON.stringify(buildMenus(all, previous?.hot ?? [], corrections), null, 1) + '\n');
      const qFile = join(dir, CONFIG_FILES.questionnaires);
      const before = existsSync(qFile) ? parseFile(qFile, z.array(Questionnaire), readFileSync(qFile, 'utf8')) : [];
      const dropped: string[] = [];
      writeFileSync(qFile, JSON.stringify(buildQuestionnaires(all, before, dropped), null, 1) + '\n');
      for (const code of dropped) console.error(`${qFile}: eligibility rules of ${code} dropped: they name questions, answers or cases the rebuilt questionnaire lacks`);
    }
    const withCases = result.catalogue.items.filter((i) => i.cases.length > 0).length;
    console.log(
      `imported ${result.records} records as ${result.catalogue.items.length} items (${withCases} with sub-cases) into ${join(dir, CONFIG_FILES.catalogue)}; ${result.problems.length} line(s) skipped`,
    );
    return 0;
  },
};
