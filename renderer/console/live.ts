/**
 * What a console page shows from the platform stays current on its own: another staff
 * member's save, a terminal moving to a new version, a message that has been read.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { platform } from '../shared/platform.ts';

/** How long a confirmation stays once shown: long enough to read twice, short enough not to be taken for news. */
export const READ_MS = 8000;

/**
 * A GET answer, fetched on mount, on `reload`, whenever `key` changes and every `everyMs`.
 * Only the newest request may set the answer: an older one that happens to finish last
 * would otherwise put back what a restore or save has just replaced.
 */
export function usePolled<T>(path: string, everyMs: number, key: unknown = null): { data: T | null; error: string; reload(): Promise<void> } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState('');
  const asked = useRef(0);
  const reload = useCallback(async () => {
    const n = ++asked.current;
    try {
      const answer = await platform<T>('GET', path);
      if (n !== asked.current) return;
      setData(answer);
      setError('');
    } catch (e) {
      if (n === asked.current) setError((e as Error).message);
    }
  }, [path]);
  useEffect(() => {
    void reload();
    const timer = setInterval(() => void reload(), everyMs);
    return () => clearInterval(timer);
  }, [reload, everyMs, key]);
  return { data, error, reload };
}

/**
 * A status line that clears itself once read (READ_MS); `lasting` keeps one the staff must
 * act on (a refused save) until the next message, and `show('')` clears at once.
 */
export function useFleeting(): [string, (message: string, lasting?: boolean) => void] {
  const [shown, setShown] = useState({ message: '', lasting: false });
  useEffect(() => {
    if (!shown.message || shown.lasting) return;
    const timer = setTimeout(() => setShown({ message: '', lasting: false }), READ_MS);
    return () => clearTimeout(timer);
  }, [shown]);
  const show = useCallback((message: string, lasting = false) => setShown({ message, lasting }), []);
  return [shown.message, show];
}
