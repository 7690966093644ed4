/**
 * Reads a hall configuration folder. Each file is validated with its own schema so an
 * error can name the file, the field path inside it and what was expected; the store
 * keeps the last good configuration in force when a new one fails.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EventEmitter } from 'node:events';
import { z } from 'zod';
import {
  AppointmentSettings,
  Bundle,
  DataShareSettings,
  Catalogue,
  FaqEntry,
  SynonymSet,
  Hall,
  HallConfig,
  PhoneUrl,
  KioskConfig,
  Menus,
  Questionnaire,
  QueueSettings,
  UnattendedSettings,
  RobotConfig,
} from './schema.ts';
import { eligibilityProblems } from './eligibility.ts';
import { pathOf } from './issue-path.ts';

export const DEFAULT_CONFIG_DIR = resolve(fileURLToPath(new URL('./default', import.meta.url)));

/** One problem in one file, in words a hall technician can act on. */
export interface ConfigProblem {
  file: string;
  path: string;
  message: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map((p) => `${p.file}: ${p.path || '(top level)'}: ${p.message}`).join('\n'));
    this.name = 'ConfigError';
  }
}

/** Turn zod issues into problems that say what was expected and what was found. */
export function describeIssues(file: string, error: z.ZodError, value?: unknown): ConfigProblem[] {
  return error.issues.map((issue) => {
    let found = '';
    if (value !== undefined) {
      let v: unknown = value;
      for (const k of issue.path) v = v === null || v === undefined ? undefined : (v as Record<PropertyKey, unknown>)[k as PropertyKey];
      if (issue.code !== 'unrecognized_keys') found = v === undefined ? ' (missing)' : ` (found ${JSON.stringify(v)?.slice(0, 60)})`;
    }
    return { file, path: pathOf(issue.path), message: `${issue.message}${found}` };
  });
}

export function parseFile<S extends z.ZodType>(file: string, schema: S, raw: string): z.infer<S> {
  let value: unknown;
  try {
    // Windows Notepad saves UTF-8 with a byte-order mark, which JSON.parse refuses.
    value = JSON.parse(raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw);
  } catch (err) {
    throw new ConfigError([{ file, path: '', message: `not valid JSON: ${(err as Error).message}` }]);
  }
  const result = schema.safeParse(value);
  if (!result.success) throw new ConfigError(describeIssues(file, result.error, value));
  return result.data;
}

function readJson<S extends z.ZodType>(dir: string, name: string, schema: S): z.infer<S> {
  const file = join(dir, name);
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError([{ file, path: '', message: `cannot read file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` }]);
  }
  return parseFile(file, schema, raw);
}

/** The files of a configuration folder and the schema of each. */
export const CONFIG_FILES = {
  hall: 'hall.json',
  catalogue: 'catalogue.json',
  cityItems: 'city-items.json',
  menus: 'menus.json',
  questionnaires: 'questionnaires.json',
  bundles: 'bundles.json',
  kiosks: 'kiosks.json',
  settings: 'settings.json',
  faq: 'faq.json',
  synonyms: 'synonyms.json',
  itemAliases: 'item-aliases.json',
} as const;

/** Everyday names for catalogue items, by item code: kept apart from the imported catalogue so a re-import keeps them. */
const ItemAliases = z.record(z.string(), z.array(z.string().trim().min(1)));

const Settings = z.object({
  robot: RobotConfig,
  queue: QueueSettings,
  appointments: AppointmentSettings,
  dataShare: DataShareSettings.default({ freshSignInMinutes: 10 }),
  unattended: UnattendedSettings.default({ recoverWithinSeconds: 60 }),
});
const Questionnaires = z.array(Questionnaire);
const Kiosks = z.array(KioskConfig).min(1);

/** Where a merged catalogue item came from, so a problem names its own file and index. */
export interface ItemOrigin {
  file: string;
  index: number;
}

/**
 * Cross-file checks: every reference must point at something that exists. `origins`
 * maps each item of the merged catalogue back to its file (city items come first).
 */
export function checkReferences(config: HallConfig, dir = '', origins?: ItemOrigin[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const codes = new Set<string>();
  const casesOf = new Map<string, Set<string>>();
  config.catalogue.items.forEach((item, i) => {
    const origin = origins?.[i] ?? { file: join(dir, CONFIG_FILES.catalogue), index: i };
    if (codes.has(item.code)) problems.push({ file: origin.file, path: `items[${origin.index}].code`, message: `duplicate item code ${item.code}` });
    codes.add(item.code);
    casesOf.set(item.code, new Set(item.cases.map((c) => c.code)));
  });
  const hallFile = join(dir, CONFIG_FILES.hall);
  const groups = new Set(config.hall.groups.map((g) => g.id));
  const zones = new Set(config.hall.zones.map((z) => z.id));
  const floors = new Set(config.hall.floors.map((f) => f.id));
  config.hall.zones.forEach((z, i) => {
    if (!floors.has(z.floor)) problems.push({ file: hallFile, path: `zones[${i}].floor`, message: `unknown floor ${z.floor}` });
  });
  config.hall.places.forEach((p, i) => {
    if (!floors.has(p.floor)) problems.push({ file: hallFile, path: `places[${i}].floor`, message: `unknown floor ${p.floor}` });
  });
  const windowIds = new Set<string>();
  config.hall.windows.forEach((w, i) => {
    if (windowIds.has(w.id)) problems.push({ file: hallFile, path: `windows[${i}].id`, message: `duplicate window id ${w.id}` });
    windowIds.add(w.id);
    if (!zones.has(w.zone)) problems.push({ file: hallFile, path: `windows[${i}].zone`, message: `unknown zone ${w.zone}` });
    if (!floors.has(w.floor)) problems.push({ file: hallFile, path: `windows[${i}].floor`, message: `unknown floor ${w.floor}` });
    w.groups.forEach((g, j) => {
      if (!groups.has(g)) problems.push({ file: hallFile, path: `windows[${i}].groups[${j}]`, message: `unknown queue group ${g}` });
    });
  });
  const prefixes = new Set<string>();
  config.hall.groups.forEach((g, i) => {
    if (prefixes.has(g.prefix)) problems.push({ file: hallFile, path: `groups[${i}].prefix`, message: `prefix ${g.prefix} is used by another group` });
    prefixes.add(g.prefix);
    g.items.forEach((code, j) => {
      if (!codes.has(code)) problems.push({ file: hallFile, path: `groups[${i}].items[${j}]`, message: `unknown item code ${code}` });
    });
  });
  const kioskFile = join(dir, CONFIG_FILES.kiosks);
  const kioskIds = new Set<string>();
  config.kiosks.forEach((k, i) => {
    if (kioskIds.has(k.id)) problems.push({ file: kioskFile, path: `[${i}].id`, message: `duplicate kiosk id ${k.id}` });
    kioskIds.add(k.id);
    if (!floors.has(k.floor)) problems.push({ file: kioskFile, path: `[${i}].floor`, message: `unknown floor ${k.floor}` });
  });
  const menuFile = join(dir, CONFIG_FILES.menus);
  config.menus.hot.forEach((code, i) => {
    if (!codes.has(code)) problems.push({ file: menuFile, path: `hot[${i}]`, message: `unknown item code ${code}` });
  });
  for (const section of ['themes', 'departments'] as const) {
    config.menus[section].forEach((entry, i) => {
      entry.items.forEach((code, j) => {
        if (!codes.has(code)) problems.push({ file: menuFile, path: `${section}[${i}].items[${j}]`, message: `unknown item code ${code}` });
      });
      // A misspelt kiosk id would hide the entry everywhere without a word.
      entry.kiosks.forEach((id, j) => {
        if (!kioskIds.has(id)) problems.push({ file: menuFile, path: `${section}[${i}].kiosks[${j}]`, message: `unknown kiosk id ${id}` });
      });
    });
  }
  const themeIds = new Set(config.menus.themes.map((t) => t.id));
  config.menus.corrections.forEach((c, i) => {
    if (!codes.has(c.item)) problems.push({ file: menuFile, path: `corrections[${i}].item`, message: `unknown item code ${c.item}` });
    for (const key of ['from', 'to'] as const) {
      const theme = c[key];
      if (theme !== undefined && !themeIds.has(theme)) problems.push({ file: menuFile, path: `corrections[${i}].${key}`, message: `unknown theme ${theme}` });
    }
  });
  const qFile = join(dir, CONFIG_FILES.questionnaires);
  config.questionnaires.forEach((q, i) => {
    if (!codes.has(q.item)) problems.push({ file: qFile, path: `[${i}].item`, message: `unknown item code ${q.item}` });
    const ids = new Set(q.questions.map((x) => x.id));
    if (!ids.has(q.start)) problems.push({ file: qFile, path: `[${i}].start`, message: `unknown question ${q.start}` });
    q.questions.forEach((question, j) =>
      question.options.forEach((o, k) => {
        const at = `[${i}].questions[${j}].options[${k}]`;
        if (!o.next === !o.case) problems.push({ file: qFile, path: at, message: 'an option leads to exactly one of next or case' });
        if (o.next && !ids.has(o.next)) problems.push({ file: qFile, path: `${at}.next`, message: `unknown question ${o.next}` });
        if (o.case && !casesOf.get(q.item)?.has(o.case)) problems.push({ file: qFile, path: `${at}.case`, message: `unknown case code ${o.case} (not a case of ${q.item})` });
      }),
    );
    if (q.eligibility) for (const p of eligibilityProblems(q.eligibility, q.questions, casesOf.get(q.item))) problems.push({ file: qFile, path: `[${i}].${p.path}`, message: p.message });
  });
  problems.push(...bundleProblems(config, join(dir, CONFIG_FILES.bundles), casesOf));
  const places = new Set(config.hall.places.map((p) => p.id));
  if (!places.has(config.robot.dock)) problems.push({ file: join(dir, CONFIG_FILES.settings), path: 'robot.dock', message: `unknown place ${config.robot.dock}` });
  return problems;
}

/** A bundle's items, cases, queue group and 综合窗口 must exist, and the window must take the group's tickets. */
function bundleProblems(config: HallConfig, file: string, casesOf: Map<string, Set<string>>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const ids = new Set<string>();
  config.bundles.forEach((b, i) => {
    if (ids.has(b.id)) problems.push({ file, path: `[${i}].id`, message: `duplicate bundle id ${b.id}` });
    ids.add(b.id);
    b.items.forEach((pick, j) => {
      const cases = casesOf.get(pick.item);
      if (!cases) problems.push({ file, path: `[${i}].items[${j}].item`, message: `unknown item code ${pick.item}` });
      else if (pick.case && !cases.has(pick.case)) problems.push({ file, path: `[${i}].items[${j}].case`, message: `unknown case code ${pick.case} (not a case of ${pick.item})` });
    });
    if (!config.hall.groups.some((g) => g.id === b.group)) problems.push({ file, path: `[${i}].group`, message: `unknown queue group ${b.group}` });
    if (b.window) {
      const w = config.hall.windows.find((x) => x.id === b.window);
      if (!w) problems.push({ file, path: `[${i}].window`, message: `unknown window ${b.window}` });
      else if (!w.groups.includes(b.group)) problems.push({ file, path: `[${i}].window`, message: `window ${b.window} does not serve queue group ${b.group}, whose ticket the bundle takes` });
    }
  });
  return problems;
}

/** Load and validate a configuration folder, or throw a ConfigError naming every problem. */
export function loadConfigDir(dir: string = DEFAULT_CONFIG_DIR): HallConfig {
  const problems: ConfigProblem[] = [];
  const attempt = <T>(f: () => T): T | undefined => {
    try {
      return f();
    } catch (err) {
      if (err instanceof ConfigError) problems.push(...err.problems);
      else throw err;
      return undefined;
    }
  };
  const hall = attempt(() => readJson(dir, CONFIG_FILES.hall, Hall));
  const catalogue = attempt(() => readJson(dir, CONFIG_FILES.catalogue, Catalogue));
  const city = existsSync(join(dir, CONFIG_FILES.cityItems)) ? attempt(() => readJson(dir, CONFIG_FILES.cityItems, Catalogue)) : undefined;
  const menus = attempt(() => readJson(dir, CONFIG_FILES.menus, Menus));
  const questionnaires = existsSync(join(dir, CONFIG_FILES.questionnaires))
    ? attempt(() => readJson(dir, CONFIG_FILES.questionnaires, Questionnaires))
    : [];
  const kiosks = attempt(() => readJson(dir, CONFIG_FILES.kiosks, Kiosks));
  const bundles = existsSync(join(dir, CONFIG_FILES.bundles)) ? attempt(() => readJson(dir, CONFIG_FILES.bundles, z.array(Bundle))) : [];
  const settings = attempt(() => readJson(dir, CONFIG_FILES.settings, Settings));
  const optional = <S extends z.ZodType>(name: string, schema: S) =>
    existsSync(join(dir, name)) ? attempt(() => readJson(dir, name, schema)) : undefined;
  const faq = optional(CONFIG_FILES.faq, z.array(FaqEntry)) ?? [];
  const synonyms = optional(CONFIG_FILES.synonyms, z.array(SynonymSet)) ?? [];
  const aliases = optional(CONFIG_FILES.itemAliases, ItemAliases) ?? {};
  if (problems.length) throw new ConfigError(problems);
  const items = [...(city?.items ?? []), ...catalogue!.items];
  const merged = validateShape(
    {
      hall,
      catalogue: { ...catalogue!, items: items.map((item) => withAliases(item, aliases[item.code])) },
      menus,
      questionnaires,
      bundles,
      kiosks,
      ...settings!,
      faq,
      synonyms,
    },
    dir,
  );
  const origins: ItemOrigin[] = [
    ...(city?.items ?? []).map((_, index) => ({ file: join(dir, CONFIG_FILES.cityItems), index })),
    ...catalogue!.items.map((_, index) => ({ file: join(dir, CONFIG_FILES.catalogue), index })),
  ];
  const refs = [...checkReferences(merged, dir, origins), ...unknownAliasCodes(aliases, items, join(dir, CONFIG_FILES.itemAliases))];
  if (refs.length) throw new ConfigError(refs);
  return merged;
}

/** An alias for a code the catalogue lacks is a typo or a retired item: name it rather than drop it unseen. */
function unknownAliasCodes(aliases: Record<string, string[]>, items: { code: string }[], file: string): ConfigProblem[] {
  const codes = new Set(items.map((i) => i.code));
  return Object.keys(aliases)
    .filter((code) => !codes.has(code))
    .map((code) => ({ file, path: code, message: `unknown item code ${code}` }));
}

function withAliases<T extends { name: string; aliases: string[] }>(item: T, extra: string[] | undefined): T {
  if (!extra?.length) return item;
  const seen = new Set([item.name, ...item.aliases]);
  const added = extra.filter((a) => !seen.has(a) && (seen.add(a), true));
  return added.length ? { ...item, aliases: [...item.aliases, ...added] } : item;
}

/** Each file passed its own schema, so this only fails if the schemas disagree; it still reports as a ConfigError. */
function validateShape(value: unknown, label: string): HallConfig {
  const result = HallConfig.safeParse(value);
  if (!result.success) throw new ConfigError(describeIssues(label, result.error, value));
  return result.data;
}

/** Validate a whole configuration held in memory (as the central platform stores versions). */
/**
 * A configuration stored before a rule tightened still has to load: a platform must start
 * and a kiosk must keep its last config after an upgrade. Phone links written before they
 * were checked (example and loopback addresses) are dropped, which prints no QR code, the
 * behaviour the rule asks for; each drop is named so it can be logged. New configurations
 * from staff are not passed through here and are refused instead.
 */
export function upgradeStoredConfig(value: unknown): { value: unknown; dropped: string[] } {
  const hall = (value as { hall?: Record<string, unknown> } | null)?.hall;
  if (!hall || typeof hall !== 'object') return { value, dropped: [] };
  const dropped: string[] = [];
  const kept = { ...hall };
  for (const key of ['guideBaseUrl', 'publicBaseUrl'] as const) {
    if (key in kept && !PhoneUrl.safeParse(kept[key]).success) {
      delete kept[key];
      dropped.push(`hall.${key}`);
    }
  }
  return dropped.length ? { value: { ...(value as object), hall: kept }, dropped } : { value, dropped };
}

export function validateConfig(value: unknown, label = 'configuration'): HallConfig {
  const result = HallConfig.safeParse(value);
  if (!result.success) throw new ConfigError(describeIssues(label, result.error, value));
  const refs = checkReferences(result.data);
  if (refs.length) throw new ConfigError(refs.map((p) => ({ ...p, file: label })));
  return result.data;
}

export interface ConfigChange {
  config: HallConfig;
  version: number;
}

/**
 * Holds the configuration in force. A failed reload leaves the last good one in place
 * and reports why, so a typo in a hand-edited file never takes a hall down.
 */
export class ConfigStore extends EventEmitter {
  private current: HallConfig;
  private currentVersion = 1;
  lastError: ConfigError | null = null;

  constructor(initial: HallConfig, version = 1) {
    super();
    this.current = initial;
    this.currentVersion = version;
  }

  static fromDir(dir: string = DEFAULT_CONFIG_DIR): ConfigStore {
    return new ConfigStore(loadConfigDir(dir));
  }

  get config(): HallConfig {
    return this.current;
  }

  get version(): number {
    return this.currentVersion;
  }

  /** Try a new configuration; returns the error and keeps the old one if it is bad. */
  apply(next: unknown, version = this.currentVersion + 1, label = 'configuration'): ConfigError | null {
    try {
      this.current = validateConfig(next, label);
      this.currentVersion = version;
      this.lastError = null;
      this.emit('change', { config: this.current, version } satisfies ConfigChange);
      return null;
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      this.lastError = err;
      this.emit('error-config', err);
      return err;
    }
  }

  reloadDir(dir: string): ConfigError | null {
    try {
      return this.apply(loadConfigDir(dir));
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      this.lastError = err;
      this.emit('error-config', err);
      return err;
    }
  }
}
