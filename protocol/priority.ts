/**
 * Who may be served first (绿色通道). The kinds a terminal may send are fixed here; which
 * of them a hall honours, and from what age, is its configuration (config/schema.ts
 * `queue.priority`), read alike by the kiosk's priority ticket and the robot's answer.
 */
import { z } from 'zod';

export const PRIORITY_KINDS = ['elderly', 'disabled', 'military', 'pregnant'] as const;
export const PriorityKind = z.enum(PRIORITY_KINDS);
export type PriorityKind = z.infer<typeof PriorityKind>;

/** The hall's rule set as the screens read it. */
export interface PriorityRules {
  /** Visitors this old or older are served first when `kinds` includes 'elderly'. */
  elderlyAge: number;
  /** In the order the kiosk lists them. */
  kinds: PriorityKind[];
}
