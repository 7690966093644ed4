/**
 * A request id (UUID v4) for one citizen action, so the terminal answers a double tap
 * with the first result. Built from getRandomValues because randomUUID exists only in
 * secure contexts, and a browser kiosk may load its screen over plain http on the LAN.
 */
import { useRef } from 'react';

export function newRequestId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The id of the action a screen offers: the same for every tap until `next()` starts a new
 * action, so taps that land before the button is disabled are one request.
 */
export function useRequestId(): { current: () => string; next: () => void } {
  const id = useRef<string | null>(null);
  return {
    current: () => (id.current ??= newRequestId()),
    next: () => {
      id.current = null;
    },
  };
}
