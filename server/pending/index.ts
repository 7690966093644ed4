/**
 * 待办清单 on the platform: one row per citizen, keyed by the pseudonym the kiosk makes
 * from the card (protocol/id-key.ts), holding only which services they collected. No ID
 * number, name or masked number is stored; the citizen replaces or deletes the row from
 * any kiosk they sign in at.
 */
import type { Socket } from 'socket.io';
import type { Db } from '../db/types.ts';
import type { ServerContext } from '../context.ts';
import { answer as answerKioskRequest } from '../queue/routes.ts';
import { PendingEntries, type PendingEntry } from '../../protocol/pending.ts';

export const PENDING_MIGRATIONS = [
  `CREATE TABLE pending_lists (
     id_key TEXT PRIMARY KEY,
     entries TEXT NOT NULL,
     updated_at TEXT NOT NULL
   )`,
];

export class PendingStore {
  constructor(private readonly db: Db) {}

  async load(idKey: string): Promise<{ entries: PendingEntry[]; updatedAt: string | null }> {
    const row = (await this.db.query<{ entries: string; updated_at: string }>('SELECT entries, updated_at FROM pending_lists WHERE id_key = ?', [idKey]))[0];
    if (!row) return { entries: [], updatedAt: null };
    // A row written by an older kiosk that no longer parses is no list at all, not an error to show a citizen.
    const parsed = PendingEntries.safeParse(JSON.parse(row.entries));
    return { entries: parsed.success ? parsed.data : [], updatedAt: row.updated_at };
  }

  async save(idKey: string, entries: PendingEntry[]): Promise<{ stored: number }> {
    if (!entries.length) {
      await this.delete(idKey);
      return { stored: 0 };
    }
    await this.db.run(
      'INSERT INTO pending_lists (id_key, entries, updated_at) VALUES (?, ?, ?) ON CONFLICT (id_key) DO UPDATE SET entries = excluded.entries, updated_at = excluded.updated_at',
      [idKey, JSON.stringify(entries), new Date().toISOString()],
    );
    return { stored: entries.length };
  }

  async delete(idKey: string): Promise<{ deleted: boolean }> {
    return { deleted: (await this.db.run('DELETE FROM pending_lists WHERE id_key = ?', [idKey])).changes > 0 };
  }
}

export async function registerPending(ctx: ServerContext): Promise<PendingStore> {
  await ctx.db.migrate('pending', PENDING_MIGRATIONS);
  const store = new PendingStore(ctx.db);
  ctx.onDeviceSocket((socket: Socket) => {
    answerKioskRequest(socket, 'pending:load', ({ idKey }) => store.load(idKey), ctx.log);
    answerKioskRequest(socket, 'pending:save', ({ idKey, entries }) => store.save(idKey, entries), ctx.log);
    answerKioskRequest(socket, 'pending:delete', ({ idKey }) => store.delete(idKey), ctx.log);
  });
  return store;
}
