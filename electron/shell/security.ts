/**
 * The Electron kiosk's security policy as plain functions, so every rule is tested
 * without Electron: which origin the pages come from, the Content-Security-Policy they
 * run under, where they may navigate or fetch, and which permissions they get.
 * A kiosk stands in a public hall; anything a page is not known to need is refused.
 */

/** Pages are served from a privileged custom scheme rather than file://, whose origin is opaque. */
export const APP_SCHEME = 'xiaojin';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

export type Screen = 'kiosk' | 'robot';

export function homeUrl(screen: Screen): string {
  return `${APP_ORIGIN}/${screen}/index.html`;
}

/**
 * The policy every page runs under. The renderer talks to the host only through the
 * preload bridge, so connect-src allows nothing but the app itself; React sets styles
 * through the CSSOM, but the built pages carry inline style attributes, hence
 * 'unsafe-inline' for style only. QR codes are data: images; spoken numbers are blobs.
 */
export function contentSecurityPolicy(): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "worker-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "media-src 'self' blob:",
    "connect-src 'self'",
    "object-src 'none'",
    "frame-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True only for the kiosk's own pages; `xiaojin://app.evil` or `xiaojin://app@x` do not pass. */
export function isAppUrl(url: string): boolean {
  const u = parse(url);
  return !!u && u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '';
}

/**
 * Requests the session lets through. Everything the pages need is bundled; data: and
 * blob: are produced in the page itself. devtools: is for technicians in windowed mode.
 */
export function requestAllowed(url: string, devTools = false): boolean {
  if (isAppUrl(url)) return true;
  const u = parse(url);
  if (!u) return false;
  if (u.protocol === 'data:' || u.protocol === 'blob:') return true;
  return devTools && (u.protocol === 'devtools:' || u.protocol === 'chrome-extension:');
}

export interface PermissionQuery {
  permission: string;
  /** The URL or origin of the page asking. */
  requestingUrl?: string;
  mediaTypes?: string[];
  isMainFrame?: boolean;
}

/**
 * Grants nothing by default. The robot screen may listen (speech questions) but never
 * see: a camera in a government hall needs its own approval, not a default.
 */
export function permissionAllowed(screen: Screen, q: PermissionQuery): boolean {
  if (!q.requestingUrl || !isAppUrl(q.requestingUrl)) return false;
  if (q.isMainFrame === false) return false;
  if (screen !== 'robot') return false;
  if (q.permission !== 'media' && q.permission !== 'audioCapture') return false;
  // A media request that does not say what it captures may be the camera.
  const types = q.mediaTypes ?? [];
  return types.length > 0 && types.every((t) => t === 'audio');
}

/** Where a link or script may take the window: its own pages only. */
export function navigationAllowed(url: string): boolean {
  return isAppUrl(url);
}
