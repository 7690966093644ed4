import { pinyin } from 'pinyin-pro';
import { beforeAll, describe, expect, it } from 'vitest';
import { Homophones, nearSyllables, rng } from '../../../bench/qa/noise.ts';
import { loadConfigDir } from '../../../config/load.ts';
import { createEngine, knowledgeFromConfig, type Engine } from '../../../models/language/index.ts';
import { LexicalIndex, genericDiscount, pairSpread } from '../../../models/language/matcher.ts';
import { queryUnitsOf, unitsOf } from '../../../models/language/pinyin.ts';

describe('whole-entry coverage', () => {
  const index = new LexicalIndex();
  // Entity 0 is a FAQ entry whose keywords are 手语 and 翻译; entity 1 names only 手语.
  index.add(0, -1, unitsOf('外语服务'));
  index.add(0, -1, unitsOf('手语'));
  index.add(0, -1, unitsOf('翻译'));
  index.add(1, -1, unitsOf('手语培训'));
  index.build();
  const q = queryUnitsOf('手语翻译');

  it('credits each question unit with the field that explains it best', () => {
    const single = Math.max(...index.search(q).filter((h) => index.fields[h.field].entity === 0).map((h) => h.qCov));
    const union = index.unionCoverage(q, [0, 1, 2]);
    expect(single).toBeLessThan(0.7);
    expect(union).toBeGreaterThan(0.95);
  });

  it('gives nothing for fields that share nothing with the question', () => {
    expect(index.unionCoverage(q, [])).toBe(0);
    expect(index.unionCoverage(queryUnitsOf('停车'), [0, 1, 2])).toBe(0);
  });
});

describe('procedure words from the catalogue’s own statistics', () => {
  // 申请 is used by six departments; 公证 by one, in many items.
  const entries = [
    ...['公安', '民政', '人社', '税务', '卫健', '教育'].map((d, i) => ({ name: `事项${i}申请`, department: d })),
    ...Array.from({ length: 20 }, (_, i) => ({ name: `第${i}类公证`, department: '司法' })),
  ];
  const spread = pairSpread(entries);

  it('discounts a pair by the number of departments using it, not the number of items', () => {
    expect(spread.get('申请')).toBeLessThan(0.6);
    expect(spread.get('申请')).toBeGreaterThanOrEqual(0.3);
    expect(spread.has('公证')).toBe(false);
  });

  it('discounts each character by the most generic pair it belongs to, and function characters', () => {
    const d = genericDiscount([...'公证申请的'], spread);
    expect(d[0]).toBe(1);
    expect(d[1]).toBe(1);
    expect(d[2]).toBe(spread.get('申请'));
    expect(d[3]).toBe(spread.get('申请'));
    expect(d[4]).toBeLessThan(0.5);
  });
});

describe('a stretch said in one piece, and context fields', () => {
  const index = new LexicalIndex();
  index.add(0, -1, unitsOf('护士执业注册'));
  index.add(1, -1, unitsOf('执业护士注册'));
  index.addContext(0, unitsOf('卫生健康委员会'), 0.5);
  index.build();

  it('credits the longest stretch of a field the question says, by sound too', () => {
    const q = queryUnitsOf('护士执业注册');
    expect(index.runShare(q, [0])).toBeGreaterThan(0.99);
    // Same characters, other order: shorter stretches.
    expect(index.runShare(q, [1])).toBeLessThan(0.6);
    // 护士 heard as 互市: the stretch holds by sound.
    expect(index.runShare(queryUnitsOf('互市执业注册'), [0])).toBeGreaterThan(0.8);
    expect(index.runShare(queryUnitsOf('停车'), [0, 1])).toBe(0);
  });

  it('never returns a context field from search, and counts it at its credit in the union', () => {
    const q = queryUnitsOf('卫生健康委员会');
    expect(index.search(q).every((h) => index.fields[h.field].credit === 1)).toBe(true);
    const fields0 = index.fields.flatMap((f, i) => (f.entity === 0 ? [i] : []));
    const withContext = index.unionCoverage(q, fields0);
    expect(withContext).toBeGreaterThan(0.45);
    expect(withContext).toBeLessThanOrEqual(0.5 + 1e-9);
    expect(index.unionCoverage(q, fields0, false)).toBe(0);
  });
});

describe('ranking over the default hall', () => {
  let engine: Engine;
  beforeAll(() => {
    engine = createEngine(knowledgeFromConfig(loadConfigDir()));
  });

  it('answers a FAQ entry whose keywords together cover the question', async () => {
    const a = await engine.ask('有手语翻译吗');
    expect(a.match).toMatchObject({ kind: 'faq', id: 'sign-language' });
  });

  it('prefers the near-duplicate that names the subject word the visitor said (商务)', async () => {
    const a = await engine.ask('港澳商务签注要公司什么材料');
    expect(a.match?.title).toBe('办理往来港澳通行证商务签注');
  });

  it('among close candidates, the one that says the procedure word the visitor said wins (进度)', async () => {
    const a = await engine.ask('居住证进度');
    expect(a.match?.title).toBe('居住证办理进度查询');
  });

  it('accepts a long official name when the visitor said its rare words', async () => {
    const a = await engine.ask('开校车要什么资格');
    expect(a.intent).not.toBe('out-of-scope');
    expect(a.match?.title).toBe('申请取得校车驾驶资格');
  });

  it('does not let leftovers of a cue (办好了, 家里) pull a question to a generic FAQ entry', async () => {
    const a = await engine.ask('护照办好了能寄到家里吗');
    expect(a.match?.kind).toBe('item');
    expect(a.intent).toBe('item.courier');
  });

  it('answers the item behind a FAQ entry that won on one keyword but explains too little', async () => {
    // 小孩 pulls the play-area FAQ ahead; it explains too little of the question to answer it.
    const a = await engine.ask('孩子的出生公证要带什么');
    expect(a.match).toMatchObject({ kind: 'item', title: '出生公证指引' });
    expect(a.candidates[0].title).toBe('出生公证指引');
    expect(a.intent).toBe('item.materials');
  });

  it('still rejects questions outside the hall’s business', async () => {
    for (const q of ['帮我订一张去北京的机票', '信用卡额度怎么提高', '世界上最高的山是哪座']) {
      const a = await engine.ask(q);
      expect(a.intent, q).toBe('out-of-scope');
      expect(a.match, q).toBeNull();
    }
  });
});

describe('benchmark noise', () => {
  it('near syllables differ by one accent confusion, never the syllable itself', () => {
    expect(nearSyllables('shi')).toEqual(['si']);
    expect(nearSyllables('si')).toEqual(['shi']);
    expect(nearSyllables('lan').sort()).toEqual(['lang', 'nan', 'ran']);
    expect(nearSyllables('ming')).toEqual(['min']);
    expect(nearSyllables('hu')).toEqual(['fu']);
    // ng is a final, so neng's n may swap but its -ng only to -n.
    expect(nearSyllables('neng').sort()).toEqual(['leng', 'nen']);
    for (const s of ['a', 'zhang', 'xiang', 'guan', 'er']) expect(nearSyllables(s)).not.toContain(s);
  });

  const corpus = ['社会保障卡申领', '住房公积金提取', '护士执业注册', '四十是市民申请事项', '南蓝兰男难'];
  const syl = (c: string) => pinyin(c, { toneType: 'none', v: true });

  it('replaces the requested share of characters, by homophones or near-homophones only', () => {
    const h = new Homophones(corpus);
    const text = '社保卡补办要带什么申请材料四十个事项';
    for (const nearShare of [0, 1]) {
      const r = h.corrupt(text, 0.3, rng(7), nearShare);
      // A small inventory lacks homophones for some characters: never more than asked, never none.
      expect(r.replaced).toBeLessThanOrEqual(Math.round(0.3 * r.chars));
      expect(r.replaced).toBeGreaterThan(0);
      const before = [...text];
      const after = [...r.text];
      let changed = 0;
      after.forEach((c, i) => {
        if (c === before[i]) return;
        changed++;
        const a = syl(before[i]);
        const b = syl(c);
        expect(b === a || nearSyllables(a).includes(b), `${before[i]}→${c}`).toBe(true);
      });
      expect(changed).toBe(r.replaced);
      if (nearShare === 0) expect(r.near).toBe(0);
      else expect(r.near).toBeGreaterThan(0);
    }
  });

  it('is deterministic for a seed', () => {
    const h = new Homophones(corpus);
    const a = h.corrupt('住房公积金提取要什么材料', 0.2, rng(3), 0.3);
    const b = h.corrupt('住房公积金提取要什么材料', 0.2, rng(3), 0.3);
    expect(a).toEqual(b);
  });
});
