/**
 * A robot's 急停 and 恢复 in the device list. The stop answers as soon as the robot has
 * canceled its goal; a robot the platform cannot reach is said so at once, so staff turn
 * to the robot's own stop button rather than wait.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { platform } from '../shared/platform.ts';
import type { DeviceRow, RobotCommandAnswer } from '../../protocol/platform-http.ts';

export function RobotControls({ device, canResume, onChanged }: { device: DeviceRow; canResume: boolean; onChanged: (robot: RobotCommandAnswer['robot']) => void }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const send = async (command: 'estop' | 'resume') => {
    setBusy(true);
    setError('');
    try {
      onChanged((await platform<RobotCommandAnswer>('POST', `/api/robots/${encodeURIComponent(device.id)}/${command}`)).robot);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const stopped = device.robot?.state === 'stopped';
  return (
    <div className="robot-controls">
      <button className="danger" data-testid="robot-estop" disabled={busy} onClick={() => void send('estop')}>
        {t('devices.estop')}
      </button>
      {stopped && canResume ? (
        <button data-testid="robot-resume" disabled={busy} onClick={() => void send('resume')}>
          {t('devices.resume')}
        </button>
      ) : null}
      {error ? (
        <div className="bad small" role="alert">
          {error}
        </div>
      ) : null}
    </div>
  );
}
