/**
 * The colloquial vocabulary in config/default/synonyms.json and item-aliases.json: everyday words a visitor uses
 * reach the catalogue item that names the thing officially. Each question is checked twice,
 * with the hall's vocabulary and without it, so a test fails both when a mapping is lost and
 * when the engine would have found the item anyway (then the case proves nothing about the data).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfigDir } from '../../../config/load.ts';
import { createEngine, knowledgeFromConfig, type Engine } from '../../../models/language/index.ts';
import { SynonymRewriter } from '../../../models/language/synonyms.ts';
import { unitsOf } from '../../../models/language/pinyin.ts';

const cfg = loadConfigDir();
let withVocabulary: Engine;
let without: Engine;

beforeAll(() => {
  withVocabulary = createEngine(knowledgeFromConfig(cfg));
  // Without the vocabulary: no synonym sets and no everyday aliases (item-aliases.json).
  const k = knowledgeFromConfig(cfg);
  without = createEngine({ ...k, synonyms: [], catalogue: { items: k.catalogue.items.map((i) => ({ ...i, aliases: [] })) } });
}, 60_000);

const codeOf = (name: string) => {
  const item = cfg.catalogue.items.find((i) => i.name === name);
  if (!item) throw new Error(`no item named ${name}`);
  return item.code;
};

// Question → the item's name in the catalogue. Written from the items, not from the benchmark.
const CASES: [string, string][] = [
  ['小店通电要怎么申请', '低压非居民报装'],
  ['家里装电表找谁', '低压居民报装'],
  ['电表移位怎么申请', '用电服务移表'],
  ['我想开个小卖部要办什么', '企业设立登记（营业执照）'],
  ['考车牌在哪里报名', '机动车驾驶证初次申领'],
  ['被狗咬了去哪打狂犬针', '狂犬病暴露后医学处置门诊信息查询'],
  ['探监要预约吗', '被监管人员家属探访预约'],
  ['请不起律师怎么办', '法律援助'],
  ['良民证在哪开', '无犯罪记录公证指引'],
  ['公司要清税', '税务注销即时办理'],
  ['拖拉机牌照怎么办', '农机安全监理证核发'],
  ['打猎证怎么办', '国家一级保护野生动物特许猎捕证核发初审'],
  ['结扎后遗症鉴定', '计划生育手术并发症鉴定'],
  ['养老金算错了找谁', '企业职工养老保险待遇重核申请'],
  ['食安员证怎么考', '食品安全管理员考试报名'],
  ['换考场怎么弄', '变更考试地'],
  ['网上挂号', '门诊网上预约'],
  ['法考在哪报名', '国家统一法律职业资格考试报名指引（转链接）'],
];

describe('colloquial vocabulary', () => {
  it.each(CASES)('%s → %s', async (question, name) => {
    const code = codeOf(name);
    const a = await withVocabulary.ask(question);
    expect(a.match?.id).toBe(code);
    const b = await without.ask(question);
    expect(b.match?.id).not.toBe(code);
  });

  it('a mapping keeps the place a visitor names: 去港澳的证 becomes the Hong Kong and Macao permit, not the Taiwan one', () => {
    const r = new SynonymRewriter(cfg.synonyms);
    const text = (s: string) => r.rewriteDoc(unitsOf(s)).map((u) => u.char).join('');
    expect(text('去港澳的证')).toBe('往来港澳通行证');
    expect(text('去台湾的证')).toBe('往来台湾通行证');
  });

  it('an everyday word containing a shorter official word still becomes its own official word', () => {
    const r = new SynonymRewriter(cfg.synonyms);
    const text = (w: string) => r.rewriteDoc(unitsOf(w)).map((u) => u.char).join('');
    const canonicals = cfg.synonyms.map((set) => set[0]);
    const checked: string[] = [];
    for (const [canonical, ...variants] of cfg.synonyms) {
      for (const v of variants) {
        if (!canonicals.some((c) => c !== canonical && c.length < v.length && v.includes(c))) continue;
        // 单身公证 contains 公证, yet must read as 未婚公证 (letters compare as the engine folds them: GTC as gtc).
        expect(text(v), v).toBe(unitsOf(canonical).map((u) => u.char).join(''));
        checked.push(v);
      }
    }
    expect(checked).toEqual(expect.arrayContaining(['单身公证', '居民用电报装', '退役报到']));
  });

  it('every word appears in one set only', () => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const set of cfg.synonyms) {
      for (const w of set) {
        if (seen.has(w) && seen.get(w) !== set[0]) twice.push(w);
        seen.set(w, set[0]);
      }
    }
    expect(twice).toEqual(['装电表']);
  });
});
