/** Every enrolled kiosk, teller and robot: online, configuration version, printer paper, reader state, voice stages. */
import { useEffect, useState } from 'react';
import { platform } from '../shared/platform.ts';
import type { DeviceHealthRow, DeviceRow, DevicesAnswer } from '../../protocol/platform-http.ts';
import { fmtTime } from './format.ts';
import { useTranslation } from 'react-i18next';
import { TableHead } from './TableHead.tsx';
import { RobotControls } from './RobotControls.tsx';

export function Devices({ canManage }: { canManage: boolean }) {
  const [data, setData] = useState<DevicesAnswer | null>(null);
  const [error, setError] = useState('');
  const { t } = useTranslation();
  const load = () =>
    platform<DevicesAnswer>('GET', '/api/devices')
      .then((d) => (setData(d), setError('')))
      .catch((e: Error) => setError(e.message));
  useEffect(() => {
    void load();
    const timer = setInterval(load, 5000);
    return () => clearInterval(timer);
  }, []);
  if (!data) return <p>{error || t('loading')}</p>;
  const revoke = async (id: string) => {
    if (!confirm(t('devices.confirmRevoke', { id }))) return;
    await platform('POST', `/api/devices/${encodeURIComponent(id)}/revoke`);
    await load();
  };
  // The robot's answer to a console command is shown at once, before the next refresh.
  const showRobot = (id: string, robot: DeviceRow['robot']) => setData((cur) => cur && { ...cur, devices: cur.devices.map((x) => (x.id === id ? { ...x, robot } : x)) });
  const printer = (d: DeviceRow) => d.health.find((h) => h.kind === 'printer');
  const reader = (d: DeviceRow) => d.health.find((h) => h.kind === 'idcard');
  return (
    <section>
      <h2>{t('devices.title')}</h2>
      <p className="muted">{t('devices.summary', { version: data.currentConfigVersion })}</p>
      <table className="grid" aria-label={t('devices.list')}>
        <TableHead labels={[t('devices.device'), t('devices.kind'), t('devices.online'), t('devices.configVersion'), t('devices.paper'), t('devices.reader'), t('devices.voice'), t('devices.pending'), t('devices.lastSeen'), '']} />
        <tbody>
          {data.devices.map((d) => {
            const p = printer(d);
            const r = reader(d);
            return (
              <tr key={d.id} data-device={d.id} className={d.revoked ? 'revoked' : ''}>
                <td>
                  <strong>{d.id}</strong>
                  <div className="muted">{d.name}</div>
                  {d.robot ? (
                    <div className={d.robot.state === 'fault' || d.robot.state === 'stopped' ? 'bad small' : 'small'} data-testid="robot-guide" data-state={d.robot.state}>
                      {t(`devices.robot.${d.robot.state}`)}
                      {d.robot.battery !== null ? ` · ${t('devices.battery', { count: Math.round(d.robot.battery) })}` : ''}
                      {d.robot.position ? ` · ${d.robot.floor ?? ''} (${d.robot.position.x.toFixed(1)}, ${d.robot.position.y.toFixed(1)})` : ''}
                      {d.robot.reason ? ` · ${d.robot.reason}` : ''}
                    </div>
                  ) : null}
                </td>
                <td>{d.kind}</td>
                <td>
                  <span className={`dot ${d.revoked ? 'bad' : d.online ? 'ok' : 'off'}`} />
                  <span className="online-state">{d.revoked ? t('devices.revoked') : d.online ? t('devices.online') : t('devices.offline')}</span>
                </td>
                <td className={d.configVersion === data.currentConfigVersion ? '' : 'warn'}>
                  <span className="config-version">{t('version', { version: d.configVersion })}</span>
                  {d.configError ? <div className="bad small">{d.configError}</div> : null}
                </td>
                <td className={p?.paper === 'out' ? 'bad' : p?.paper === 'near-end' ? 'warn' : ''}>
                  {p ? (p.state !== 'ok' ? t(`devices.state.${p.state}`) : t(`devices.paperState.${p.paper ?? 'ok'}`)) : '—'}
                </td>
                <td className={r && r.state !== 'ok' ? 'bad' : ''}>{r ? t(`devices.state.${r.state}`) + (r.detail ? t('devices.detail', { detail: r.detail }) : '') : '—'}</td>
                <VoiceStages health={d.health} />
                <td>{d.pending}</td>
                <td>{fmtTime(d.lastSeen)}</td>
                <td>
                  {d.kind === 'robot' && !d.revoked ? <RobotControls device={d} canResume={canManage} onChanged={(robot) => showRobot(d.id, robot)} /> : null}
                  {canManage && !d.revoked ? <button onClick={() => void revoke(d.id)}>{t('devices.revoke')}</button> : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {data.devices.length === 0 ? <p className="muted">{t('devices.noDevices')}</p> : null}
    </section>
  );
}

/** A robot's voice stages (vad, kws, stt, tts), each installed or not with the reason; '—' for a terminal without voice. */
export function VoiceStages({ health }: { health: DeviceHealthRow[] }) {
  const { t } = useTranslation();
  const v = health.filter((h) => h.kind === 'voice');
  return (
    <td className={v.some((h) => h.state === 'faulty') ? 'bad' : v.some((h) => h.state !== 'ok') ? 'warn' : ''}>
      {v.length
        ? v.map((h) => (
            <div key={h.id} className="voice-stage" data-stage={h.id}>
              {h.id.replace(/^voice-/, '')} {t(`devices.voiceState.${h.state}`)}
              {h.detail ? <div className="muted small">{h.detail}</div> : null}
            </div>
          ))
        : '—'}
    </td>
  );
}
