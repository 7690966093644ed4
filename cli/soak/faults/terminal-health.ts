/**
 * A terminal's health as its host reports it on `/healthz`: its devices, its screen and,
 * on a robot, its base. The faults judge a terminal's recovery by this, as a technician's
 * check would.
 */
import type { SoakHall } from '../contract.ts';
import type { DeviceHealth } from '../../../protocol/ui/domains/kiosk.ts';
import type { ScreenState } from '../../../electron/services/watchdog.ts';
import type { OutboxStatus } from '../../../electron/services/outbox.ts';
import type { RobotStateView } from '../../../protocol/ui/domains/robot.ts';

export interface TerminalHealth {
  kiosk: string;
  devices: DeviceHealth[];
  screen: ScreenState;
  /** The robot's base link and state; null on a terminal that is not a robot. */
  robot: Pick<RobotStateView, 'base' | 'link' | 'state' | 'reason'> | null;
  /** The outbox's own state; null on a terminal without one. */
  outbox: OutboxStatus | null;
}

/** The hall's entry for a terminal, or an error naming the ones it has. */
export function terminalOf(hall: SoakHall, terminal: string): SoakHall['terminals'][string] {
  const t = hall.terminals[terminal];
  if (!t) throw new Error(`no terminal ${terminal} in this hall (have ${Object.keys(hall.terminals).join(', ') || 'none'})`);
  return t;
}

/** Null when the host does not answer (it is down or restarting). */
export async function terminalHealth(hall: SoakHall, terminal: string): Promise<TerminalHealth | null> {
  const t = terminalOf(hall, terminal);
  try {
    const res = await fetch(new URL('/healthz', t.url), { signal: AbortSignal.timeout(3000) });
    if (!res.ok) return null;
    return (await res.json()) as TerminalHealth;
  } catch {
    return null;
  }
}

/** The device of `kind` on the terminal, as its health lists it. */
export function deviceOf(health: TerminalHealth | null, kind: DeviceHealth['kind']): DeviceHealth | null {
  return health?.devices.find((d) => d.kind === kind) ?? null;
}

/** Asks a simulator's control on the terminal's host (loopback only), failing loudly on a refusal. */
export async function simControl(hall: SoakHall, terminal: string, path: string, body: unknown = {}): Promise<unknown> {
  const t = terminalOf(hall, terminal);
  const res = await fetch(new URL(path, t.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(5000) });
  const answer = (await res.json()) as unknown;
  if (!res.ok) throw new Error(`${terminal} ${path}: HTTP ${res.status} ${JSON.stringify(answer)}`);
  return answer;
}
