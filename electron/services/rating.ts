/**
 * 好差评: rating.submit records a 'rating' transaction through the kiosk's durable
 * outbox, so ratings sync like every other transaction. Levels 2 (不满意) and 1
 * (非常不满意) carry `followUp: true`; the central platform opens a follow-up record for
 * staff from that transaction (level, reasons, comment, itemCode are in the payload).
 * Nothing identifying the citizen is attached.
 */
import { ApiError } from '../../protocol/ui/errors.ts';
import { RATING_LEVELS } from '../../protocol/ui/domains/rating.ts';
import type { Handlers } from '../api/router.ts';
import type { KioskModule, KioskRuntime } from './kiosk-services.ts';

/** 5 → 非常满意 … 1 → 非常不满意 */
export function levelName(level: number): string {
  return RATING_LEVELS[5 - level];
}

export function needsFollowUp(level: number): boolean {
  return level <= 2;
}

export const ratingModule: KioskModule = (rt: KioskRuntime): Handlers => ({
  'rating.submit': async ({ level, reasons, comment, itemCode, subject }) => {
    if (!rt.transactions) throw new ApiError('unavailable', '评价暂时无法提交，请稍后再试。');
    const followUp = needsFollowUp(level);
    // Exactly what the citizen submitted: the platform derives the follow-up from the level.
    const { id } = await rt.transactions.append('rating', {
      level,
      reasons,
      comment: comment?.trim() || undefined,
      itemCode,
      subject,
    });
    return { id, followUp };
  },
});
