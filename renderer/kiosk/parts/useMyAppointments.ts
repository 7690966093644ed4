/**
 * The signed-in citizen's appointments. Keyed on the session: a new card loads its own
 * list, and signing out (or the host ending the session) drops the list at once, so one
 * citizen's bookings never stay on screen for the next.
 */
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../shared/api.ts';
import type { AppointmentView } from '../../../protocol/ui/domains/queue.ts';
import { useKiosk } from '../state.tsx';

export interface MyAppointments {
  list: AppointmentView[] | null;
  failed: boolean;
  update(a: AppointmentView): void;
}

export function useMyAppointments(): MyAppointments {
  const { person } = useKiosk();
  const session = person ? `${person.maskedId}/${person.since}` : null;
  const [state, setState] = useState<{ session: string | null; list: AppointmentView[] | null; failed: boolean }>({ session: null, list: null, failed: false });

  useEffect(() => {
    setState({ session, list: null, failed: false });
    if (!session) return;
    let live = true;
    api.call('appointment.list', {}).then(
      (list) => live && setState({ session, list, failed: false }),
      () => live && setState({ session, list: null, failed: true }),
    );
    return () => {
      live = false;
    };
  }, [session]);

  const update = useCallback((a: AppointmentView) => {
    setState((s) => (s.list ? { ...s, list: s.list.map((x) => (x.id === a.id ? a : x)) } : s));
  }, []);

  // A list fetched for an earlier session is never shown, even for the one render before the effect clears it.
  const current = state.session === session;
  return { list: current ? state.list : null, failed: current && state.failed, update };
}
