/**
 * A tap on the served home screen before the script has taken it over is held, not lost:
 * the citizen who touches a tile at once gets the screen they touched a moment later.
 * Only the first tap is kept: it changes the screen, so later ones would have landed on
 * a screen the citizen never saw.
 */
const TAPPABLE = 'button, a[href], [role="button"]';

export interface EarlyTaps {
  /** Replays the held tap, if any, on the now live screen and stops holding. */
  release(): void;
}

export function holdEarlyTaps(root: HTMLElement): EarlyTaps {
  let held: HTMLElement | null = null;
  // Capture phase on the document runs before React's own listeners on the root.
  const hold = (e: MouseEvent) => {
    const target = e.target instanceof Element ? e.target.closest<HTMLElement>(TAPPABLE) : null;
    if (!target || !root.contains(target)) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    held ??= target;
  };
  document.addEventListener('click', hold, true);
  return {
    release() {
      document.removeEventListener('click', hold, true);
      const target = held;
      held = null;
      // Hydration keeps the served elements, so the one tapped is still the one on screen.
      if (target?.isConnected) target.click();
    },
  };
}

/** The window event App sends once it has taken the screen over. */
export const KIOSK_READY_EVENT = 'kiosk:ready';

/** Resolves once the screen is taken over. */
export function whenReady(): Promise<void> {
  return new Promise((resolve) => window.addEventListener(KIOSK_READY_EVENT, () => resolve(), { once: true }));
}
