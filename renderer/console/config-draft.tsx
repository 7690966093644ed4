/**
 * The configuration being edited. Every editor changes one shared draft; "保存为新版本"
 * sends it whole with the version it was based on, and the platform validates it with
 * the same schemas the kiosks use.
 */
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import type { HallConfig } from '../../config/schema.ts';
import { platform, PlatformError } from '../shared/platform.ts';
import type { ConfigAnswer, ConfigSaved } from '../../protocol/platform-http.ts';
import { useTranslation } from 'react-i18next';
import { useFleeting } from './live.ts';

interface Draft {
  version: number;
  config: HallConfig | null;
  dirty: boolean;
  edit(fn: (c: HallConfig) => void): void;
  save(note: string): Promise<void>;
  discard(): void;
  reload(): Promise<void>;
  problems: { path: string; message: string }[];
  message: string;
}

const Ctx = createContext<Draft | null>(null);

export function useDraft(): Draft {
  const d = useContext(Ctx);
  if (!d) throw new Error('useDraft outside DraftProvider');
  return d;
}

export function DraftProvider({ children }: { children: ReactNode }) {
  const [version, setVersion] = useState(0);
  const [saved, setSaved] = useState<HallConfig | null>(null);
  const [config, setConfig] = useState<HallConfig | null>(null);
  const [dirty, setDirty] = useState(false);
  const [problems, setProblems] = useState<{ path: string; message: string }[]>([]);
  const [message, setMessage] = useFleeting();
  const { t } = useTranslation();

  const reload = useCallback(async () => {
    const r = await platform<ConfigAnswer>('GET', '/api/config');
    setVersion(r.version);
    setSaved(r.config);
    setConfig(structuredClone(r.config));
    setDirty(false);
    setProblems([]);
  }, []);

  useEffect(() => {
    void reload();
  }, [reload]);

  const edit = useCallback((fn: (c: HallConfig) => void) => {
    setConfig((c) => {
      if (!c) return c;
      const next = structuredClone(c);
      fn(next);
      return next;
    });
    setDirty(true);
    setMessage('');
  }, []);

  const save = useCallback(
    async (note: string) => {
      try {
        const r = await platform<ConfigSaved>('POST', '/api/config', { config, baseVersion: version, note: note || undefined });
        await reload();
        setMessage(t('draft.saved', { version: r.version }));
      } catch (err) {
        const e = err as PlatformError;
        setProblems(((e.detail as { problems?: { path: string; message: string }[] })?.problems ?? []).slice(0, 20));
        setMessage(e.code === 'conflict' ? t('draft.conflict') : t('draft.failed', { reason: e.message }), true);
      }
    },
    [config, version, reload, setMessage, t],
  );

  const discard = useCallback(() => {
    setConfig(saved ? structuredClone(saved) : null);
    setDirty(false);
    setProblems([]);
    setMessage('');
  }, [saved]);

  return <Ctx.Provider value={{ version, config, dirty, edit, save, discard, reload, problems, message }}>{children}</Ctx.Provider>;
}

export function SaveBar() {
  const d = useDraft();
  const [note, setNote] = useState('');
  const { t } = useTranslation();
  if (!d.dirty && !d.message) return null;
  return (
    <div className="savebar" role="region" aria-label={t('draft.region')}>
      {d.dirty ? (
        <>
          <span>{t('draft.unsaved', { version: d.version })}</span>
          <input placeholder={t('draft.note')} value={note} onChange={(e) => setNote(e.target.value)} aria-label={t('draft.noteLabel')} />
          <button className="primary" onClick={() => void d.save(note).then(() => setNote(''))}>
            {t('draft.save')}
          </button>
          <button onClick={d.discard}>{t('draft.discard')}</button>
        </>
      ) : null}
      {d.message ? <span className="savebar-msg" role="status">{d.message}</span> : null}
      {d.problems.length ? (
        <ul className="problems">
          {d.problems.map((p, i) => (
            <li key={i}>
              <code>{p.path}</code> {p.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** Move element i of a list by delta, in place. */
export function move<T>(list: T[], i: number, delta: number): void {
  const j = i + delta;
  if (j < 0 || j >= list.length) return;
  [list[i], list[j]] = [list[j], list[i]];
}
