/**
 * i18next for every screen. Each page passes its own strings; Chinese is the default and
 * English the fallback-free alternative, so a missing English string shows as its key in
 * tests rather than silently in Chinese.
 */
import i18next, { type BackendModule, type Resource, type ResourceLanguage } from 'i18next';
import { initReactI18next } from 'react-i18next';

export type Lang = 'zh' | 'en';

/**
 * The shape of a screen's Chinese strings with every leaf a string: a screen's English
 * strings are typed with it, so a key missing in English is a type error as well as a
 * failing unit test (test/unit/renderer/i18n.test.ts).
 */
export type SameKeys<T> = { [K in keyof T]: T[K] extends string ? string : T[K] extends readonly string[] ? readonly string[] : SameKeys<T[K]> };

/** A screen's strings as i18next takes them: one `translation` namespace per language. */
export function screenStrings<T extends { [key: string]: unknown }>(zh: T, en: SameKeys<T>) {
  return { zh: { translation: zh }, en: { translation: en } } satisfies Resource;
}

// Synchronous (initAsync false): the strings are in the bundle, and a page hydrating
// markup the host rendered must have them in its very first render, as the host did.
const options = (resources: Resource, lang: Lang) => ({
  resources,
  lng: lang,
  fallbackLng: false as const,
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
});

/** Fetches a language's strings the first time a screen switches to it. */
export type LoadStrings = (lang: Lang) => Promise<ResourceLanguage>;

/**
 * `load`, when given, supplies the languages `resources` lacks: a screen can ship only
 * the language every visitor starts in and fetch the other on the first switch.
 */
export function initI18n(resources: Resource, lang: Lang = 'zh', load?: LoadStrings) {
  if (load) {
    const backend: BackendModule = {
      type: 'backend',
      init: () => {},
      read: (language, namespace, done) => {
        if (!isLang(language)) return done(new Error(`no strings for ${language}`), false);
        load(language).then((strings) => done(null, strings[namespace] as object), (err: Error) => done(err, false));
      },
    };
    i18next.use(backend);
  }
  void i18next.use(initReactI18next).init({ ...options(resources, lang), partialBundledLanguages: !!load });
  document.documentElement.lang = htmlLang(lang);
  return i18next;
}

/** An instance of its own for the host rendering a screen into HTML (given to I18nextProvider); it touches no document. */
export function serverI18n(resources: Resource, lang: Lang = 'zh') {
  const instance = i18next.createInstance();
  void instance.init(options(resources, lang));
  return instance;
}

export function setLang(lang: Lang): void {
  // The document's language follows once the strings are there (a first switch may fetch them).
  void i18next.changeLanguage(lang).then(() => {
    if (i18next.language === lang) document.documentElement.lang = htmlLang(lang);
  });
}

export function htmlLang(lang: Lang): string {
  return lang === 'zh' ? 'zh-CN' : 'en';
}

export function isLang(value: unknown): value is Lang {
  return value === 'zh' || value === 'en';
}

// Staff screens (console, window terminal) keep each person's choice on that PC; citizen
// screens never store it, since the next visitor starts in Chinese.
const STAFF_KEY = 'xj.lang';

export function staffLang(): Lang {
  try {
    const saved = localStorage.getItem(STAFF_KEY);
    return isLang(saved) ? saved : 'zh';
  } catch {
    return 'zh';
  }
}

export function setStaffLang(lang: Lang): void {
  try {
    localStorage.setItem(STAFF_KEY, lang);
  } catch {
    /* storage may be disabled; the choice then lasts this page only */
  }
  setLang(lang);
}
