/**
 * The addresses a QR code gives a visitor's phone. Both come from the hall's settings,
 * which the schema keeps to addresses a phone can reach; unset, there is no link and so
 * no QR code, rather than one that opens nothing.
 */
import type { Hall } from './schema.ts';

/** `path` under `base`, keeping any path prefix the base has (a platform behind /xiaojin/). */
function under(base: string, path: string): string {
  return new URL(path.replace(/^\//, ''), base.replace(/\/?$/, '/')).toString();
}

/** The ticket's follow page on the platform, as phones reach it. */
export function ticketFollowUrl(hall: Pick<Hall, 'publicBaseUrl'>, ticketId: string, path = `/display/?ticket=${encodeURIComponent(ticketId)}`): string | null {
  return hall.publicBaseUrl ? under(hall.publicBaseUrl, path) : null;
}

/** An item's phone guide, opened at its sub-case when one was chosen. */
export function itemGuideUrl(hall: Pick<Hall, 'guideBaseUrl'>, code: string, caseCode?: string): string | null {
  if (!hall.guideBaseUrl) return null;
  return under(hall.guideBaseUrl, encodeURIComponent(code)) + (caseCode ? `?case=${encodeURIComponent(caseCode)}` : '');
}
