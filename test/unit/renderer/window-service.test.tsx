import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import i18next from 'i18next';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import { strings } from '../../../renderer/window/strings.ts';
import { CalledService } from '../../../renderer/window/CalledService.tsx';

const i18n = i18next.createInstance();
await i18n.use(initReactI18next).init({ resources: strings, lng: 'zh', fallbackLng: false, interpolation: { escapeValue: false } });
const shown = async (lang: 'zh' | 'en', service: Parameters<typeof CalledService>[0]['service']) => {
  await i18n.changeLanguage(lang);
  return renderToStaticMarkup(<I18nextProvider i18n={i18n}><CalledService service={service} /></I18nextProvider>).replace(/<[^>]+>/g, '');
};

describe('window terminal: the called citizen\'s service', () => {
  it('names it in Chinese, in the hall\'s English, or in Chinese said to be Chinese only', async () => {
    const permit = { code: 'GZ-GA-001', name: '居住证办理', nameEn: 'Residence permit' };
    expect(await shown('zh', permit)).toBe('办理事项：居住证办理');
    expect(await shown('en', permit)).toBe('Service: Residence permit');
    expect(await shown('en', { ...permit, nameEn: null })).toBe('Service: 居住证办理 (Chinese name only)');
  });

  it('says when the ticket was taken for a whole line rather than a service', async () => {
    expect(await shown('zh', null)).toBe('取号时未选择具体事项');
    expect(await shown('en', null)).toBe('No particular service chosen when the ticket was taken');
  });
});
