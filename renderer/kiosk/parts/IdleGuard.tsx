/**
 * The idle timeout: after `timeoutSeconds` without a touch a countdown of
 * `countdownSeconds` is shown; touching anywhere keeps the session, reaching zero ends it.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

interface Props {
  active: boolean;
  timeoutSeconds: number;
  countdownSeconds: number;
  onTimeout: () => void;
}

export function IdleGuard({ active, timeoutSeconds, countdownSeconds, onTimeout }: Props) {
  const { t } = useTranslation();
  const last = useRef(Date.now());
  const [remaining, setRemaining] = useState<number | null>(null);
  const fired = useRef(false);
  const onTimeoutRef = useRef(onTimeout);
  onTimeoutRef.current = onTimeout;

  useEffect(() => {
    const touch = () => {
      last.current = Date.now();
      setRemaining(null);
    };
    const events = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;
    for (const e of events) window.addEventListener(e, touch, { capture: true, passive: true });
    return () => {
      for (const e of events) window.removeEventListener(e, touch, { capture: true });
    };
  }, []);

  useEffect(() => {
    last.current = Date.now();
    fired.current = false;
    setRemaining(null);
    if (!active) return;
    const timer = setInterval(() => {
      const idle = (Date.now() - last.current) / 1000;
      if (idle < timeoutSeconds) {
        setRemaining(null);
        return;
      }
      const left = Math.ceil(timeoutSeconds + countdownSeconds - idle);
      if (left <= 0) {
        if (!fired.current) {
          fired.current = true;
          onTimeoutRef.current();
        }
        return;
      }
      setRemaining(left);
    }, 250);
    return () => clearInterval(timer);
  }, [active, timeoutSeconds, countdownSeconds]);

  if (!active || remaining === null) return null;
  return (
    <div className="idle-overlay" role="alertdialog" aria-labelledby="idle-title" data-testid="idle-countdown">
      <div className="idle-box">
        <h2 id="idle-title">{t('idle.title')}</h2>
        <p className="idle-count" aria-live="assertive">{remaining}</p>
        <p>{t('idle.body', { seconds: remaining })}</p>
        <button className="primary" onClick={() => setRemaining(null)}>{t('idle.stay')}</button>
      </div>
    </div>
  );
}
