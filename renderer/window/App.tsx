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
import { useTranslation } from 'react-i18next';
import { LangSwitch } from '../i18n/LangSwitch.tsx';
import { CalledService } from './CalledService.tsx';
import { HelpAlerts } from '../shared/HelpAlerts.tsx';
import { CasePanel } from './CasePanel.tsx';

function Login({ onDone }: { onDone: () => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const { t } = useTranslation();
  return (
    <form
      className="login card"
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        platform('POST', '/api/login', { username, password }).then(onDone, (err: Error) => setError(err instanceof PlatformError && err.status === 401 ? t('badLogin') : err.message));
      }}
    >
      <LangSwitch remember />
      <h1>{t('title')}</h1>
      <label>
        {t('username')}
        <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} />
      </label>
      <label>
        {t('password')}
        <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      {error && <p role="alert" className="error">{error}</p>}
      <button className="primary" type="submit">{t('signIn')}</button>
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
  const { t } = useTranslation();

  // Signing out leaves the window as it is (a clerk may hand over to the next shift) but ends this session.
  const signOut = () => {
    void platform('POST', '/api/logout').finally(() => {
      setStatus(null);
      setMe(null);
    });
  };
  const signOutButton = (
    <button className="sign-out" data-action="sign-out" onClick={signOut}>
      {t('signOut')}
    </button>
  );

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
      if (op === 'call-next' && !r.call) setMessage(t('noneWaiting'));
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

  if (me === undefined) return <main className="window-terminal"><p>{t('connecting')}</p></main>;
  if (me === null) return <main className="window-terminal"><Login onDone={whoAmI} /></main>;
  if (!windowId || !list) {
    return (
      <main className="window-terminal">
        <LangSwitch remember />
        {signOutButton}
        <h1>{t('pickWindow')}</h1>
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
                <small>{w.groups.map((g) => list.groups.find((x) => x.id === g)?.name ?? g).join(t('listSeparator'))}</small>
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
        <span className={`badge ${status?.state}`} data-testid="window-state">{t(`state.${status?.state ?? 'closed'}`)}</span>
        <span className="who">{me.displayName}</span>
        <LangSwitch remember />
        {signOutButton}
      </header>
      <HelpAlerts />
      <section className="current card" aria-live="polite">
        <h2>{t('current')}</h2>
        {current ? (
          <>
            <p className="number" data-testid="current-number">{current.number}</p>
            <CalledService service={current.service} />
            <p>{groupName(current.groupId)} · {t(`ticket.${current.state}`, { defaultValue: current.state })}{current.recalls ? ` · ${t('recalled', { count: current.recalls })}` : ''}{current.cls > 0 ? ` · ${t('priority')}` : ''}</p>
          </>
        ) : (
          <p className="number idle" data-testid="current-number">—</p>
        )}
      </section>
      <section className="actions">
        <button className="primary big" data-action="call-next" disabled={busy || !!current || status?.state !== 'open'} onClick={() => act('call-next')}>{t('action.callNext')}</button>
        <button data-action="recall" disabled={busy || current?.state !== 'called'} onClick={() => act('recall')}>{t('action.recall')}</button>
        <button data-action="start" disabled={busy || current?.state !== 'called'} onClick={() => act('start')}>{t('action.start')}</button>
        <button data-action="finish" disabled={busy || current?.state !== 'serving'} onClick={() => act('finish')}>{t('action.finish')}</button>
        <button data-action="no-show" disabled={busy || current?.state !== 'called' || current.recalls < needed} title={t('action.noShowHint', { count: needed })} onClick={() => act('no-show')}>{t('action.noShow')}</button>
        <span className="transfer">
          <select aria-label={t('action.transferTo')} value={transferTo} onChange={(e) => setTransferTo(e.target.value)}>
            <option value="">{t('action.transferPick')}</option>
            {list.groups.filter((g) => g.id !== current?.groupId).map((g) => (
              <option key={g.id} value={g.id}>{g.name}</option>
            ))}
          </select>
          <button data-action="transfer" disabled={busy || !current || !transferTo} onClick={() => act('transfer', { groupId: transferTo })}>{t('action.transfer')}</button>
        </span>
        {status?.state === 'paused' ? (
          <button data-action="resume" disabled={busy} onClick={() => act('resume')}>{t('action.resume')}</button>
        ) : (
          <button data-action="pause" disabled={busy || !!current || status?.state !== 'open'} onClick={() => act('pause')}>{t('action.pause')}</button>
        )}
        <button data-action="close" disabled={busy || !!current} onClick={() => act('close')}>{t('action.close')}</button>
      </section>
      {message && <p role="status" className="message">{message}</p>}
      <CasePanel windowId={windowId} windowName={status?.name ?? windowId} current={current} />
      <section className="lines card">
        <h2>{t('waitingTitle')}</h2>
        <ul>
          {lines.map((l) => (
            <li key={l.groupId} data-group={l.groupId}>
              <span>{l.prefix} {l.name}</span>
              <strong>{l.waiting}</strong>
              {l.priorityWaiting > 0 && <small>{t('priorityWaiting', { count: l.priorityWaiting })}</small>}
            </li>
          ))}
        </ul>
        <p className="total">{t('callable')}<strong data-testid="window-waiting">{status?.waiting ?? 0}</strong> {t('people')}</p>
      </section>
    </main>
  );
}
