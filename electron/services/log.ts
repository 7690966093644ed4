/**
 * The kiosk host's logger. Personal fields are redacted by key as a second line of
 * defence: code should already pass only masked values.
 */
import pino, { type Logger } from 'pino';
import { logDestination } from '../../common/log-destination.ts';

const PERSONAL_KEYS = ['name', 'idNumber', 'address', 'birth', 'photo', 'fingerprint', 'passNumber', 'englishName', 'chineseName'];

export function createLogger(name: string, level = process.env.XIAOJIN_LOG ?? 'info'): Logger {
  return pino(
    {
      // Not pino's `name`: that key is redacted below, since a citizen's name travels under it.
      base: { pid: process.pid, svc: name },
      level,
      redact: { paths: [...PERSONAL_KEYS, ...PERSONAL_KEYS.map((k) => `*.${k}`)], censor: '[redacted]' },
    },
    logDestination(name),
  );
}
