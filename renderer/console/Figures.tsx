/** Today's figures and the bad ratings that still need someone to call back. */
import { useEffect, useState } from 'react';
import { platform } from '../shared/platform.ts';
import type { Figures as FiguresAnswer, Followup, FollowupsAnswer } from '../../protocol/platform-http.ts';
import { fmtTime } from './format.ts';
import { useTranslation } from 'react-i18next';
import { TableHead } from './TableHead.tsx';
import { RobotFigures } from './RobotFigures.tsx';
import { CaseFigures } from './CaseFigures.tsx';

export function Figures({ canClose }: { canClose: boolean }) {
  const [f, setF] = useState<FiguresAnswer | null>(null);
  const [followups, setFollowups] = useState<Followup[]>([]);
  const [notes, setNotes] = useState<Record<string, string>>({});
  const { t } = useTranslation();
  const levels = t('figures.levels', { returnObjects: true }) as string[];
  const load = async () => {
    setF(await platform<FiguresAnswer>('GET', '/api/figures'));
    setFollowups((await platform<FollowupsAnswer>('GET', '/api/followups?status=open')).followups);
  };
  useEffect(() => {
    void load();
  }, []);
  if (!f) return <p>{t('loading')}</p>;
  const max = Math.max(1, ...f.ratings.byLevel);
  const close = async (id: string) => {
    await platform('POST', `/api/followups/${id}/close`, { note: notes[id] ?? '' });
    await load();
  };
  return (
    <section>
      <h2>{t('figures.title')}</h2>
      <div className="cards">
        <div className="card">
          <div className="big" data-testid="fig-tickets">{f.tickets.total}</div>
          <div>{t('figures.tickets')}</div>
          <div className="muted small">{t('figures.offline', { count: f.tickets.offline })}</div>
        </div>
        <div className="card">
          <div className="big">{f.tickets.averageEstimatedWaitMinutes ?? '—'}</div>
          <div>{t('figures.averageWait')}</div>
        </div>
        <div className="card">
          <div className="big" data-testid="fig-ratings">{f.ratings.total}</div>
          <div>{t('figures.ratings')}</div>
          <div className="muted small">{t('figures.satisfied', { share: f.ratings.satisfiedShare === null ? '—' : `${Math.round(f.ratings.satisfiedShare * 100)}%` })}</div>
        </div>
        <div className="card attention">
          <div className="big" data-testid="fig-followups">{f.followupsOpen}</div>
          <div>{t('figures.followupsOpen')}</div>
        </div>
        <div className="card">
          <div className="big">
            {f.devices.online}/{f.devices.enrolled}
          </div>
          <div>{t('figures.devicesOnline')}</div>
        </div>
      </div>
      <h3>{t('figures.distribution')}</h3>
      <div className="bars">
        {levels.map((name, i) => (
          <div key={name} className="bar-row">
            <span className="bar-label">{name}</span>
            <span className={`bar ${i < 2 ? 'bad-bar' : ''}`} style={{ width: `${(f.ratings.byLevel[i] / max) * 60}%` }} />
            <span>{f.ratings.byLevel[i]}</span>
          </div>
        ))}
      </div>
      <CaseFigures />
      <RobotFigures />
      <h3>{t('figures.followups')}</h3>
      <table className="grid" aria-label={t('figures.followups')}>
        <TableHead labels={[t('figures.ratedAt'), t('figures.device'), t('figures.level'), t('figures.reasons'), t('figures.action')]} />
        <tbody>
          {followups.map((x) => (
            <tr key={x.id} className="followup">
              <td>{fmtTime(x.ratedAt)}</td>
              <td>{x.deviceId}</td>
              <td className="bad">{levels[x.level - 1]}</td>
              <td>
                {x.reasons.join(t('listSeparator'))}
                {x.comment ? <div className="muted">“{x.comment}”</div> : null}
              </td>
              <td>
                {canClose ? (
                  <span className="inline">
                    <input placeholder={t('figures.result')} value={notes[x.id] ?? ''} onChange={(e) => setNotes({ ...notes, [x.id]: e.target.value })} aria-label={t('figures.result')} />
                    <button disabled={!notes[x.id]} onClick={() => void close(x.id)}>
                      {t('finish')}
                    </button>
                  </span>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {followups.length === 0 ? <p className="muted">{t('figures.noFollowups')}</p> : null}
    </section>
  );
}
