/**
 * Dialogue context for one visitor at the robot: the item being talked about, a
 * pending clarification, the last answer (for "再说一遍"). It expires after a pause
 * (robot.contextSeconds) so the next visitor does not inherit the last one's topic.
 */
export interface PendingOption {
  entity: number;
  caseIdx: number;
  label: string;
  /** A window offered by number (A05 or B05), instead of an entity. */
  window?: string;
}

export interface Pending {
  /** The intent the visitor asked with, answered once they choose. */
  intent: string;
  options: PendingOption[];
  /** The options are organisations: a reply naming one picks it. */
  byName?: boolean;
}

export class DialogueSession {
  item: { entity: number; caseIdx: number } | null = null;
  pending: Pending | null = null;
  /** The last answer given, kept as an opaque value for repeat. */
  last: unknown = null;
  updatedAt = 0;
  turns = 0;

  clear(): void {
    this.item = null;
    this.pending = null;
    this.last = null;
    this.updatedAt = 0;
  }

  /** Forget everything when the last turn is older than maxAgeMs. */
  expire(now: number, maxAgeMs: number): boolean {
    if (this.updatedAt && now - this.updatedAt > maxAgeMs) {
      this.clear();
      return true;
    }
    return false;
  }
}
