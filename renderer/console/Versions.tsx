/** Configuration versions: who changed what, how many devices run each, and restoring an earlier one. */
import { useEffect, useState } from 'react';
import { platform } from '../shared/platform.ts';
import type { ConfigSaved, ConfigVersionsAnswer } from '../../protocol/platform-http.ts';
import { fmtTime } from './format.ts';
import { useDraft } from './config-draft.tsx';

export function Versions({ canRestore }: { canRestore: boolean }) {
  const draft = useDraft();
  const [data, setData] = useState<ConfigVersionsAnswer | null>(null);
  const [msg, setMsg] = useState('');
  const load = () => platform<ConfigVersionsAnswer>('GET', '/api/config/versions').then(setData);
  useEffect(() => {
    void load();
  }, [draft.version]);
  if (!data) return <p>载入中…</p>;
  const restore = async (v: number) => {
    if (!confirm(`恢复第 ${v} 版？将生成一个新版本并推送到所有终端。`)) return;
    const r = await platform<ConfigSaved>('POST', '/api/config/restore', { version: v });
    setMsg(`已恢复为第 ${r.version} 版（内容同第 ${v} 版）`);
    await draft.reload();
    await load();
  };
  return (
    <section>
      <h2>配置版本</h2>
      {msg ? <p role="status">{msg}</p> : null}
      <table className="grid" aria-label="配置版本">
        <thead>
          <tr>
            <th>版本</th>
            <th>时间</th>
            <th>修改人</th>
            <th>说明</th>
            <th>运行中的设备</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {data.versions.map((v) => (
            <tr key={v.version} data-version={v.version}>
              <td>
                第 {v.version} 版{v.version === data.current ? <strong>（当前）</strong> : null}
              </td>
              <td>{fmtTime(v.createdAt)}</td>
              <td>{v.createdBy ?? '初始'}</td>
              <td>{v.note ?? ''}</td>
              <td>{v.devices}</td>
              <td>{canRestore && v.version !== data.current ? <button onClick={() => void restore(v.version)}>恢复此版本</button> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
