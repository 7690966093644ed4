/** Opens the platform's storage from a --db value: a postgres:// URL or an SQLite file path. */
import { join, resolve } from 'node:path';
import type { Db } from './types.ts';
import { openSqlite } from './sqlite.ts';
import { openPostgres } from './postgres.ts';

export function openDb(spec: string | undefined, dataDir: string): Db {
  if (spec && /^postgres(ql)?:\/\//.test(spec)) return openPostgres(spec);
  return openSqlite(spec ? resolve(spec) : join(dataDir, 'central.db'));
}
