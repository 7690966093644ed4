/** Every enrolled kiosk, teller and robot: online, configuration version, printer paper, reader state. */
import { useEffect, useState } from 'react';
import { platform } from '../shared/platform.ts';
import type { DeviceRow, DevicesAnswer } from '../../protocol/platform-http.ts';
import { fmtTime } from './format.ts';

const STATE: Record<string, string> = { ok: '正常', absent: '未连接', faulty: '故障' };
const PAPER: Record<string, string> = { ok: '充足', 'near-end': '将尽', out: '缺纸' };

export function Devices({ canManage }: { canManage: boolean }) {
  const [data, setData] = useState<DevicesAnswer | null>(null);
  const [error, setError] = useState('');
  const load = () =>
    platform<DevicesAnswer>('GET', '/api/devices')
      .then((d) => (setData(d), setError('')))
      .catch((e: Error) => setError(e.message));
  useEffect(() => {
    void load();
    const t = setInterval(load, 5000);
    return () => clearInterval(t);
  }, []);
  if (!data) return <p>{error || '载入中…'}</p>;
  const revoke = async (id: string) => {
    if (!confirm(`吊销 ${id} 的凭证？该设备将立即断开，需用新的注册码重新注册。`)) return;
    await platform('POST', `/api/devices/${encodeURIComponent(id)}/revoke`);
    await load();
  };
  const printer = (d: DeviceRow) => d.health.find((h) => h.kind === 'printer');
  const reader = (d: DeviceRow) => d.health.find((h) => h.kind === 'idcard');
  return (
    <section>
      <h2>设备状态</h2>
      <p className="muted">当前配置版本：第 {data.currentConfigVersion} 版 · 每 5 秒刷新</p>
      <table className="grid" aria-label="设备列表">
        <thead>
          <tr>
            <th>设备</th>
            <th>类型</th>
            <th>在线</th>
            <th>配置版本</th>
            <th>打印机纸张</th>
            <th>身份证读卡器</th>
            <th>待上传</th>
            <th>最后联系</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {data.devices.map((d) => {
            const p = printer(d);
            const r = reader(d);
            return (
              <tr key={d.id} data-device={d.id} className={d.revoked ? 'revoked' : ''}>
                <td>
                  <strong>{d.id}</strong>
                  <div className="muted">{d.name}</div>
                </td>
                <td>{d.kind}</td>
                <td>
                  <span className={`dot ${d.revoked ? 'bad' : d.online ? 'ok' : 'off'}`} />
                  <span className="online-state">{d.revoked ? '已吊销' : d.online ? '在线' : '离线'}</span>
                </td>
                <td className={d.configVersion === data.currentConfigVersion ? '' : 'warn'}>
                  <span className="config-version">第 {d.configVersion} 版</span>
                  {d.configError ? <div className="bad small">{d.configError}</div> : null}
                </td>
                <td className={p?.paper === 'out' ? 'bad' : p?.paper === 'near-end' ? 'warn' : ''}>
                  {p ? (p.state !== 'ok' ? STATE[p.state] : PAPER[p.paper ?? 'ok']) : '—'}
                </td>
                <td className={r && r.state !== 'ok' ? 'bad' : ''}>{r ? STATE[r.state] + (r.detail ? `（${r.detail}）` : '') : '—'}</td>
                <td>{d.pending}</td>
                <td>{fmtTime(d.lastSeen)}</td>
                <td>{canManage && !d.revoked ? <button onClick={() => void revoke(d.id)}>吊销</button> : null}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {data.devices.length === 0 ? <p className="muted">尚无设备注册。请在“注册码”页生成注册码。</p> : null}
    </section>
  );
}
