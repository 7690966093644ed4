/** Situation questionnaires: the generated defaults and walking them to a case. */
import { describe, expect, it } from 'vitest';
import { ConfigStore, DEFAULT_CONFIG_DIR } from '../../../config/load.ts';
import { buildQuestionnaires } from '../../../config/menus.ts';
import { Questionnaire } from '../../../config/schema.ts';
import { answer, answersOf, first, paths, recommended, walkTo } from '../../../renderer/kiosk/questionnaire.ts';

const config = ConfigStore.fromDir(DEFAULT_CONFIG_DIR).config;
// The hall's eligibility rules are written by staff and carried through a rebuild.
const built = buildQuestionnaires(config.catalogue, config.questionnaires);
const of = (code: string) => built.find((q) => q.item === code)!;
const itemNamed = (name: string) => config.catalogue.items.find((i) => i.name === name)!;

function walk(q: Questionnaire, labels: string[]) {
  let step = first(q);
  for (const label of labels) {
    if (step.kind !== 'question') throw new Error(`no question left for ${label}`);
    const i = step.question.options.findIndex((o) => o.label === label);
    if (i < 0) throw new Error(`no option ${label} in ${step.question.options.map((o) => o.label).join('/')}`);
    step = answer(q, step.question.id, i);
  }
  return step;
}

describe('generated questionnaires', () => {
  it('are valid config, one per item with two or more cases, and what config/default ships', () => {
    expect(built.length).toBe(config.catalogue.items.filter((i) => i.cases.length >= 2).length);
    for (const q of built) expect(Questionnaire.safeParse(q).success).toBe(true);
    expect(config.questionnaires).toEqual(built);
  });

  it('reach every case of every item exactly through the questions', () => {
    for (const q of built) {
      const item = config.catalogue.items.find((i) => i.code === q.item)!;
      expect([...paths(q).keys()].sort()).toEqual(item.cases.map((c) => c.code).sort());
    }
  });

  it('ask who applies first, then what for, when case names combine the two', () => {
    const item = itemNamed('机动车驾驶证初次申领');
    const q = of(item.code);
    expect(q.questions.length).toBe(4);
    const start = first(q);
    expect(start.kind === 'question' && start.question.text).toBe('申请人属于哪一类？');
    expect(start.kind === 'question' && start.question.options.map((o) => o.label).sort()).toEqual(['外国人', '大陆居民', '港澳台居民'].sort());
    const step = walk(q, ['外国人', '小型汽车准驾车型']);
    expect(step.kind).toBe('case');
    const reached = item.cases.find((c) => step.kind === 'case' && c.code === step.caseCode)!;
    expect(reached.name).toBe('外国人申领小型汽车准驾车型');
  });

  it('keep a single plain question when the cases differ in one way only', () => {
    const q = of('GZ-SB-001');
    expect(q.questions).toHaveLength(1);
    expect(walk(q, ['遗失补领'])).toEqual({ kind: 'case', caseCode: 'GZ-SB-001-02' });
  });

  it('never cut a bracket in half in an option', () => {
    for (const q of built) for (const question of q.questions) for (const o of question.options) {
      expect(o.label.split('（').length, o.label).toBe(o.label.split('）').length);
    }
  });
});

describe('walking a questionnaire', () => {
  const q: Questionnaire = {
    item: 'X',
    start: 'a',
    questions: [
      { id: 'a', text: '谁办理？', options: [{ label: '大陆居民', next: 'b' }, { label: '港澳台居民', case: 'X-2' }, { label: '外国人', next: 'missing' }] },
      { id: 'b', text: '办什么？', options: [{ label: '首次', case: 'X-1' }, { label: '补领', case: 'X-3' }] },
    ],
  };
  it('follows answers to the case and reports a broken flow instead of crashing', () => {
    expect(walk(q, ['大陆居民', '补领'])).toEqual({ kind: 'case', caseCode: 'X-3' });
    expect(walk(q, ['外国人']).kind).toBe('broken');
    expect(answer(q, 'a', 9).kind).toBe('broken');
    expect(first({ ...q, start: 'zz' }).kind).toBe('broken');
  });
  it('rebuilds the walk to a case picked on the guide, answers included, and none to a case no path reaches', () => {
    const trail = walkTo(q, 'X-3')!;
    expect(trail.map((s) => s.kind)).toEqual(['question', 'question', 'case']);
    expect(trail.at(-1)).toMatchObject({ kind: 'case', caseCode: 'X-3' });
    expect(answersOf(trail)).toEqual({ a: '大陆居民', b: '补领' });
    expect(answersOf(walkTo(q, 'X-2')!)).toEqual({ a: '港澳台居民' });
    expect(walkTo(q, 'X-9')).toBeNull();
  });
  it('recommends the option the citizen’s card answers, only when exactly one fits', () => {
    const question = q.questions[0];
    expect(recommended(question, { cardType: 'resident' })).toBe(0);
    expect(recommended(question, { cardType: 'hk-macau-taiwan' })).toBe(1);
    expect(recommended(question, { cardType: 'foreign-permanent' })).toBe(2);
    expect(recommended(q.questions[1], { cardType: 'resident' })).toBe(-1);
    expect(recommended(question, null)).toBe(-1);
  });
});
