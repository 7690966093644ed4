/**
 * The end-of-run checks against what the hall holds: every transaction the platform lists,
 * counted by ledger key (lost and doubled against the simulator's ledger), ticket numbers
 * reused within a hall day, and a scan of every file the run wrote for the simulated
 * citizens' ID numbers and names.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { hallDay } from '../../protocol/clock.ts';
import { platformKey } from './ledger.ts';
import type { StaffApi } from './staff.ts';

export interface PlatformTx {
  id: string;
  deviceId: string;
  type: string;
  at: string;
  payload: Record<string, unknown>;
}

/** Every transaction the platform holds, through the console's listing, newest first, page by page. */
export async function platformTransactions(staff: StaffApi): Promise<PlatformTx[]> {
  const out: PlatformTx[] = [];
  let before: string | null = null;
  for (;;) {
    const q: URLSearchParams = new URLSearchParams({ limit: '500', ...(before ? { before } : {}) });
    const page: { transactions: PlatformTx[]; next: string | null } = await staff.call<{ transactions: PlatformTx[]; next: string | null }>('GET', `/api/transactions?${q}`);
    out.push(...page.transactions);
    if (!page.next) return out;
    before = page.next;
  }
}

export function platformKeyCounts(txs: PlatformTx[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const tx of txs) {
    const k = platformKey(tx);
    if (k) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}

/**
 * Ticket numbers handed to two different tickets on one hall day, from the tickets the
 * platform recorded and the ones the visitors were given (ticketNumbers: day|number → ids).
 */
export function reusedTicketNumbers(txs: PlatformTx[], seen: Map<string, Set<string>>): { issued: number; reused: string[] } {
  const byNumber = new Map<string, Set<string>>();
  for (const [k, ids] of seen) byNumber.set(k, new Set(ids));
  for (const tx of txs) {
    if (tx.type !== 'ticket') continue;
    const p = tx.payload;
    if (typeof p.number !== 'string' || typeof p.ticketId !== 'string') continue;
    const day = typeof p.day === 'string' ? p.day : typeof p.issuedAt === 'string' ? hallDay(Date.parse(p.issuedAt)) : null;
    if (!day) continue;
    const k = `${day}|${p.number}`;
    const ids = byNumber.get(k) ?? new Set<string>();
    ids.add(p.ticketId);
    byNumber.set(k, ids);
  }
  let issued = 0;
  const reused: string[] = [];
  for (const [k, ids] of byNumber) {
    issued += ids.size;
    if (ids.size > 1) reused.push(k);
  }
  return { issued, reused };
}

function* filesUnder(dir: string): Generator<string> {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of entries) {
    const path = join(dir, name);
    let st;
    try {
      st = statSync(path);
    } catch {
      continue;
    }
    if (st.isDirectory()) yield* filesUnder(path);
    else if (st.isFile()) yield path;
  }
}

/**
 * Files under the roots holding any of the needles, as raw bytes (UTF-8), so SQLite pages,
 * WAL frames and logs are all read. Returns file → how many needles it holds, never the needles.
 */
export function personalDataFound(roots: string[], needles: string[]): { files: number; hits: Record<string, number> } {
  const wanted = [...new Set(needles.filter((n) => n.length >= 2))].map((n) => Buffer.from(n, 'utf8'));
  const hits: Record<string, number> = {};
  let files = 0;
  for (const root of roots) {
    for (const file of filesUnder(root)) {
      files++;
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch {
        continue;
      }
      const n = wanted.filter((w) => bytes.includes(w)).length;
      if (n) hits[file] = n;
    }
  }
  return { files, hits };
}
