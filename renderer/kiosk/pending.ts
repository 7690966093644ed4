/**
 * The citizen's 待办清单 in the screen. It lives in the citizen's layer, so the idle wipe
 * and sign-out drop it like every personal value; while someone is signed in each change
 * is saved on the platform (under the card's keyed pseudonym, made by the terminal), and
 * signing in brings back what they kept, joined with what they collected before.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../shared/api.ts';
import type { PendingEntry } from '../../protocol/pending.ts';
import type { SessionPerson } from '../../protocol/ui/domains/session.ts';

export interface PendingList {
  entries: PendingEntry[];
  /** Saved on the platform for the signed-in citizen. */
  kept: boolean;
  /** The platform could not be reached: the list is on this screen only. */
  unsaved: boolean;
  has(e: PendingEntry): boolean;
  add(e: PendingEntry): void;
  remove(e: PendingEntry): void;
  /** 清空: empties the list here and deletes it on the platform. */
  clear(): void;
}

/** The same service twice is one entry. */
export function pendingKey(e: PendingEntry): string {
  return e.kind === 'bundle' ? `bundle:${e.id}` : `item:${e.code}:${e.caseCode ?? ''}`;
}

/** Entries of both lists, each once, the first list's first. */
export function joinEntries(a: readonly PendingEntry[], b: readonly PendingEntry[]): PendingEntry[] {
  const seen = new Set<string>();
  return [...a, ...b].filter((e) => !seen.has(pendingKey(e)) && (seen.add(pendingKey(e)), true));
}

export function usePendingList(person: SessionPerson | null): PendingList {
  const [entries, setEntries] = useState<PendingEntry[]>([]);
  const [kept, setKept] = useState(false);
  const [unsaved, setUnsaved] = useState(false);
  const current = useRef(entries);
  current.current = entries;
  const signedIn = person?.since ?? null;

  const save = useCallback((next: PendingEntry[]) => {
    setEntries(next);
    if (!signedIn) return;
    api.call('pending.save', { entries: next }).then((r) => {
      setKept(r.kept);
      setUnsaved(false);
    }, () => setUnsaved(true));
  }, [signedIn]);

  useEffect(() => {
    if (!signedIn) {
      setKept(false);
      return;
    }
    let live = true;
    api.call('pending.load', {}).then((stored) => {
      if (!live) return;
      const joined = joinEntries(stored.entries, current.current);
      setEntries(joined);
      setKept(stored.kept);
      setUnsaved(false);
      if (stored.kept && joined.length !== stored.entries.length) void api.call('pending.save', { entries: joined }).catch(() => setUnsaved(true));
    }, () => live && setUnsaved(true));
    return () => {
      live = false;
    };
  }, [signedIn]);

  return {
    entries,
    kept,
    unsaved,
    has: (e) => entries.some((x) => pendingKey(x) === pendingKey(e)),
    add: (e) => save(joinEntries(current.current, [e])),
    remove: (e) => save(current.current.filter((x) => pendingKey(x) !== pendingKey(e))),
    clear: () => {
      setEntries([]);
      if (signedIn) api.call('pending.clear', {}).then(() => setUnsaved(false), () => setUnsaved(true));
    },
  };
}
