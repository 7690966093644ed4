/**
 * The masked form of an identity number that sign-in transactions carry (4401**********0038).
 * Both sides must mask alike: the platform matches a records query to the terminal's
 * sign-in by it (server/datashare/sessions.ts).
 */

/** Keeps the region (first four) and the last four characters of an 18-character number; shorter numbers keep less. */
export function maskIdNumber(id: string): string {
  const s = id.trim();
  if (s.length >= 15) return `${s.slice(0, 4)}${'*'.repeat(s.length - 8)}${s.slice(-4)}`;
  if (s.length >= 6) return `${s.slice(0, 2)}${'*'.repeat(s.length - 4)}${s.slice(-2)}`;
  return '*'.repeat(s.length);
}
