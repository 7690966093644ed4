import '../shared/help.css';
import './kiosk.css';
import '../shared/base.css';
import { KIOSK_BOOT_ID, type KioskHomeBoot } from '../../protocol/ui/prerender.ts';
import { holdEarlyTaps, whenReady } from './early-taps.ts';

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

/** Gives the browser a turn (paint, a touch) between the steps of start-up. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Start-up in steps, each its own task: evaluating React, i18next and the screens in one
 * go is a long task on a kiosk's CPU, during which the served screen cannot be touched.
 */
async function start(): Promise<void> {
  const root = document.getElementById('root')!;
  const boot = servedBoot();
  const served = boot !== null && root.firstElementChild !== null;
  // The served tiles can be touched from the first paint; until the script has them, taps wait.
  if (served) {
    const early = holdEarlyTaps(root);
    void whenReady().then(() => early.release());
  }
  const [{ initI18n }, { zh }] = await Promise.all([import('../i18n/index.ts'), import('./strings-zh.ts')]);
  // English is fetched on the first switch to it: most visitors never ask.
  initI18n({ zh }, 'zh', async (lang) => (lang === 'zh' ? zh : (await import('./strings-en.ts')).en));
  await nextTask();
  const { createRoot, hydrateRoot } = await import('react-dom/client');
  await nextTask();
  const [{ startTransition }, { App }] = await Promise.all([import('react'), import('./App.tsx')]);
  await nextTask();
  if (served && boot) {
    // Hydration as a transition is rendered in slices, so taking over the served screen
    // never holds the main thread long enough to delay a touch.
    startTransition(() => {
      hydrateRoot(root, <App boot={boot} />);
    });
  } else {
    createRoot(root).render(<App />);
  }
}

void start();
