/**
 * 条件预判 on the terminal: the item's rules from the configuration in force, evaluated
 * against the screen's answers and the signed-in card's facts. The facts are computed
 * here from the card in the session, on the hall's day, for this one answer: they are not
 * kept, logged, recorded as a transaction or sent to the platform or the screen.
 */
import { evaluate, cardFacts, NO_CARD } from '../../config/eligibility.ts';
import { hallDay } from '../../protocol/clock.ts';
import type { Handlers } from '../api/router.ts';
import { definePart } from './compose.ts';

export const eligibilityPart = definePart({
  name: 'eligibility',
  needs: ['session'],
  provides: [],
  build: (ctx, { session }) => {
    const handlers: Handlers = {
      'eligibility.check': ({ code, caseCode, answers }) => {
        const rules = ctx.store.config.questionnaires.find((q) => q.item === code)?.eligibility;
        if (!rules) return null;
        const card = session.currentCard();
        return evaluate(rules, { caseCode, answers, card: card ? cardFacts(card, hallDay(ctx.clock.now())) : NO_CARD });
      },
    };
    return { provides: {}, handlers };
  },
});
