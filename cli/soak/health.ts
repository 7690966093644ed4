/**
 * What a terminal says of itself, read the way its screen reads it (kiosk.info over the
 * typed API): its devices' health and whether it is linked to the platform. Faults judge
 * "noticed" and "recovered" from here, never from their own state.
 */
import type { DeviceHealth, KioskInfo } from '../../protocol/ui/domains/kiosk.ts';
import { TerminalClient } from './terminal-client.ts';

const clients = new Map<string, TerminalClient>();

export async function terminalInfo(url: string): Promise<KioskInfo> {
  let client = clients.get(url);
  if (!client) {
    client = new TerminalClient(url, 10_000);
    clients.set(url, client);
  }
  return client.call('kiosk.info', {});
}

/** The terminal's health of its first device of a kind (undefined when it has none). */
export async function deviceHealth(url: string, kind: DeviceHealth['kind']): Promise<DeviceHealth | undefined> {
  return (await terminalInfo(url)).devices.find((d) => d.kind === kind);
}

/** Whether the terminal is up and linked to the platform; false while it does not answer. */
export async function linkedToPlatform(url: string): Promise<boolean> {
  try {
    return (await terminalInfo(url)).online;
  } catch {
    return false;
  }
}

export function closeHealthClients(): void {
  for (const c of clients.values()) c.close();
  clients.clear();
}
