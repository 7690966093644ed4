/**
 * Asks for the ID card where a screen needs the citizen known. It only asks: the screen
 * moves on by itself when session.changed brings the person, so there is nothing to tap.
 */
import { useTranslation } from 'react-i18next';
import { availability, useKiosk } from '../state.tsx';

export function CardPrompt({ message }: { message: string }) {
  const { t } = useTranslation();
  const k = useKiosk();
  const reader = availability(k.devices, 'idcard');
  return (
    <div className="card-prompt" data-testid="card-prompt" role="status">
      <div className="card-icon" aria-hidden>
        <span>ID</span>
      </div>
      {reader.ok ? <p>{message}</p> : <p className="warn" data-testid="reader-down">{t('booking.readerDown')}</p>}
    </div>
  );
}
