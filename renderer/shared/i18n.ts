/**
 * i18next for every screen. Each page passes its own strings; Chinese is the default and
 * English the fallback-free alternative, so a missing English string shows as its key in
 * tests rather than silently in Chinese.
 */
import i18next, { type Resource } from 'i18next';
import { initReactI18next } from 'react-i18next';

export type Lang = 'zh' | 'en';

export function initI18n(resources: Resource, lang: Lang = 'zh') {
  void i18next.use(initReactI18next).init({
    resources,
    lng: lang,
    fallbackLng: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return i18next;
}

export function setLang(lang: Lang): void {
  void i18next.changeLanguage(lang);
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
}
