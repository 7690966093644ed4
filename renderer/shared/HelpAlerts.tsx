/**
 * The help requests staff must see, on the console and the window terminals: live from
 * the platform's /staff namespace, each with the terminal's name and floor and a map of
 * where it stands, and the button that says "I am going" (which the citizen then sees).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import './help.css';
import { io, type Socket } from 'socket.io-client';
import { platform } from './platform.ts';
import { HallMap } from './HallMap.tsx';
import { STAFF_NAMESPACE, type HelpListAnswer, type HelpView, type StaffEvents } from '../../protocol/help.ts';

export function HelpAlerts() {
  const { t } = useTranslation();
  const [list, setList] = useState<HelpView[]>([]);
  const [map, setMap] = useState<HelpListAnswer['map'] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const upsert = (h: HelpView) => setList((l) => [h, ...l.filter((x) => x.id !== h.id)]);
    const socket: Socket<StaffEvents> = io(STAFF_NAMESPACE, { transports: ['websocket'] });
    socket.on('help:changed', upsert);
    // Loaded after the socket is up, so a request raised in between is in one or the other.
    platform<HelpListAnswer>('GET', '/api/help').then(
      (a) => {
        setMap(a.map);
        setList((l) => [...l, ...a.requests.filter((r) => !l.some((x) => x.id === r.id))]);
      },
      (e: Error) => setError(e.message),
    );
    return () => {
      socket.close();
    };
  }, []);

  const acknowledge = (id: string) => {
    platform<{ help: HelpView }>('POST', `/api/help/${id}/acknowledge`).then(
      (a) => setList((l) => l.map((x) => (x.id === id ? a.help : x))),
      (e: Error) => setError(e.message),
    );
  };

  const open = list.filter((h) => h.state === 'open');
  const first = open[0];
  const here = first?.place.floor && first.place.position ? { floor: first.place.floor, position: first.place.position } : null;
  if (!open.length && !error) return null;
  return (
    <section className="help-alerts" role="alert" data-testid="help-alerts">
      {error && <p className="error">{error}</p>}
      <ul>
        {open.map((h) => (
          <li key={h.id} data-help={h.id} data-device={h.deviceId}>
            <strong>{t('help.needed', { terminal: h.place.terminalName })}</strong>
            <span className="help-where" data-testid="help-where">{h.place.floorName ?? h.place.floor ?? t('help.unknownPlace')}</span>
            <span className="muted">{new Date(h.raisedAt).toLocaleTimeString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })}</span>
            <button className="primary" data-testid="help-ack" onClick={() => acknowledge(h.id)}>{t('help.acknowledge')}</button>
          </li>
        ))}
      </ul>
      {map && here && (
        <div className="help-map" data-testid="help-map">
          <HallMap key={first.id} map={{ ...map, here }} targets={[]} labels={{ here: first.place.terminalName, lift: (f) => f, sameFloor: '' }} />
        </div>
      )}
    </section>
  );
}
