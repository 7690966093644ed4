/**
 * 故障记录: what went wrong in the hall and how long it took to come back, as a grid of
 * devices by day (the last 30 hall days, each cell the faults begun that day) and the
 * newest faults below it. It reloads by itself, so a fault shows while staff watch.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { platform, PlatformError } from '../shared/platform.ts';
import type { FaultHistoryAnswer } from '../../protocol/platform-http.ts';
import { fmtTime } from './format.ts';
import { TableHead } from './TableHead.tsx';

const RELOAD_MS = 10_000;

/** Colour steps of a cell: none, one, a few, many, very many. */
function heat(count: number): string {
  const step = count === 0 ? 0 : count === 1 ? 1 : count <= 3 ? 2 : count <= 9 ? 3 : 4;
  return `heat heat-${step}`;
}

export function Faults() {
  const { t } = useTranslation();
  const [answer, setAnswer] = useState<FaultHistoryAnswer | null>(null);
  const [error, setError] = useState('');
  const load = () =>
    platform<FaultHistoryAnswer>('GET', '/api/console/faults').then(
      (a) => {
        setAnswer(a);
        setError('');
      },
      (e: Error) => setError(e instanceof PlatformError ? e.message : String(e)),
    );
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), RELOAD_MS);
    return () => clearInterval(timer);
  }, []);

  const kindName = (kind: string) => t(`transactions.deviceKinds.${kind}`, { defaultValue: kind });
  const terminalName = (terminal: string) => (terminal === 'central' ? t('faults.central') : terminal);
  const recovery = (seconds: number | null) => {
    if (seconds === null) return t('faults.ongoing');
    if (seconds < 120) return t('faults.seconds', { count: Math.round(seconds) });
    if (seconds < 7200) return t('faults.minutes', { count: Math.round(seconds / 60) });
    return t('faults.hours', { count: Math.round(seconds / 360) / 10 });
  };

  return (
    <section>
      <h2>{t('faults.title')}</h2>
      <p className="muted">{t('faults.intro')}</p>
      <button onClick={() => void load()}>{t('faults.refresh')}</button>
      {error ? <p className="bad">{error}</p> : null}
      {answer && answer.byDevice.length === 0 && answer.episodes.length === 0 ? <p className="muted">{t('faults.none')}</p> : null}
      {answer && answer.byDevice.length > 0 ? (
        <>
          <h3>{t('faults.grid')}</h3>
          <div className="fault-grid-wrap">
            <table className="grid fault-grid" aria-label={t('faults.grid')}>
              <TableHead labels={[t('faults.terminal'), t('faults.device'), ...answer.days.map((d) => d.slice(5))]} />
              <tbody>
                {answer.byDevice.map((row) => (
                  <tr key={`${row.terminal}|${row.device}`} data-testid="fault-row" data-terminal={row.terminal} data-device={row.device}>
                    <td>{terminalName(row.terminal)}</td>
                    <td>
                      {row.device} <span className="muted small">{kindName(row.kind)}</span>
                    </td>
                    {row.perDay.map((count, i) => (
                      <td key={answer.days[i]} className={heat(count)} data-day={answer.days[i]} title={t('faults.cell', { device: row.device, day: answer.days[i], count })}>
                        {count || ''}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
      {answer && answer.episodes.length > 0 ? (
        <>
          <h3>{t('faults.episodes')}</h3>
          <table className="grid" aria-label={t('faults.episodes')}>
            <TableHead labels={[t('faults.startedAt'), t('faults.terminal'), t('faults.device'), t('faults.recovery'), t('faults.detail'), t('faults.noticedAt')]} />
            <tbody>
              {answer.episodes.map((e) => (
                <tr key={`${e.terminal}|${e.device}|${e.startedAt}`} data-testid="fault-episode" data-terminal={e.terminal} data-device={e.device} data-recovered={e.recoveredAt ? 'yes' : 'no'}>
                  <td>{fmtTime(e.startedAt)}</td>
                  <td>{terminalName(e.terminal)}</td>
                  <td>
                    {e.device} <span className="muted small">{kindName(e.kind)}</span>
                  </td>
                  <td className={e.recoveredAt ? '' : 'bad'}>{recovery(e.recoverSeconds)}</td>
                  <td>{e.detail}</td>
                  <td className="muted">{fmtTime(e.noticedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}
