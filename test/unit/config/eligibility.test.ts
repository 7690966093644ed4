import { describe, expect, it } from 'vitest';
import { ageMonthsOn, ageOn, cardFacts, evaluate, NO_CARD, type CardFacts, type Eligibility } from '../../../config/eligibility.ts';
import { dayAtAge, monthsOn } from '../../../config/age.ts';
import { Eligibility as EligibilitySchema } from '../../../config/eligibility-rules.ts';
import { ConfigError, ConfigStore, loadConfigDir, validateConfig } from '../../../config/load.ts';
import { buildQuestionnaires } from '../../../config/menus.ts';
import { copyDefaultHall, editJson } from './helpers.ts';

const rules = (raw: unknown): Eligibility => EligibilitySchema.parse(raw);
const yrs = (years: number, months = 0) => ({ years, months });
const card = (over: Partial<CardFacts>): CardFacts => ({ age: yrs(40), cardType: 'resident', region: '440104', ...over });

/** The default hall's senior card: 首次申领 only from 60. */
const senior = rules({
  rules: [{ when: { case: ['first'], age: { below: 60 } }, verdict: 'ineligible', reason: '未满60周岁', reasonEn: 'under 60' }],
});

describe('eligibility verdicts', () => {
  it('gives each of the three verdicts with the deciding rule and its reason', () => {
    const e = rules({
      rules: [
        { when: { cardType: ['foreign-permanent'] }, verdict: 'ineligible', reason: '外国人不能申领' },
        { when: { region: ['4401'] }, verdict: 'eligible', reason: '本市户籍' },
      ],
      otherwise: { verdict: 'ask', reason: '请核实户籍' },
    });
    expect(evaluate(e, { answers: {}, card: card({ cardType: 'foreign-permanent', region: null }) })).toEqual({ verdict: 'ineligible', reason: '外国人不能申领', missing: [], rule: 0 });
    expect(evaluate(e, { answers: {}, card: card({ region: '440106' }) })).toEqual({ verdict: 'eligible', reason: '本市户籍', missing: [], rule: 1 });
    expect(evaluate(e, { answers: {}, card: card({ region: '420102' }) })).toEqual({ verdict: 'ask', reason: '请核实户籍', missing: [], rule: -1 });
  });

  it('qualifies by default when no rule holds', () => {
    expect(evaluate(senior, { caseCode: 'first', answers: {}, card: card({ age: yrs(75) }) })).toEqual({ verdict: 'eligible', missing: [], rule: -1 });
  });

  it('counts a year on the birthday itself, not the day before', () => {
    expect(ageOn('1966-12-07', '2026-12-06')).toBe(59);
    expect(ageOn('1966-12-07', '2026-12-07')).toBe(60);
    const on = (today: string) => evaluate(senior, { caseCode: 'first', answers: {}, card: cardFacts({ cardType: 'resident', birth: '1966-12-07', idNumber: '440104196612070011' }, today) }).verdict;
    expect(on('2026-12-06')).toBe('ineligible');
    expect(on('2026-12-07')).toBe('eligible');
  });

  it('counts a 29 February birthday from 1 March in a common year', () => {
    expect(ageOn('1964-02-29', '2024-02-28')).toBe(59);
    expect(ageOn('1964-02-29', '2024-02-29')).toBe(60);
    expect(ageOn('1966-02-29', '2026-02-28')).toBeNull(); // no such birth date: not a date, no age
    expect(ageOn('1964-02-29', '2025-02-28')).toBe(60);
    expect(ageOn('1964-02-29', '2025-03-01')).toBe(61);
    expect(ageOn('1965-03-01', '2025-02-28')).toBe(59);
  });

  it('reckons years and months exactly, a month without the birth day ending on its last day', () => {
    expect(ageMonthsOn('1966-12-07', '2026-10-06')).toEqual(yrs(59, 9));
    expect(ageMonthsOn('1966-12-07', '2026-10-07')).toEqual(yrs(59, 10));
    // Born 31 December: 59 years and 10 months on 31 October; born 31 August, on 30 June.
    expect(dayAtAge('1966-12-31', 718)).toBe('2026-10-31');
    expect(ageMonthsOn('1966-12-31', '2026-10-30')).toEqual(yrs(59, 9));
    expect(ageMonthsOn('1966-12-31', '2026-10-31')).toEqual(yrs(59, 10));
    expect(dayAtAge('1966-08-31', 718)).toBe('2026-06-30');
    expect(ageMonthsOn('1966-08-31', '2026-06-29')).toEqual(yrs(59, 9));
    expect(ageMonthsOn('1966-08-31', '2026-06-30')).toEqual(yrs(59, 10));
    expect(dayAtAge('1966-04-30', 718)).toBe('2026-02-28');
    expect(dayAtAge('1964-04-30', 718)).toBe('2024-02-29');
    // Whole years from 29 February still count from 1 March in a common year.
    expect(dayAtAge('1964-02-29', 61 * 12)).toBe('2025-03-01');
    expect(dayAtAge('1964-02-29', 60 * 12 + 10)).toBe('2024-12-29');
    expect(dayAtAge('1966-02-29', 12)).toBeNull();
  });

  it('names the same day for reaching an age as it counts the age on each day', () => {
    // Every birth date of 1963-1964 (a leap February and month ends among them) against every day of 2023-2025.
    const day = (n: number) => new Date(Date.UTC(1963, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
    for (let b = 0; b < 731; b += 1) {
      const birth = day(b);
      for (const months of [718, 719, 720, 730, 731, 732, 742]) {
        const at = dayAtAge(birth, months)!;
        const before = new Date(Date.parse(at) - 86_400_000).toISOString().slice(0, 10);
        expect([birth, monthsOn(birth, before)! < months, monthsOn(birth, at)! >= months]).toEqual([birth, true, true]);
      }
    }
  });

  it('bounds an age in years and months: 59 years and 10 months, on the hall day', () => {
    const e = rules({ rules: [{ when: { age: { below: { years: 59, months: 10 } } }, verdict: 'ineligible', reason: '还未到可以申领的时间' }] });
    const on = (birth: string, today: string) => evaluate(e, { answers: {}, card: cardFacts({ cardType: 'resident', birth, idNumber: '440104196612310011' }, today) }).verdict;
    expect(on('1966-12-31', '2026-10-30')).toBe('ineligible');
    expect(on('1966-12-31', '2026-10-31')).toBe('eligible');
    expect(on('1966-08-31', '2026-06-29')).toBe('ineligible');
    expect(on('1966-08-31', '2026-06-30')).toBe('eligible');
    // A plain number is whole years; the two forms mix in one range.
    const range = rules({ rules: [{ when: { age: { atLeast: { years: 17, months: 6 }, below: 18 } }, verdict: 'ask', reason: '快满18周岁' }] });
    expect(evaluate(range, { answers: {}, card: card({ age: yrs(17, 5) }) }).verdict).toBe('eligible');
    expect(evaluate(range, { answers: {}, card: card({ age: yrs(17, 6) }) }).verdict).toBe('ask');
    expect(evaluate(range, { answers: {}, card: card({ age: yrs(18) }) }).verdict).toBe('eligible');
  });

  it('matches a region by the prefix of the number: province, city or district', () => {
    const e = (region: string[]) => rules({ rules: [{ when: { region }, verdict: 'ineligible', reason: 'x' }] });
    const gz = card({ region: '440104' });
    expect(evaluate(e(['44']), { answers: {}, card: gz }).verdict).toBe('ineligible');
    expect(evaluate(e(['4401']), { answers: {}, card: gz }).verdict).toBe('ineligible');
    expect(evaluate(e(['440106']), { answers: {}, card: gz }).verdict).toBe('eligible');
    expect(evaluate(e(['4403', '4401']), { answers: {}, card: gz }).verdict).toBe('ineligible');
    expect(evaluate(e(['4403']), { answers: {}, card: card({ region: '440304' }) }).verdict).toBe('ineligible');
  });

  it('reads the card type, and the region only where the number carries one', () => {
    expect(cardFacts({ cardType: 'resident', birth: '1968-03-15', idNumber: '440104196803150038' }, '2026-12-07')).toEqual({ age: yrs(58, 8), cardType: 'resident', region: '440104' });
    expect(cardFacts({ cardType: 'hk-macau-taiwan', birth: '1995-05-05', idNumber: '810000199505050022' }, '2026-12-07')).toEqual({ age: yrs(31, 7), cardType: 'hk-macau-taiwan', region: '810000' });
    expect(cardFacts({ cardType: 'foreign-permanent', birth: '1985-06-12', idNumber: 'CAN440085061202' }, '2026-12-07')).toEqual({ age: yrs(41, 5), cardType: 'foreign-permanent', region: null });
    const e = rules({ rules: [{ when: { cardType: ['hk-macau-taiwan', 'foreign-permanent'] }, verdict: 'ineligible', reason: '只发给内地居民' }] });
    expect(evaluate(e, { answers: {}, card: card({ cardType: 'hk-macau-taiwan' }) }).verdict).toBe('ineligible');
    expect(evaluate(e, { answers: {}, card: card({ cardType: 'resident' }) }).verdict).toBe('eligible');
  });

  it('asks the window, naming the missing card facts, when nobody signed in', () => {
    const e = rules({
      rules: [
        { when: { answers: { q1: ['补领'] } }, verdict: 'eligible', reason: '补领不限年龄' },
        { when: { any: [{ age: { below: 18 } }, { region: ['81', '82'] }] }, verdict: 'ineligible', reason: '未满18周岁或港澳居民' },
        { when: { cardType: ['resident'] }, verdict: 'eligible', reason: 'never reached without a card' },
      ],
    });
    expect(evaluate(e, { answers: { q1: '新办' }, card: NO_CARD })).toEqual({ verdict: 'ask', reason: '未满18周岁或港澳居民', missing: ['age', 'region'], rule: 1 });
    // An answer decides without the card where the rule asks nothing of it.
    expect(evaluate(e, { answers: { q1: '补领' }, card: NO_CARD })).toMatchObject({ verdict: 'eligible', rule: 0 });
    // One known fact settles an any even when the other is unknown.
    expect(evaluate(e, { answers: { q1: '新办' }, card: { age: yrs(16), cardType: 'foreign-permanent', region: null } })).toMatchObject({ verdict: 'ineligible', rule: 1 });
    expect(evaluate(e, { answers: { q1: '新办' }, card: { age: yrs(30), cardType: 'foreign-permanent', region: null } })).toEqual({ verdict: 'ask', reason: '未满18周岁或港澳居民', missing: ['region'], rule: 1 });
  });

  it('combines conditions: keys of one condition, all, any and not', () => {
    const e = rules({
      rules: [
        {
          when: { case: ['first'], all: [{ age: { atLeast: 16 } }, { not: { region: ['44'] } }], any: [{ answers: { q2: ['是'] } }, { cardType: ['hk-macau-taiwan'] }] },
          verdict: 'ask',
          reason: 'check',
        },
      ],
    });
    const at = (caseCode: string, answers: Record<string, string>, c: CardFacts) => evaluate(e, { caseCode, answers, card: c }).verdict;
    expect(at('first', { q2: '是' }, card({ age: yrs(20), region: '420102' }))).toBe('ask');
    expect(at('first', { q2: '否' }, card({ age: yrs(20), region: '420102' }))).toBe('eligible'); // any fails
    expect(at('first', { q2: '否' }, card({ age: yrs(20), region: '810000', cardType: 'hk-macau-taiwan' }))).toBe('ask'); // any holds by card type
    expect(at('first', { q2: '是' }, card({ age: yrs(15), region: '420102' }))).toBe('eligible'); // all fails by age
    expect(at('first', { q2: '是' }, card({ age: yrs(20), region: '440104' }))).toBe('eligible'); // not fails
    expect(at('renew', { q2: '是' }, card({ age: yrs(20), region: '420102' }))).toBe('eligible'); // case fails
    expect(at('first', {}, card({ age: yrs(20), region: '420102' }))).toBe('eligible'); // a question not asked is not that answer
  });

  it('stops at an undecided rule rather than let a later one decide in its place', () => {
    const e = rules({
      rules: [
        { when: { age: { below: 60 } }, verdict: 'ineligible', reason: '未满60周岁' },
        { when: { case: ['first'] }, verdict: 'eligible', reason: 'first' },
      ],
    });
    expect(evaluate(e, { caseCode: 'first', answers: {}, card: NO_CARD })).toMatchObject({ verdict: 'ask', missing: ['age'], rule: 0 });
  });
});

describe('eligibility rules in the hall configuration', () => {
  const problemsOf = (run: () => unknown) => {
    try {
      run();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return (err as ConfigError).problems.map((p) => `${p.path}: ${p.message}`);
    }
    throw new Error('a bad rule was accepted');
  };
  const withSeniorRules = (dir: string, edit: (e: { rules: { when: Record<string, unknown>; verdict: string; reason: string }[] }) => void) =>
    editJson(dir, 'questionnaires.json', (qs) => edit(qs.find((q: { item: string }) => q.item === 'GZ-WJ-002').eligibility));
  const seniorIndex = (loadConfigDir().questionnaires as { item: string }[]).findIndex((q) => q.item === 'GZ-WJ-002');

  it('names the field and the expectation of a bad rule in a file', () => {
    const dir = copyDefaultHall();
    withSeniorRules(dir, (e) => {
      e.rules.push({ when: { age: { atLeast: -1 }, cardtype: ['resident'] }, verdict: 'maybe', reason: '' });
    });
    const at = `[${seniorIndex}].eligibility.rules[1]`;
    const problems = problemsOf(() => loadConfigDir(dir));
    expect(problems).toContain(`${at}.when.age.atLeast: expected a number of whole years ≥ 0 (found -1)`);
    expect(problems).toContain(`${at}.when: unknown key cardtype: expected only age, cardType, region, answers, case, all, any, not`);
    expect(problems.find((p) => p.startsWith(`${at}.verdict:`))).toContain('one of eligible (您符合条件), ineligible (您不符合条件) or ask (请到窗口咨询)');
    expect(problems.find((p) => p.startsWith(`${at}.reason:`))).toContain('expected the reason in plain words');
  });

  it('refuses a region that is not 2, 4 or 6 digits, and an empty age range', () => {
    const dir = copyDefaultHall();
    withSeniorRules(dir, (e) => {
      e.rules[0].when = { region: ['广州'], age: {} };
    });
    const problems = problemsOf(() => loadConfigDir(dir));
    expect(problems).toContain(`[${seniorIndex}].eligibility.rules[0].when.region[0]: expected a region code of 2, 4 or 6 digits, such as "4401" for 广州 (found "广州")`);
    expect(problems.some((p) => p.startsWith(`[${seniorIndex}].eligibility.rules[0].when.age: an age range names atLeast, below or both`))).toBe(true);
  });

  it('refuses a rule naming a question, option or case the questionnaire lacks', () => {
    const dir = copyDefaultHall();
    withSeniorRules(dir, (e) => {
      e.rules.push({ when: { answers: { q1: ['首次申请'] }, any: [{ answers: { q9: ['是'] } }, { case: ['GZ-WJ-002-09'] }] }, verdict: 'ask', reason: '请到窗口咨询' });
    });
    const problems = problemsOf(() => loadConfigDir(dir));
    expect(problems).toEqual([
      `[${seniorIndex}].eligibility.rules[1].when.answers.q1[0]: question q1 has no option labelled 首次申请 (options: 首次申领, 遗失补领)`,
      `[${seniorIndex}].eligibility.rules[1].when.any[0].answers.q9: unknown question q9`,
      `[${seniorIndex}].eligibility.rules[1].when.any[1].case[0]: unknown case code GZ-WJ-002-09`,
    ]);
  });

  it('names the field of a bad years-and-months bound', () => {
    const dir = copyDefaultHall();
    withSeniorRules(dir, (e) => {
      e.rules[0].when = { age: { below: { years: 59, months: 12 } } };
      e.rules.push({ when: { age: { atLeast: { years: 59, month: 10 } } }, verdict: 'ask', reason: 'x' });
      e.rules.push({ when: { age: { atLeast: { years: 60, months: 0 }, below: { years: 59, months: 11 } } }, verdict: 'ask', reason: 'x' });
    });
    const problems = problemsOf(() => loadConfigDir(dir));
    const at = `[${seniorIndex}].eligibility.rules`;
    expect(problems).toContain(`${at}[0].when.age.below.months: expected 0 to 11 months (found 12)`);
    expect(problems).toContain(`${at}[1].when.age.atLeast: unknown key month: expected only years, months`);
    expect(problems.some((p) => p.startsWith(`${at}[2].when.age: atLeast must be below \`below\``))).toBe(true);
  });

  it('refuses a whole configuration (as the console publishes it) with the rule field named', () => {
    const config = structuredClone(loadConfigDir());
    (config.questionnaires[seniorIndex].eligibility!.rules[0].when as Record<string, unknown>).age = { below: 'sixty' };
    expect(problemsOf(() => validateConfig(config))).toEqual([`questionnaires[${seniorIndex}].eligibility.rules[0].when.age.below: expected a number of whole years ≥ 0, or years and months such as { "years": 59, "months": 10 } (found "sixty")`]);
  });

  it('the default hall lets the senior card be applied for from two months before the 60th birthday', () => {
    const q = loadConfigDir().questionnaires[seniorIndex];
    const first = q.questions[0].options[0];
    const verdict = (years: number, months: number) => evaluate(q.eligibility!, { caseCode: first.case, answers: { q1: first.label }, card: card({ age: yrs(years, months) }) });
    expect(verdict(59, 9)).toMatchObject({ verdict: 'ineligible', reason: expect.stringContaining('60周岁生日前两个月'), reasonEn: expect.stringContaining('two months before your 60th birthday') });
    expect(verdict(59, 10).verdict).toBe('eligible');
    expect(verdict(60, 0).verdict).toBe('eligible');
  });

  it('keeps the rules through a rebuild of the questionnaires, and names those that no longer fit', () => {
    const config = loadConfigDir();
    const previous = structuredClone(config.questionnaires);
    previous[seniorIndex].eligibility!.rules[0].when = { answers: { q1: ['首次办理'] } };
    const dropped: string[] = [];
    const rebuilt = buildQuestionnaires(config.catalogue, previous, dropped);
    expect(dropped).toEqual(['GZ-WJ-002']);
    expect(rebuilt.find((q) => q.item === 'GZ-WJ-002')!.eligibility).toBeUndefined();
    expect(rebuilt.find((q) => q.item === 'GZ-CRJ-001')!.eligibility).toEqual(config.questionnaires.find((q) => q.item === 'GZ-CRJ-001')!.eligibility);
  });

  it('keeps the last good rules in force when a reloaded file breaks one', () => {
    const dir = copyDefaultHall();
    const store = ConfigStore.fromDir(dir);
    withSeniorRules(dir, (e) => {
      e.rules[0].when = { age: { below: -60 } };
    });
    const err = store.reloadDir(dir);
    expect(err?.message).toContain(`questionnaires.json: [${seniorIndex}].eligibility.rules[0].when.age.below: expected a number of whole years ≥ 0 (found -60)`);
    expect(store.version).toBe(1);
    expect(store.config.questionnaires[seniorIndex].eligibility!.rules[0].when).toEqual({ case: ['GZ-WJ-002-01'], age: { below: { years: 59, months: 10 } } });
  });
});
