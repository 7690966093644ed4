/**
 * The shape of an item's eligibility rules (条件预判), as the hall configuration holds them
 * beside its questionnaire. Kept apart from the evaluator so config/schema.ts can include
 * it without a cycle. Every message says what was expected, since a hall technician reads
 * it next to the field's path (questionnaires[16].eligibility.rules[0].when.age.atLeast).
 */
import { z } from 'zod';

/** The card types the ID-card reader reports (drivers/idcard/text.ts). */
export const CARD_KINDS = ['resident', 'hk-macau-taiwan', 'foreign-permanent'] as const;
export const CardKind = z.enum(CARD_KINDS, { error: `one of ${CARD_KINDS.join(', ')}` });
export type CardKind = z.infer<typeof CardKind>;

export const VERDICTS = ['eligible', 'ineligible', 'ask'] as const;
export const VerdictKind = z.enum(VERDICTS, { error: 'one of eligible (您符合条件), ineligible (您不符合条件) or ask (请到窗口咨询)' });
export type VerdictKind = z.infer<typeof VerdictKind>;

/** An object's own message would also stand for a misspelt key; name the key and what is allowed instead. */
function unknownKeys(iss: { code?: string; keys?: string[] }, allowed: readonly string[]): string | undefined {
  return iss.code === 'unrecognized_keys' ? `unknown key ${iss.keys?.join(', ')}: expected only ${allowed.join(', ')}` : undefined;
}

const years = z
  .number({ error: 'expected a number of whole years ≥ 0' })
  .int('expected a number of whole years ≥ 0')
  .min(0, 'expected a number of whole years ≥ 0')
  .max(150, 'expected a number of years ≤ 150');

const YearsAndMonths = z
  .object(
    // months may be left out ({ "years": 60 }): a missing key would hide a misspelt one behind the union's message.
    { years, months: z.number({ error: 'expected 0 to 11 months' }).int('expected 0 to 11 months').min(0, 'expected 0 to 11 months').max(11, 'expected 0 to 11 months').default(0) },
    { error: (iss) => unknownKeys(iss, ['years', 'months']) ?? 'expected years and months such as { "years": 59, "months": 10 }' },
  )
  .strict();

/** An age in whole years (60), or in years and months ({ "years": 59, "months": 10 }, two months before 60). */
const AgeBound = z.union([years, YearsAndMonths], { error: 'expected a number of whole years ≥ 0, or years and months such as { "years": 59, "months": 10 }' });
export type AgeBound = z.infer<typeof AgeBound>;

/** A bound in months of age: 60 is 720, { years: 59, months: 10 } is 718. */
export const boundInMonths = (b: AgeBound): number => (typeof b === 'number' ? b * 12 : b.years * 12 + b.months);

const AgeRange = z
  .object({ atLeast: AgeBound.optional(), below: AgeBound.optional() }, { error: (iss) => unknownKeys(iss, ['atLeast', 'below']) ?? 'expected an age range such as { "atLeast": 60 } or { "below": { "years": 59, "months": 10 } }' })
  .strict()
  .refine((a) => a.atLeast !== undefined || a.below !== undefined, 'an age range names atLeast, below or both')
  .refine((a) => a.atLeast === undefined || a.below === undefined || boundInMonths(a.atLeast) < boundInMonths(a.below), 'atLeast must be below `below`, or no age matches');

/** A prefix of the administrative division code (GB/T 2260) that starts an ID number: 44 广东, 4401 广州, 440104 越秀. */
const RegionPrefix = z.string({ error: 'expected a region code of 2, 4 or 6 digits, such as "4401" for 广州' }).regex(/^\d{2}(\d{2}){0,2}$/, 'expected a region code of 2, 4 or 6 digits, such as "4401" for 广州');

export interface Condition {
  age?: { atLeast?: AgeBound; below?: AgeBound };
  cardType?: CardKind[];
  region?: string[];
  answers?: Record<string, string[]>;
  case?: string[];
  all?: Condition[];
  any?: Condition[];
  not?: Condition;
}

const CONDITION_KEYS = ['age', 'cardType', 'region', 'answers', 'case', 'all', 'any', 'not'] as const;

/**
 * One condition; every key it names must hold. `all`, `any` and `not` nest conditions. A
 * card fact the kiosk lacks (nobody signed in, a card without a region code) leaves a
 * condition undecided, which the evaluator turns into 请到窗口咨询.
 */
export const Condition: z.ZodType<Condition> = z.lazy(() =>
  z
    .object(
      {
        age: AgeRange.optional(),
        cardType: z.array(CardKind, { error: 'expected a list of card types' }).min(1, 'name at least one card type').optional(),
        region: z.array(RegionPrefix, { error: 'expected a list of region codes' }).min(1, 'name at least one region code').optional(),
        /** Question id → the option labels (as the questionnaire writes them) that satisfy it. */
        answers: z
          .record(z.string().min(1), z.array(z.string().min(1), { error: 'expected a list of option labels' }).min(1, 'name at least one option label'), {
            error: 'expected answers such as { "q1": ["首次申领"] }',
          })
          .optional(),
        case: z.array(z.string().min(1).max(64), { error: 'expected a list of case codes' }).min(1, 'name at least one case code').optional(),
        all: z.array(Condition, { error: 'expected a list of conditions' }).min(1, 'name at least one condition').optional(),
        any: z.array(Condition, { error: 'expected a list of conditions' }).min(1, 'name at least one condition').optional(),
        not: Condition.optional(),
      },
      { error: (iss) => unknownKeys(iss, CONDITION_KEYS) ?? 'expected a condition object such as { "age": { "atLeast": 60 } }' },
    )
    .strict()
    .refine((c) => CONDITION_KEYS.some((k) => c[k] !== undefined), `a condition names at least one of ${CONDITION_KEYS.join(', ')}`),
);

const Reason = z.string({ error: 'expected the reason in plain words' }).trim().min(1, 'expected the reason in plain words').max(300, 'a reason of at most 300 characters');

export const EligibilityRule = z
  .object({
    when: Condition,
    verdict: VerdictKind,
    /** Shown to the citizen as it stands: 您不符合条件，因为 + reason. */
    reason: Reason,
    reasonEn: Reason.optional(),
  })
  .strict();
export type EligibilityRule = z.infer<typeof EligibilityRule>;

/**
 * An item's rules, tried in order: the first whose condition holds decides. When none
 * does, `otherwise` decides (by default the citizen qualifies).
 */
export const Eligibility = z
  .object({
    rules: z.array(EligibilityRule, { error: 'expected a list of rules' }).min(1, 'at least one rule'),
    otherwise: z
      .object({ verdict: VerdictKind, reason: Reason.optional(), reasonEn: Reason.optional() })
      .strict()
      .default({ verdict: 'eligible' }),
  })
  .strict();
export type Eligibility = z.infer<typeof Eligibility>;
