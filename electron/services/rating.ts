/**
 * 好差评: rating.submit records a 'rating' transaction through the kiosk's durable
 * outbox, so ratings sync like every other transaction. Levels 2 (不满意) and 1
 * (非常不满意) carry `followUp: true`; the central platform opens a follow-up record for
 * staff from that transaction (level, reasons, comment, itemCode are in the payload).
 * Nothing identifying the citizen is attached.
 */
import { RATING_LEVELS } from '../../protocol/ui/domains/rating.ts';
import { definePart } from './compose.ts';
import { RequestMemo } from './request-memo.ts';

/** 5 → 非常满意 … 1 → 非常不满意 */
export function levelName(level: number): string {
  return RATING_LEVELS[5 - level];
}

export function needsFollowUp(level: number): boolean {
  return level <= 2;
}

export const ratingPart = definePart({
  name: 'rating',
  needs: ['transactions'],
  provides: [],
  build: (_ctx, { transactions }) => {
    // A double tap on 提交评价 is one rating.
    const submitted = new RequestMemo<{ id: string; followUp: boolean }>();
    return {
      provides: {},
      handlers: {
        'rating.submit': ({ level, reasons, comment, itemCode, subject, requestId }) =>
          submitted.run(requestId, async () => {
            const followUp = needsFollowUp(level);
            // Exactly what the citizen submitted: the platform derives the follow-up from the level.
            const { id } = await transactions.append('rating', {
              level,
              reasons,
              comment: comment?.trim() || undefined,
              itemCode,
              subject,
              requestId,
            });
            return { id, followUp };
          }),
      },
    };
  },
});
