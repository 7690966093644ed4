/** Sign-in audit: failed staff sign-ins and lockouts, newest first, and lifting a lock. */
import { useEffect, useState } from 'react';
import { platform } from '../shared/platform.ts';
import type { AuthAuditAnswer, AuthAuditEntry, LoginLock } from '../../protocol/platform-http.ts';
import { fmtTime } from './format.ts';
import { useTranslation } from 'react-i18next';
import { TableHead } from './TableHead.tsx';

export function SignIns() {
  const [entries, setEntries] = useState<AuthAuditEntry[]>([]);
  const [locks, setLocks] = useState<LoginLock[]>([]);
  const { t } = useTranslation();
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
      <h2>{t('signIns.title')}</h2>
      <h3>{t('signIns.locks')}</h3>
      {locks.length === 0 ? <p className="muted">{t('signIns.noLocks')}</p> : null}
      <table className="grid" aria-label={t('signIns.locks')}>
        <tbody>
          {locks.map((l) => (
            <tr key={`${l.account ?? ''}|${l.address ?? ''}`}>
              <td>{l.account !== undefined ? t('signIns.account', { account: l.account }) : t('signIns.address', { address: l.address })}</td>
              <td>{t('signIns.until', { time: fmtTime(l.lockedUntil) })}</td>
              <td>{t('signIns.nth', { count: l.lockouts })}</td>
              <td>
                <button onClick={() => void unlock(l)}>{t('signIns.unlock')}</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t('signIns.log')}</h3>
      <table className="grid" aria-label={t('signIns.log')}>
        <TableHead labels={[t('signIns.time'), t('signIns.event'), t('signIns.accountColumn'), t('signIns.addressColumn'), t('signIns.actor')]} />
        <tbody>
          {entries.map((e, i) => (
            <tr key={`${e.at}-${i}`} className={e.event === 'lockout' ? 'bad' : ''}>
              <td>{fmtTime(e.at)}</td>
              <td>{t(`signIns.events.${e.event}`, { defaultValue: e.event })}</td>
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
