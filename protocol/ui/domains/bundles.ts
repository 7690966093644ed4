/**
 * 一件事 bundles and the citizen's 待办清单 as the kiosk's screen sees them: a bundle with
 * everything its page shows, one printed material list for any set of services, and the
 * signed-in citizen's list kept on the platform.
 */
import { z } from 'zod';
import { method } from '../method.ts';
import type { Bundle, Questionnaire, ServiceItem, ServiceWindow } from '../../../config/schema.ts';
import { PendingEntries, type PendingEntry } from '../../pending.ts';
import type { PrintJobStatus } from './print.ts';

export interface BundleView {
  bundle: Bundle;
  /** The bundle's items in its order, each with its questionnaire when the case is still to be found. */
  items: { item: ServiceItem; questionnaire: Questionnaire | null }[];
  /** Where the citizen goes, in order: one stop at the 综合窗口, or one per item. */
  stops: { items: string[]; windows: Pick<ServiceWindow, 'id' | 'name' | 'floor' | 'zone'>[] }[];
  group: { id: string; name: string; nameEn?: string; prefix: string };
}

const Code = z.string().min(1).max(64);
const Pick = z.object({ item: Code, case: Code.optional() }).strict();

/** The signed-in citizen's stored list; `kept` is false when nobody is signed in or the platform cannot be reached. */
export interface PendingStored {
  entries: PendingEntry[];
  kept: boolean;
}

export const bundleMethods = {
  'bundle.get': method<BundleView>()(z.object({ id: Code })),
  /** One receipt with the combined, de-duplicated material list of these services. */
  'print.materials': method<PrintJobStatus>()(
    z.object({ title: z.string().trim().min(1).max(40), picks: z.array(Pick).min(1).max(60) }),
  ),
  'pending.load': method<PendingStored>()(z.object({})),
  'pending.save': method<PendingStored>()(z.object({ entries: PendingEntries })),
  /** Deletes the signed-in citizen's list on the platform (清空). */
  'pending.clear': method<PendingStored>()(z.object({})),
};
