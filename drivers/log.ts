/**
 * The logging seam every driver uses. It is the subset of pino's API the drivers call,
 * so the app passes its pino logger and tests pass nothing. Personal data goes through
 * the masking helpers first: a service hall's logs must not hold names or ID numbers.
 */
export interface DriverLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentLogger: DriverLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** 440104199003071234 → 4401**********1234: region and last four only, enough to tell cards apart. */
export function maskIdNumber(id: string): string {
  if (id.length <= 8) return '*'.repeat(id.length);
  return id.slice(0, 4) + '*'.repeat(id.length - 8) + id.slice(-4);
}

/** 王小今 → 王**: the family name alone. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '';
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
