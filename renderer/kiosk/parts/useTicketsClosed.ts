/**
 * On an unattended terminal, whether the hall issues tickets now. A teller machine serves at
 * night, but the hall's queue does not: its home offers no ticket buttons that could only
 * lead to a closed screen. A staffed hall kiosk keeps them (its closed screen offers booking).
 */
import { useEffect, useState } from 'react';
import { api } from '../../shared/api.ts';
import type { HallClosedView } from '../../../protocol/ui/domains/queue.ts';

/** The hall's hours change at a minute's edge; a look each minute is soon enough. */
const LOOK_EVERY_MS = 60_000;

export function useTicketsClosed(selfService: boolean): HallClosedView | null {
  const [closed, setClosed] = useState<HallClosedView | null>(null);
  useEffect(() => {
    if (!selfService) return;
    let live = true;
    const look = () =>
      api.call('queue.hours', {}).then(
        (c) => live && setClosed(c),
        () => {},
      );
    void look();
    const timer = setInterval(look, LOOK_EVERY_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [selfService]);
  return closed;
}
