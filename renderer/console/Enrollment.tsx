/** One-time enrollment codes for new kiosks, tellers and robots. */
import { useEffect, useState } from 'react';
import { platform } from '../shared/platform.ts';
import type { EnrollmentCodeRow, EnrollmentCodesAnswer, MadeEnrollmentCode } from '../../protocol/platform-http.ts';
import { fmtTime } from './format.ts';

const STATE: Record<string, string> = { open: '可用', used: '已使用', expired: '已过期', revoked: '已作废' };

export function Enrollment() {
  const [kind, setKind] = useState('kiosk');
  const [deviceId, setDeviceId] = useState('');
  const [ttl, setTtl] = useState(24);
  const [made, setMade] = useState<{ code: string; expiresAt: string } | null>(null);
  const [codes, setCodes] = useState<EnrollmentCodeRow[]>([]);
  const [error, setError] = useState('');
  const load = () => platform<EnrollmentCodesAnswer>('GET', '/api/enrollment-codes').then((r) => setCodes(r.codes));
  useEffect(() => {
    void load();
  }, []);
  const create = async () => {
    setError('');
    try {
      setMade(await platform<MadeEnrollmentCode>('POST', '/api/enrollment-codes', { kind, deviceId: deviceId || undefined, ttlHours: ttl }));
      await load();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <section>
      <h2>注册码</h2>
      <p className="muted">注册码只能使用一次。在终端的“接入平台”界面输入后，终端会获得自己的凭证。</p>
      <div className="form-row">
        <label>
          设备类型
          <select value={kind} onChange={(e) => setKind(e.target.value)} aria-label="设备类型">
            <option value="kiosk">自助终端</option>
            <option value="teller">智慧柜员机</option>
            <option value="robot">大堂机器人</option>
          </select>
        </label>
        <label>
          设备编号（可选）
          <input value={deviceId} onChange={(e) => setDeviceId(e.target.value)} placeholder="如 kiosk-2" aria-label="设备编号" />
        </label>
        <label>
          有效小时
          <input type="number" min={1} max={720} value={ttl} onChange={(e) => setTtl(Number(e.target.value))} aria-label="有效小时" />
        </label>
        <button className="primary" onClick={() => void create()}>
          生成注册码
        </button>
      </div>
      {error ? <p className="bad">{error}</p> : null}
      {made ? (
        <div className="code-card">
          <div className="muted">新的注册码（只显示这一次）</div>
          <div className="code" data-testid="new-code">
            {made.code}
          </div>
          <div className="muted">有效至 {fmtTime(made.expiresAt)}</div>
        </div>
      ) : null}
      <table className="grid" aria-label="注册码列表">
        <thead>
          <tr>
            <th>尾号</th>
            <th>类型</th>
            <th>设备</th>
            <th>状态</th>
            <th>创建</th>
            <th>有效至</th>
          </tr>
        </thead>
        <tbody>
          {codes.map((c, i) => (
            <tr key={i}>
              <td>{c.hint}</td>
              <td>{c.kind}</td>
              <td>{c.deviceId ?? '—'}</td>
              <td>{STATE[c.state] ?? c.state}</td>
              <td>
                {fmtTime(c.createdAt)} · {c.createdBy}
              </td>
              <td>{fmtTime(c.expiresAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
