/** The robots' last seven days on the figures page: walks, distance and what went wrong, per robot and day. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { platform } from '../shared/platform.ts';
import type { RobotDayFigures, RobotHistoryAnswer } from '../../protocol/platform-http.ts';
import { TableHead } from './TableHead.tsx';

export function RobotFigures() {
  const { t } = useTranslation();
  const [days, setDays] = useState<RobotDayFigures[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    platform<RobotHistoryAnswer>('GET', '/api/robots/history').then(
      (a) => setDays(a.days),
      (e: Error) => setError(e.message),
    );
  }, []);
  return (
    <>
      <h3>{t('robotFigures.title')}</h3>
      {error ? <p className="bad">{error}</p> : null}
      {days && days.length === 0 ? <p className="muted">{t('robotFigures.none')}</p> : null}
      {days && days.length > 0 ? (
        <table className="grid" aria-label={t('robotFigures.title')}>
          <TableHead
            labels={[
              t('robotFigures.day'),
              t('robotFigures.robot'),
              t('robotFigures.guidance'),
              t('robotFigures.metres'),
              t('robotFigures.blocked'),
              t('robotFigures.aborted'),
              t('robotFigures.linkLost'),
              t('robotFigures.docking'),
              t('robotFigures.notFollowed'),
              t('robotFigures.stops'),
            ]}
          />
          <tbody>
            {days.map((d) => (
              <tr key={`${d.day}|${d.deviceId}`} data-testid="robot-day" data-robot={d.deviceId} data-day={d.day}>
                <td>{d.day}</td>
                <td>{d.deviceId}</td>
                <td>{t('robotFigures.walks', { count: d.guidance, arrived: d.arrived })}</td>
                <td>{t('robotFigures.distance', { count: d.metres })}</td>
                {[d.failures.blocked, d.failures.aborted, d.failures.linkLost, d.failures.docking, d.notFollowed, d.stops].map((n, i) => (
                  <td key={i} className={n > 0 ? 'warn' : ''}>
                    {n}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
