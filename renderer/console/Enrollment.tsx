/** One-time enrollment codes for new kiosks, tellers and robots. */
import { useEffect, useState } from 'react';
import { platform } from '../shared/platform.ts';
import type { EnrollmentCodeRow, EnrollmentCodesAnswer, MadeEnrollmentCode } from '../../protocol/platform-http.ts';
import { fmtTime } from './format.ts';
import { useTranslation } from 'react-i18next';
import { TableHead } from './TableHead.tsx';

export function Enrollment() {
  const [kind, setKind] = useState('kiosk');
  const [deviceId, setDeviceId] = useState('');
  const [ttl, setTtl] = useState(24);
  const [made, setMade] = useState<{ code: string; expiresAt: string } | null>(null);
  const [codes, setCodes] = useState<EnrollmentCodeRow[]>([]);
  const [error, setError] = useState('');
  const { t } = useTranslation();
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
      <h2>{t('enrollment.title')}</h2>
      <p className="muted">{t('enrollment.intro')}</p>
      <div className="form-row">
        <label>
          {t('enrollment.kind')}
          <select value={kind} onChange={(e) => setKind(e.target.value)} aria-label={t('enrollment.kind')}>
            <option value="kiosk">{t('enrollment.kinds.kiosk')}</option>
            <option value="teller">{t('enrollment.kinds.teller')}</option>
            <option value="robot">{t('enrollment.kinds.robot')}</option>
          </select>
        </label>
        <label>
          {t('enrollment.deviceIdOptional')}
          <input value={deviceId} onChange={(e) => setDeviceId(e.target.value)} placeholder={t('enrollment.deviceIdExample')} aria-label={t('enrollment.deviceId')} />
        </label>
        <label>
          {t('enrollment.hours')}
          <input type="number" min={1} max={720} value={ttl} onChange={(e) => setTtl(Number(e.target.value))} aria-label={t('enrollment.hours')} />
        </label>
        <button className="primary" onClick={() => void create()}>
          {t('enrollment.create')}
        </button>
      </div>
      {error ? <p className="bad">{error}</p> : null}
      {made ? (
        <div className="code-card">
          <div className="muted">{t('enrollment.newCode')}</div>
          <div className="code" data-testid="new-code">
            {made.code}
          </div>
          <div className="muted">{t('enrollment.validUntil', { time: fmtTime(made.expiresAt) })}</div>
        </div>
      ) : null}
      <table className="grid" aria-label={t('enrollment.list')}>
        <TableHead labels={[t('enrollment.hint'), t('enrollment.type'), t('enrollment.device'), t('enrollment.state'), t('enrollment.created'), t('enrollment.expires')]} />
        <tbody>
          {codes.map((c, i) => (
            <tr key={i}>
              <td>{c.hint}</td>
              <td>{c.kind}</td>
              <td>{c.deviceId ?? '—'}</td>
              <td>{t(`enrollment.states.${c.state}`, { defaultValue: c.state })}</td>
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
