/**
 * Every screen's words in both languages: the same keys in Chinese and English, the same
 * {{count}} in each pair, and every key the screen's code asks for defined.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { strings as kiosk } from '../../../renderer/kiosk/strings.ts';
import { strings as robot } from '../../../renderer/robot/strings.ts';
import { strings as window } from '../../../renderer/window/strings.ts';
import { strings as display } from '../../../renderer/display/strings.ts';
import { strings as consoleStrings } from '../../../renderer/console/strings.ts';

const RENDERER = resolve(import.meta.dirname, '../../../renderer');

type Tree = { [key: string]: unknown };
interface Screen {
  translation: { zh: { translation: Tree }; en: { translation: Tree } };
  /** Whether the screen shows the shared language switch, which reads the `language` key. */
  switch: boolean;
}
const SCREENS: Record<string, Screen> = {
  kiosk: { translation: kiosk, switch: true },
  robot: { translation: robot, switch: true },
  window: { translation: window, switch: true },
  display: { translation: display, switch: false },
  console: { translation: consoleStrings, switch: true },
};

/** Leaf key → value ("guide.leading" → "请跟我来"); arrays are one leaf. */
export function leaves(tree: Tree, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v)) for (const [kk, vv] of leaves(v as Tree, key)) out.set(kk, vv);
    else out.set(key, v);
  }
  return out;
}

const placeholders = (v: unknown) => [...JSON.stringify(v).matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : []));
}

/** Keys the code names literally: t('a.b'), say('a.b'), i18next.t('a'). Built keys (`state.${s}`) are checked by their prefix. */
function keysUsed(dir: string): { literal: Set<string>; prefixes: Set<string> } {
  const literal = new Set<string>();
  const prefixes = new Set<string>();
  for (const file of sourceFiles(dir)) {
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/\b(?:t|say)\(\s*'([\w.-]+)'/g)) literal.add(m[1]);
    for (const m of src.matchAll(/\b(?:t|say)\(\s*`([\w.-]+)\.\$\{/g)) prefixes.add(m[1]);
  }
  return { literal, prefixes };
}

describe.each(Object.entries(SCREENS))('%s screen strings', (name, screen) => {
  const zh = leaves(screen.translation.zh.translation);
  const en = leaves(screen.translation.en.translation);

  it('has every Chinese key in English and no English key Chinese lacks', () => {
    expect([...zh.keys()].filter((k) => !en.has(k)), 'missing in English').toEqual([]);
    expect([...en.keys()].filter((k) => !zh.has(k)), 'missing in Chinese').toEqual([]);
  });

  it('has the same kind of value in both languages, counted where Chinese counts', () => {
    for (const [key, value] of zh) {
      const other = en.get(key);
      expect(Array.isArray(other), key).toBe(Array.isArray(value));
      if (Array.isArray(value)) expect((other as unknown[]).length, key).toBe(value.length);
      else expect(typeof other, key).toBe('string');
      // A language may word a date its own way ({{monthName}} for {{month}}), but a count is a count in both.
      if (placeholders(value).includes('count')) expect(placeholders(other), key).toContain('count');
    }
  });

  it('defines every key its code asks for', () => {
    const used = keysUsed(join(RENDERER, name));
    if (screen.switch) used.literal.add('language');
    expect([...used.literal].filter((k) => !zh.has(k)), 'keys used but not defined').toEqual([]);
    const groups = new Set([...zh.keys()].map((k) => k.split('.').slice(0, -1).join('.')));
    expect([...used.prefixes].filter((p) => !groups.has(p)), 'key groups used but not defined').toEqual([]);
  });
});

describe('the check itself', () => {
  it('notices a key missing in English', () => {
    const zh = leaves({ a: '甲', b: { c: '乙' } });
    const en = leaves({ a: 'A', b: {} });
    expect([...zh.keys()].filter((k) => !en.has(k))).toEqual(['b.c']);
  });
});
