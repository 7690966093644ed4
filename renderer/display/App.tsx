/**
 * The call display (叫号显示屏): who is called to which window, the last calls, each
 * line's length, and the announcement being spoken. Opened with ?ticket=… on a phone it
 * follows one ticket instead (the QR on the printed ticket leads here).
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { io, type Socket } from 'socket.io-client';
import type { Announcement, DisplayEvents, DisplayState } from '../../protocol/queue-views.ts';
import type { PublicTicket } from '../../protocol/queue.ts';
import { shownFromUrl } from './strings.ts';
import { checkSound, isAutoplayRefusal, type SoundCheck } from './sound.ts';

type State = DisplayState;

/** The display's words in the hall's language(s). */
function useSay() {
  const { t } = useTranslation();
  const shown = shownFromUrl();
  const say = (key: string, options: Record<string, unknown> = {}): ReactNode =>
    shown === 'both' ? (
      <>
        {t(key, { ...options, lng: 'zh' })}
        <span className="en" lang="en">{t(key, { ...options, lng: 'en' })}</span>
      </>
    ) : (
      t(key, options)
    );
  const named = (name: string, nameEn?: string): ReactNode =>
    shown === 'en' ? (nameEn ?? name) : shown === 'both' && nameEn ? <>{name}<span className="en" lang="en">{nameEn}</span></> : name;
  return { t, say, named };
}

const FOLLOW_STATES = ['waiting', 'called', 'serving', 'done'];

const clock = (ms: number) => new Date(ms).toLocaleTimeString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false, hour: '2-digit', minute: '2-digit' });

function FollowTicket({ id }: { id: string }) {
  const [ticket, setTicket] = useState<PublicTicket | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { t, say } = useSay();
  useEffect(() => {
    const load = () =>
      fetch(`/api/queue/tickets/${encodeURIComponent(id)}`)
        .then((r) => (r.ok ? r.json() : Promise.reject(new Error(r.status === 404 ? 'follow.notFound' : 'follow.unavailable'))))
        .then((d: { ticket: PublicTicket }) => {
          setTicket(d.ticket);
          setError(null);
        }, (e: Error) => setError(e.message === 'follow.notFound' ? e.message : 'follow.unavailable'));
    void load();
    const socket: Socket<DisplayEvents> = io('/display', { transports: ['websocket'] });
    socket.on('queue:state', load);
    return () => {
      socket.close();
    };
  }, [id]);
  if (error) return <main className="follow"><p role="alert">{say(error)}</p></main>;
  if (!ticket) return <main className="follow"><p>{say('follow.loading')}</p></main>;
  const state = FOLLOW_STATES.includes(ticket.state) ? ticket.state : 'no-show';
  const text = say(`follow.${state}`, { ahead: ticket.ahead, minutes: ticket.estimatedWaitMinutes, window: ticket.windowId });
  return (
    <main className="follow" data-testid="follow">
      <p className="label">{ticket.groupName}</p>
      <p className="number">{ticket.number}</p>
      <p className={`status ${ticket.state}`}>{text}</p>
      <p className="label">{say('follow.windows', { windows: ticket.windows.join(t('follow.listSeparator')) })}</p>
    </main>
  );
}

function Board() {
  const [state, setState] = useState<State | null>(null);
  const [online, setOnline] = useState(false);
  // A display announces from the start: nobody stands at it to switch sound on after a reload.
  const [sound, setSound] = useState(true);
  const soundRef = useRef(true);
  soundRef.current = sound;
  const [check, setCheck] = useState<SoundCheck | 'checking'>('checking');
  const [voiced, setVoiced] = useState(0);
  const [flash, setFlash] = useState<string | null>(null);
  const { say, named } = useSay();

  useEffect(() => {
    void checkSound().then(setCheck);
  }, []);

  useEffect(() => {
    const socket: Socket<DisplayEvents> = io('/display', { transports: ['websocket'] });
    socket.on('connect', () => setOnline(true));
    socket.on('disconnect', () => setOnline(false));
    socket.on('queue:state', (s) => setState(s));
    socket.on('queue:call', (c) => {
      setFlash(c.ticketId);
      setTimeout(() => setFlash((f) => (f === c.ticketId ? null : f)), 6000);
    });
    socket.on('queue:announcement', (a) => {
      setState((s) => (s ? { ...s, announcements: { ...s.announcements, speaking: a.state === 'speaking' ? a : s.announcements.speaking?.id === a.id ? null : s.announcements.speaking } } : s));
      // The platform paces the line; the display only voices what it is told is being spoken.
      if (a.state === 'speaking' && a.audio && soundRef.current) {
        void play(a).then(
          (played) => played && setVoiced((n) => n + 1),
          (err) => isAutoplayRefusal(err) && setCheck('blocked'),
        );
      }
    });
    return () => {
      socket.close();
    };
  }, []);

  if (!state) return <main className="board"><p className="loading">{say('connecting')}</p></main>;
  const speaking = state.announcements.speaking;
  return (
    <main className="board" data-testid="display" data-sound={sound ? check : 'off'} data-voiced={voiced}>
      {sound && check === 'blocked' && (
        <div className="sound-blocked" role="alert" data-testid="sound-blocked">
          <span>{say('soundBlocked')}</span>
          <button onClick={() => void checkSound().then(setCheck)}>{say('enableSound')}</button>
        </div>
      )}
      <header>
        <h1>{state.hallName}</h1>
        <span className={`link ${online ? 'up' : 'down'}`}>{online ? '' : say('linkDown')}</span>
        <button className="sound" aria-pressed={sound} onClick={() => setSound((s) => !s)}><Speaker on={sound} /> {say(sound ? 'soundOn' : 'soundOff')}</button>
      </header>
      <section className={`announcing ${speaking ? 'on' : ''}`} data-testid="announcing" aria-live="assertive">
        {speaking ? <><Speaker on /> {speaking.text}</> : state.announcements.engine ? ' ' : <small>{say('noVoice', { reason: state.announcements.engineReason })}</small>}
      </section>
      <section className="calls">
        <h2>{say('callsTitle')}</h2>
        <table>
          <thead>
            <tr><th>{say('number')}</th><th>{say('window')}</th></tr>
          </thead>
          <tbody data-testid="current-calls">
            {state.current.slice(0, 8).map((c) => (
              <tr key={c.ticketId} className={`${c.state} ${flash === c.ticketId ? 'flash' : ''}`} data-number={c.number}>
                <td className="num">{c.number}</td>
                <td className="win">{c.windowId}</td>
              </tr>
            ))}
            {!state.current.length && (
              <tr><td colSpan={2} className="none">{say('noCalls')}</td></tr>
            )}
          </tbody>
        </table>
      </section>
      <aside className="side">
        <section>
          <h2>{say('waitingTitle')}</h2>
          <ul className="waiting" data-testid="waiting">
            {state.groups.map((g) => (
              <li key={g.groupId} data-group={g.groupId}>
                <span className="prefix">{g.prefix}</span>
                <span className="name">{named(g.name, g.nameEn)}</span>
                <strong>{g.waiting}</strong>
                <small>{say('aboutMinutes', { count: g.estimatedWaitMinutes })}</small>
              </li>
            ))}
          </ul>
        </section>
        <section>
          <h2>{say('recentTitle')}</h2>
          <ol className="recent" data-testid="recent-calls">
            {state.recent.slice(0, 8).map((c, i) => (
              <li key={`${c.ticketId}-${i}`}>
                <span>{c.number}</span> → <span>{c.windowId}</span> <small>{clock(c.calledAt)}</small>
              </li>
            ))}
          </ol>
        </section>
      </aside>
    </main>
  );
}

/** Voices an announcement; false when its audio is gone. A refusal by the autoplay policy is thrown, so the board can say so. */
async function play(a: Announcement): Promise<boolean> {
  const res = await fetch(`/api/queue/announcements/${a.id}/audio`);
  if (!res.ok) return false;
  const url = URL.createObjectURL(await res.blob());
  try {
    for (let i = 0; i < a.repeat; i++) {
      const audio = new Audio(url);
      await audio.play();
      await new Promise((r) => audio.addEventListener('ended', r, { once: true }));
    }
    return true;
  } catch (err) {
    // Without a sound card the board still shows the call; only a refusal is worth a word.
    if (isAutoplayRefusal(err)) throw err;
    return false;
  } finally {
    URL.revokeObjectURL(url);
  }
}

export function App() {
  const ticket = new URLSearchParams(location.search).get('ticket');
  return ticket ? <FollowTicket id={ticket} /> : <Board />;
}

/** Drawn, not an emoji: a hall's display PC rarely has a colour-emoji font. */
function Speaker({ on }: { on: boolean }) {
  return (
    <svg className="speaker" viewBox="0 0 24 24" width="1em" height="1em" aria-hidden="true">
      <path d="M3 9h4l5-4v14l-5-4H3z" fill="currentColor" />
      {on && <path d="M16 8.5a5 5 0 0 1 0 7M18.5 6a8.5 8.5 0 0 1 0 12" stroke="currentColor" strokeWidth="2" fill="none" strokeLinecap="round" />}
    </svg>
  );
}
