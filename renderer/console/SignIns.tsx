/** Sign-in audit: failed staff sign-ins and lockouts, newest first, and lifting a lock. */
import { useEffect, useState } from 'react';
import { api, fmtTime } from './api.ts';
import { useTranslation } from 'react-i18next';
import { TableHead } from './TableHead.tsx';

interface Entry {
  at: string;
  event: 'login-failed' | 'lockout' | 'unlock';
  username: string | null;
  address: string | null;
  actor: string | null;
  detail: string | null;
}
interface Lock {
  account?: string;
  address?: string;
  lockedUntil: string;
  lockouts: number;
}

export function SignIns() {
  const [entries, setEntries] = useState<Entry[]>([]);
  const [locks, setLocks] = useState<Lock[]>([]);
  const { t } = useTranslation();
  const load = async () => {
    const r = await api<{ entries: Entry[]; locks: Lock[] }>('GET', '/api/auth-audit?limit=200');
    setEntries(r.entries);
    setLocks(r.locks);
  };
  const unlock = async (lock: Lock) => {
    await api('POST', '/api/login-locks/unlock', lock.account !== undefined ? { account: lock.account } : { address: lock.address });
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
