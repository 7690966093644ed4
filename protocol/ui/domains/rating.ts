/** 好差评: five levels after each transaction; the two bad ones need a reason. */
import { method } from '../method.ts';
import { RatingInput } from '../../rating.ts';

export { RATING_LEVELS, RatingInput } from '../../rating.ts';

export const ratingMethods = {
  'rating.submit': method<{ id: string; followUp: boolean }>()(RatingInput),
};
