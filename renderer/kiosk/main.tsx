import { startTransition } from 'react';
import { createRoot, hydrateRoot } from 'react-dom/client';
import '../shared/help.css';
import './kiosk.css';
import '../shared/base.css';
import { KIOSK_BOOT_ID, type KioskHomeBoot } from '../../protocol/ui/prerender.ts';
import { initI18n } from '../i18n/index.ts';
import { strings } from './strings.ts';
import { App } from './App.tsx';

/** The data the host drew the home screen from, or null when the page came without it (Electron's xiaojin://, an old host). */
function servedBoot(): KioskHomeBoot | null {
  const text = document.getElementById(KIOSK_BOOT_ID)?.textContent;
  if (!text) return null;
  try {
    return JSON.parse(text) as KioskHomeBoot;
  } catch {
    return null;
  }
}

initI18n(strings);
const root = document.getElementById('root')!;
const boot = servedBoot();
if (boot && root.firstElementChild) {
  // Hydration as a transition is rendered in slices, so taking over the served screen
  // never holds the main thread long enough to delay a touch.
  startTransition(() => {
    hydrateRoot(root, <App boot={boot} />);
  });
} else {
  createRoot(root).render(<App />);
}
