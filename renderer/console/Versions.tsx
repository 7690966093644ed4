/** Configuration versions: who changed what, how many devices run each, and restoring an earlier one. */
import { platform } from '../shared/platform.ts';
import type { ConfigSaved, ConfigVersionsAnswer } from '../../protocol/platform-http.ts';
import { fmtTime } from './format.ts';
import { useDraft } from './config-draft.tsx';
import { useTranslation } from 'react-i18next';
import { TableHead } from './TableHead.tsx';
import { useFleeting, usePolled } from './live.ts';

/** Terminals report the version they run as they apply it; the list follows them and other staff's saves. */
const REFRESH_MS = 3000;

export function Versions({ canRestore }: { canRestore: boolean }) {
  const draft = useDraft();
  const { data, reload } = usePolled<ConfigVersionsAnswer>('/api/config/versions', REFRESH_MS, draft.version);
  const [msg, setMsg] = useFleeting();
  const { t } = useTranslation();
  if (!data) return <p>{t('loading')}</p>;
  const restore = async (v: number) => {
    if (!confirm(t('versions.confirmRestore', { version: v }))) return;
    let r: ConfigSaved;
    try {
      r = await platform<ConfigSaved>('POST', '/api/config/restore', { version: v });
    } catch (err) {
      setMsg(t('versions.failed', { reason: (err as Error).message }), true);
      return;
    }
    // The list is refreshed before the message shows, so the two never disagree.
    await reload();
    setMsg(t('versions.restored', { version: r.version, from: v }));
    await draft.reload();
  };
  return (
    <section>
      <h2>{t('versions.title')}</h2>
      {msg ? <p role="status">{msg}</p> : null}
      <table className="grid" aria-label={t('versions.title')}>
        <TableHead labels={[t('versions.version'), t('versions.time'), t('versions.by'), t('versions.note'), t('versions.devices'), '']} />
        <tbody>
          {data.versions.map((v) => (
            <tr key={v.version} data-version={v.version}>
              <td>
                {t('version', { version: v.version })}{v.version === data.current ? <strong>{t('versions.current')}</strong> : null}
              </td>
              <td>{fmtTime(v.createdAt)}</td>
              <td>{v.createdBy ?? t('versions.initial')}</td>
              <td>{v.note ?? ''}</td>
              <td>{v.devices}</td>
              <td>{canRestore && v.version !== data.current ? <button onClick={() => void restore(v.version)}>{t('versions.restore')}</button> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
