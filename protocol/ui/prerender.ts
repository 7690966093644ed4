/**
 * The kiosk home page as the browser-kiosk host serves it: the home screen already
 * rendered into the HTML, and beside it the data it was rendered from, so the page's
 * script takes over the same markup (hydration) instead of drawing it again. The data is
 * what the home screen shows with nobody signed in; it never holds anything personal.
 */
import type { HomeMenu } from './domains/catalogue.ts';
import type { KioskInfo } from './domains/kiosk.ts';

export interface KioskHomeBoot {
  info: KioskInfo;
  /** The home menu with `items` cut to the hot items, the only ones the home screen names; `catalogue.home` brings the rest. */
  home: HomeMenu;
}

/** The id of the `<script type="application/json">` element that carries the boot data. */
export const KIOSK_BOOT_ID = 'kiosk-boot';

/** The element the screens render into (renderer/<page>/index.html). */
export const ROOT_ELEMENT = '<div id="root"></div>';
