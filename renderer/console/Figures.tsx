/** Today's figures and the bad ratings that still need someone to call back. */
import { useEffect, useState } from 'react';
import { platform } from '../shared/platform.ts';
import type { Figures as FiguresAnswer, Followup, FollowupsAnswer } from '../../protocol/platform-http.ts';
import { fmtTime } from './format.ts';

const LEVELS = ['非常不满意', '不满意', '基本满意', '满意', '非常满意'];

export function Figures({ canClose }: { canClose: boolean }) {
  const [f, setF] = useState<FiguresAnswer | null>(null);
  const [followups, setFollowups] = useState<Followup[]>([]);
  const [notes, setNotes] = useState<Record<string, string>>({});
  const load = async () => {
    setF(await platform<FiguresAnswer>('GET', '/api/figures'));
    setFollowups((await platform<FollowupsAnswer>('GET', '/api/followups?status=open')).followups);
  };
  useEffect(() => {
    void load();
  }, []);
  if (!f) return <p>载入中…</p>;
  const max = Math.max(1, ...f.ratings.byLevel);
  const close = async (id: string) => {
    await platform('POST', `/api/followups/${id}/close`, { note: notes[id] ?? '' });
    await load();
  };
  return (
    <section>
      <h2>今日数据</h2>
      <div className="cards">
        <div className="card">
          <div className="big" data-testid="fig-tickets">{f.tickets.total}</div>
          <div>取号</div>
          <div className="muted small">其中离线 {f.tickets.offline}</div>
        </div>
        <div className="card">
          <div className="big">{f.tickets.averageEstimatedWaitMinutes ?? '—'}</div>
          <div>平均预计等候（分钟）</div>
        </div>
        <div className="card">
          <div className="big" data-testid="fig-ratings">{f.ratings.total}</div>
          <div>评价</div>
          <div className="muted small">满意率 {f.ratings.satisfiedShare === null ? '—' : `${Math.round(f.ratings.satisfiedShare * 100)}%`}</div>
        </div>
        <div className="card attention">
          <div className="big" data-testid="fig-followups">{f.followupsOpen}</div>
          <div>差评待回访</div>
        </div>
        <div className="card">
          <div className="big">
            {f.devices.online}/{f.devices.enrolled}
          </div>
          <div>设备在线</div>
        </div>
      </div>
      <h3>评价分布</h3>
      <div className="bars">
        {LEVELS.map((name, i) => (
          <div key={name} className="bar-row">
            <span className="bar-label">{name}</span>
            <span className={`bar ${i < 2 ? 'bad-bar' : ''}`} style={{ width: `${(f.ratings.byLevel[i] / max) * 60}%` }} />
            <span>{f.ratings.byLevel[i]}</span>
          </div>
        ))}
      </div>
      <h3>差评回访</h3>
      <table className="grid" aria-label="差评回访">
        <thead>
          <tr>
            <th>评价时间</th>
            <th>设备</th>
            <th>等级</th>
            <th>原因</th>
            <th>处理</th>
          </tr>
        </thead>
        <tbody>
          {followups.map((x) => (
            <tr key={x.id} className="followup">
              <td>{fmtTime(x.ratedAt)}</td>
              <td>{x.deviceId}</td>
              <td className="bad">{LEVELS[x.level - 1]}</td>
              <td>
                {x.reasons.join('、')}
                {x.comment ? <div className="muted">“{x.comment}”</div> : null}
              </td>
              <td>
                {canClose ? (
                  <span className="inline">
                    <input placeholder="回访结果" value={notes[x.id] ?? ''} onChange={(e) => setNotes({ ...notes, [x.id]: e.target.value })} aria-label="回访结果" />
                    <button disabled={!notes[x.id]} onClick={() => void close(x.id)}>
                      办结
                    </button>
                  </span>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {followups.length === 0 ? <p className="muted">没有待回访的差评。</p> : null}
    </section>
  );
}
