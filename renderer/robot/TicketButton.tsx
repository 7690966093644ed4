/** The ticket a visitor asked the robot for, taken with one touch and printed on the robot's own printer. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../shared/api.ts';
import { useRequestId } from '../shared/request-id.ts';
import type { RobotAnswer } from '../../protocol/ui/domains/robot.ts';
import type { TicketView } from '../../protocol/ui/domains/queue.ts';

export function TicketButton({ ticket }: { ticket: NonNullable<RobotAnswer['ticket']> }) {
  const { t } = useTranslation();
  const [taken, setTaken] = useState<TicketView | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Taps that land before the button is disabled are one request: one ticket.
  const request = useRequestId();

  const take = async () => {
    setBusy(true);
    setError(null);
    try {
      const res = await api.call('queue.take', { groupId: ticket.group, print: true, requestId: request.current() });
      setTaken(res.ticket);
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };

  if (taken) {
    return (
      <p className="ticket" data-testid="ticket" role="status">
        {t('ticket', { number: taken.number, ahead: taken.ahead, windows: taken.windows.join('、') })}
      </p>
    );
  }
  return (
    <>
      <button className="primary take-ticket" data-testid="take-ticket" disabled={busy} onClick={() => void take()}>
        {t('takeTicket', { name: ticket.name })}
      </button>
      {error && <p className="error" role="alert">{error}</p>}
    </>
  );
}
