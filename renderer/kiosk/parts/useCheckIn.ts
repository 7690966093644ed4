/**
 * Appointment check-in from the home screen or the list: the platform turns today's
 * booking into a priority ticket, which then shows on the ticket screen like any other.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api.ts';
import type { AppointmentView } from '../../../protocol/ui/domains/queue.ts';
import { useKiosk } from '../state.tsx';
import { checkInWindow, paperState, printerTrouble, problemOf } from '../appointments.ts';

/** `run(due)` checks in with the card on the reader; `run([], code)` with a booking code typed on the keypad. */
export function useCheckIn(): { run: (due: AppointmentView[], code?: string) => Promise<void>; busy: boolean; problem: string | null } {
  const { t } = useTranslation();
  const k = useKiosk();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const run = async (due: AppointmentView[], code?: string) => {
    setBusy(true);
    setProblem(null);
    const trouble = printerTrouble(k.devices);
    try {
      const print = trouble === null;
      const res = code ? await api.call('appointment.checkInCode', { code, print }) : await api.call('appointment.checkIn', { print });
      k.go({
        name: 'ticket',
        code: res.appointment.itemCode,
        title: res.appointment.itemName,
        taken: { ticket: res.ticket, paper: paperState(res.printJob, trouble), bound: !code, checkIn: true },
      });
    } catch (err) {
      const p = problemOf(err);
      // The platform refuses an early check-in as a conflict; the opening time is ours to say.
      if (code && (p === 'not-found' || p === 'taken')) setProblem(t(p === 'taken' ? 'checkIn.early' : 'checkIn.unknownCode'));
      else if (p === 'taken' && due[0]) setProblem(t('appts.problems.early', { opens: checkInWindow(due[0].slot).opens }));
      else if (p === 'closed' || p === 'not-found' || p === 'not-signed-in' || p === 'offline') setProblem(t(`appts.problems.${p}`));
      else setProblem(t('appts.problems.failed'));
      setBusy(false);
    }
  };

  return { run, busy, problem };
}
