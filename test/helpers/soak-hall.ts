/**
 * The SoakHall a fault class sees, built by hand from the pieces a test runs, and the
 * notes the fault wrote, so a test can read them back.
 */
import type { SoakHall } from '../../cli/soak/contract.ts';

export interface TestSoakHall extends SoakHall {
  notes: { event: string; detail?: Record<string, unknown> }[];
}

export function soakHall(centralUrl: string, terminals: SoakHall['terminals'] = {}): TestSoakHall {
  const notes: TestSoakHall['notes'] = [];
  return {
    centralUrl,
    terminals,
    simNow: () => Date.now(),
    note: (event, detail) => void notes.push({ event, detail }),
    notes,
  };
}
