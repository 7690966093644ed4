import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import i18next from 'i18next';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import { strings } from '../../../renderer/kiosk/strings.ts';
import { OutOfService, SelfServiceHours } from '../../../renderer/kiosk/parts/OutOfService.tsx';
import type { TerminalServiceView } from '../../../protocol/ui/domains/kiosk.ts';

const i18n = i18next.createInstance();
await i18n.use(initReactI18next).init({ resources: strings, lng: 'zh', fallbackLng: false, interpolation: { escapeValue: false } });
const text = async (lang: 'zh' | 'en', node: React.ReactElement) => {
  await i18n.changeLanguage(lang);
  return renderToStaticMarkup(<I18nextProvider i18n={i18n}>{node}</I18nextProvider>).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
};

const lobby: TerminalServiceView = { selfService: true, open: false, hours: [{ days: [1, 2, 3, 4, 5], open: '08:00', close: '20:00' }, { days: [6, 7], open: '09:00', close: '17:00' }] };

describe('kiosk: a teller machine outside its hours', () => {
  it('says it is not in service and when it is, in either language', async () => {
    expect(await text('zh', <OutOfService service={lobby} />)).toBe('本机暂停服务 本机服务时间：周一至周五 08:00–20:00；周六、周日 09:00–17:00。请在服务时间内使用，或前往附近的政务服务大厅办理。');
    expect(await text('en', <OutOfService service={lobby} />)).toBe(
      'This machine is not in service now Service hours: Mon–Fri 08:00–20:00; Sat, Sun 09:00–17:00. Please come back then, or visit a government service hall nearby.',
    );
  });

  it('shows its hours beside the hall name: 24 hours when it has none', async () => {
    expect(await text('zh', <SelfServiceHours service={{ selfService: true, open: true, hours: null }} />)).toBe('自助服务 · 24小时');
    expect(await text('en', <SelfServiceHours service={lobby} />)).toBe('Self-service · Mon–Fri 08:00–20:00; Sat, Sun 09:00–17:00');
  });
});
