/** Sign-in audit: failed staff sign-ins and lockouts, newest first, and lifting a lock. */
import { useEffect, useState } from 'react';
import { platform } from '../shared/platform.ts';
import type { AuthAuditAnswer, AuthAuditEntry, LoginLock } from '../../protocol/platform-http.ts';
import { fmtTime } from './format.ts';

const EVENT_NAMES: Record<AuthAuditEntry['event'], string> = { 'login-failed': '登录失败', lockout: '锁定', unlock: '解除锁定' };

export function SignIns() {
  const [entries, setEntries] = useState<AuthAuditEntry[]>([]);
  const [locks, setLocks] = useState<LoginLock[]>([]);
  const load = async () => {
    const r = await platform<AuthAuditAnswer>('GET', '/api/auth-audit?limit=200');
    setEntries(r.entries);
    setLocks(r.locks);
  };
  const unlock = async (lock: LoginLock) => {
    await platform('POST', '/api/login-locks/unlock', lock.account !== undefined ? { account: lock.account } : { address: lock.address });
    await load();
  };
  useEffect(() => {
    void load();
  }, []);
  return (
    <section>
      <h2>登录安全</h2>
      <h3>当前锁定</h3>
      {locks.length === 0 ? <p className="muted">没有被锁定的账号或地址。</p> : null}
      <table className="grid" aria-label="当前锁定">
        <tbody>
          {locks.map((l) => (
            <tr key={`${l.account ?? ''}|${l.address ?? ''}`}>
              <td>{l.account !== undefined ? `账号 ${l.account}` : `地址 ${l.address}`}</td>
              <td>至 {fmtTime(l.lockedUntil)}</td>
              <td>第 {l.lockouts} 次</td>
              <td>
                <button onClick={() => void unlock(l)}>解除锁定</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>登录记录</h3>
      <table className="grid" aria-label="登录记录">
        <thead>
          <tr>
            <th>时间</th>
            <th>事件</th>
            <th>账号</th>
            <th>地址</th>
            <th>操作人</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e, i) => (
            <tr key={`${e.at}-${i}`} className={e.event === 'lockout' ? 'bad' : ''}>
              <td>{fmtTime(e.at)}</td>
              <td>{EVENT_NAMES[e.event] ?? e.event}</td>
              <td>{e.username ?? '—'}</td>
              <td>{e.address ?? '—'}</td>
              <td>{e.actor ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
