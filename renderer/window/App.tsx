/**
 * The window terminal (窗口叫号终端): a staff member signs in, takes a window and works
 * its line — call, recall, no-show, start, finish, transfer, pause. Waiting counts
 * arrive live from the platform's display feed.
 */
import { useCallback, useEffect, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { DisplayEvents, DisplaySnapshot, WindowStatus } from '../../protocol/queue-views.ts';
import { platform, PlatformError } from '../shared/platform.ts';
import type { SignedIn, WindowAnswer, WindowsAnswer } from '../../protocol/platform-http.ts';

const STATE_TEXT: Record<string, string> = { closed: '未开启', open: '服务中', paused: '暂停服务' };
const TICKET_TEXT: Record<string, string> = { called: '已呼叫，等待到窗', serving: '正在办理' };

function Login({ onDone }: { onDone: () => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      className="login card"
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        platform('POST', '/api/login', { username, password }).then(onDone, (err: Error) => setError(err instanceof PlatformError && err.status === 401 ? '用户名或密码不正确' : err.message));
      }}
    >
      <h1>窗口叫号终端</h1>
      <label>
        用户名
        <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} />
      </label>
      <label>
        密码
        <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      {error && <p role="alert" className="error">{error}</p>}
      <button className="primary" type="submit">登录</button>
    </form>
  );
}

export function App() {
  const [me, setMe] = useState<SignedIn['user'] | null | undefined>(undefined);
  const [list, setList] = useState<WindowsAnswer | null>(null);
  const [windowId, setWindowId] = useState<string | null>(() => localStorage.getItem('xj.window'));
  const [status, setStatus] = useState<WindowStatus | null>(null);
  const [snapshot, setSnapshot] = useState<DisplaySnapshot | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [transferTo, setTransferTo] = useState('');
  const [busy, setBusy] = useState(false);

  const whoAmI = useCallback(() => {
    platform<SignedIn>('GET', '/api/me').then(
      (m) => setMe(m.user),
      () => setMe(null),
    );
  }, []);
  useEffect(whoAmI, [whoAmI]);

  useEffect(() => {
    if (!me) return;
    platform<WindowsAnswer>('GET', '/api/queue/windows').then(setList, (e: Error) => setMessage(e.message));
  }, [me]);

  useEffect(() => {
    if (!me || !windowId) return;
    platform<WindowAnswer>('POST', `/api/queue/windows/${windowId}/open`).then(
      (r) => setStatus(r.window),
      (e: Error) => setMessage(e.message),
    );
  }, [me, windowId]);

  useEffect(() => {
    if (!me) return;
    const socket: Socket<DisplayEvents> = io('/display', { transports: ['websocket'] });
    socket.on('queue:state', (s) => setSnapshot(s));
    return () => {
      socket.close();
    };
  }, [me]);

  // Another terminal or node may change this window (a manager closing it): follow the feed.
  useEffect(() => {
    if (!me || !windowId || !snapshot) return;
    platform<WindowAnswer>('GET', `/api/queue/windows/${windowId}`).then((r) => setStatus(r.window), () => {});
  }, [snapshot, me, windowId]);

  const act = async (op: string, body?: unknown) => {
    if (!windowId) return;
    setBusy(true);
    setMessage(null);
    try {
      const r = await platform<WindowAnswer>('POST', `/api/queue/windows/${windowId}/${op}`, body);
      setStatus(r.window);
      if (op === 'call-next' && !r.call) setMessage('当前没有等候的群众');
      if (op === 'close') {
        localStorage.removeItem('xj.window');
        setWindowId(null);
        setStatus(null);
      }
    } catch (e) {
      setMessage((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  if (me === undefined) return <main className="window-terminal"><p>正在连接服务平台…</p></main>;
  if (me === null) return <main className="window-terminal"><Login onDone={whoAmI} /></main>;
  if (!windowId || !list) {
    return (
      <main className="window-terminal">
        <h1>请选择您的窗口</h1>
        {message && <p role="alert" className="error">{message}</p>}
        <ul className="window-picker">
          {list?.windows.map((w) => (
            <li key={w.windowId}>
              <button
                data-window={w.windowId}
                onClick={() => {
                  localStorage.setItem('xj.window', w.windowId);
                  setWindowId(w.windowId);
                }}
              >
                <strong>{w.windowId}</strong>
                <small>{w.groups.map((g) => list.groups.find((x) => x.id === g)?.name ?? g).join('、')}</small>
              </button>
            </li>
          ))}
        </ul>
      </main>
    );
  }

  const current = status?.current ?? null;
  const groupName = (id: string) => list.groups.find((g) => g.id === id)?.name ?? id;
  const lines = snapshot?.groups.filter((g) => status?.groups.includes(g.groupId)) ?? [];
  const needed = list.recallsBeforeNoShow;
  return (
    <main className="window-terminal" data-testid="window-terminal">
      <header>
        <h1>{status?.name ?? windowId}</h1>
        <span className={`badge ${status?.state}`} data-testid="window-state">{STATE_TEXT[status?.state ?? 'closed']}</span>
        <span className="who">{me.displayName}</span>
      </header>
      <section className="current card" aria-live="polite">
        <h2>当前号码</h2>
        {current ? (
          <>
            <p className="number" data-testid="current-number">{current.number}</p>
            <p>{groupName(current.groupId)} · {TICKET_TEXT[current.state] ?? current.state}{current.recalls ? ` · 已重呼 ${current.recalls} 次` : ''}{current.cls > 0 ? ' · 优先' : ''}</p>
          </>
        ) : (
          <p className="number idle" data-testid="current-number">—</p>
        )}
      </section>
      <section className="actions">
        <button className="primary big" data-action="call-next" disabled={busy || !!current || status?.state !== 'open'} onClick={() => act('call-next')}>叫号</button>
        <button data-action="recall" disabled={busy || current?.state !== 'called'} onClick={() => act('recall')}>重呼</button>
        <button data-action="start" disabled={busy || current?.state !== 'called'} onClick={() => act('start')}>开始办理</button>
        <button data-action="finish" disabled={busy || current?.state !== 'serving'} onClick={() => act('finish')}>办结</button>
        <button data-action="no-show" disabled={busy || current?.state !== 'called' || current.recalls < needed} title={`重呼 ${needed} 次后可标记过号`} onClick={() => act('no-show')}>过号</button>
        <span className="transfer">
          <select aria-label="转移到" value={transferTo} onChange={(e) => setTransferTo(e.target.value)}>
            <option value="">转移到…</option>
            {list.groups.filter((g) => g.id !== current?.groupId).map((g) => (
              <option key={g.id} value={g.id}>{g.name}</option>
            ))}
          </select>
          <button data-action="transfer" disabled={busy || !current || !transferTo} onClick={() => act('transfer', { groupId: transferTo })}>转移</button>
        </span>
        {status?.state === 'paused' ? (
          <button data-action="resume" disabled={busy} onClick={() => act('resume')}>恢复服务</button>
        ) : (
          <button data-action="pause" disabled={busy || !!current || status?.state !== 'open'} onClick={() => act('pause')}>暂停服务</button>
        )}
        <button data-action="close" disabled={busy || !!current} onClick={() => act('close')}>关闭窗口</button>
      </section>
      {message && <p role="status" className="message">{message}</p>}
      <section className="lines card">
        <h2>等候人数</h2>
        <ul>
          {lines.map((l) => (
            <li key={l.groupId} data-group={l.groupId}>
              <span>{l.prefix} {l.name}</span>
              <strong>{l.waiting}</strong>
              {l.priorityWaiting > 0 && <small>其中优先 {l.priorityWaiting}</small>}
            </li>
          ))}
        </ul>
        <p className="total">本窗口可叫：<strong data-testid="window-waiting">{status?.waiting ?? 0}</strong> 人</p>
      </section>
    </main>
  );
}
