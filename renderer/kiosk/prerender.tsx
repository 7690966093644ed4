/**
 * The kiosk's home screen as HTML, drawn by the browser-kiosk host (electron/host/kiosk-page.ts)
 * with the very components the page then hydrates, so there is one markup, not two.
 * Always in Chinese and standard mode: every visitor starts there, and nobody is signed in.
 */
import { renderToString } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import type { KioskHomeBoot } from '../../protocol/ui/prerender.ts';
import { serverI18n } from '../i18n/index.ts';
import { zh } from './strings-zh.ts';
import { App } from './App.tsx';

const i18n = serverI18n({ zh }, 'zh');

export function renderKioskHome(boot: KioskHomeBoot): string {
  return renderToString(
    <I18nextProvider i18n={i18n}>
      <App boot={boot} />
    </I18nextProvider>,
  );
}
