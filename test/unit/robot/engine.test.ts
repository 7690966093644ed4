import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfigDir } from '../../../config/load.ts';
import type { ServiceItem } from '../../../config/schema.ts';
import { createEngine, knowledgeFromConfig, loadTemplates, type Engine } from '../../../models/language/index.ts';

let engine: Engine;
let clock = 0;
const cfg = loadConfigDir();

beforeAll(() => {
  engine = createEngine(knowledgeFromConfig(cfg), { contextSeconds: 45, now: () => clock });
});

describe('the spec examples', () => {
  it('finds the hall item and the sub-case for 护士执业证书重新注册, with its windows', async () => {
    const a = await engine.ask('护士执业证书重新注册在哪办?');
    expect(a.match).toMatchObject({ kind: 'item', id: 'GZ-WJ-001', title: '护士执业注册', case: { code: 'GZ-WJ-001-04', name: '重新注册' } });
    expect(a.intent).toBe('item.where');
    expect(a.answer).toContain('B01、B10');
    expect(a.card.windows?.map((w) => w.id)).toEqual(['B01', 'B10']);
    expect(a.guide).toMatchObject({ kind: 'window', id: 'B01' });
  });

  it('hears 社保卡补办 through the homophones 设保卡不办', async () => {
    const clean = await engine.ask('社保卡补办');
    const noisy = await engine.ask('设保卡不办');
    expect(clean.match?.id).toBe('GZ-SB-001');
    expect(noisy.match?.id).toBe('GZ-SB-001');
    expect(noisy.confidence).toBeGreaterThan(0.7);
  });
});

describe('intents', () => {
  it('materials, duration, visits, booking, courier about an item', async () => {
    expect((await engine.ask('办护照要带什么材料')).intent).toBe('item.materials');
    const d = await engine.ask('公积金提取要多久');
    expect(d.intent).toBe('item.duration');
    expect(d.answer).toContain('1个工作日');
    const v = await engine.ask('办残疾证要跑几次');
    expect(v.intent).toBe('item.visits');
    expect(v.answer).toContain('2次');
    expect((await engine.ask('提公积金可以预约吗')).intent).toBe('item.booking');
    expect((await engine.ask('护照办好了能寄到家里吗')).intent).toBe('item.courier');
  });

  it('a sub-case answers with that case’s own materials', async () => {
    const a = await engine.ask('社保卡丢了补办要带什么');
    expect(a.match?.case?.name).toBe('遗失补领');
    expect(a.answer).toContain('社会保障卡挂失证明');
  });

  it('navigates to windows by id, to places, and to an item’s window', async () => {
    for (const q of ['带我去B零一窗口', '带我去b1号窗口', '带我去B01窗口']) {
      const a = await engine.ask(q);
      expect(a.intent).toBe('navigate');
      expect(a.match).toEqual({ kind: 'place', id: 'B01', title: 'B01号窗口' });
      expect(a.lead).toBe(true);
    }
    const toilet = await engine.ask('洗手间在哪');
    expect(toilet.intent).toBe('navigate');
    expect(toilet.match?.id).toBe('toilet-1');
    expect(toilet.lead).toBeFalsy();
    const item = await engine.ask('带我去办社保卡的窗口');
    expect(item.intent).toBe('navigate');
    expect(item.match?.id).toBe('GZ-SB-001');
    expect(item.guide?.id).toMatch(/^A0[1-5]$/);
    expect(item.lead).toBe(true);
    const none = await engine.ask('带我去Z09窗口');
    expect(none.match).toBeNull();
    expect(none.answer).toContain('Z09');
  });

  it('tickets, appointments, hall hours, FAQ', async () => {
    const t = await engine.ask('我要取号办居住证');
    expect(t.intent).toBe('ticket');
    expect(t.match?.id).toBe('GZ-GA-001');
    expect(t.answer).toContain('C');
    expect((await engine.ask('我要取号')).intent).toBe('ticket');
    const h = await engine.ask('你们几点下班');
    expect(h.intent).toBe('hall.hours');
    expect(h.answer).toContain('17:00');
    const p = await engine.ask('这里可以停车吗');
    expect(p.intent).toBe('faq');
    expect(p.match).toMatchObject({ kind: 'faq', id: 'parking' });
  });

  it('greeting, thanks, small talk, a person, stop', async () => {
    expect((await engine.ask('你好')).intent).toBe('greeting');
    expect((await engine.ask('谢谢你')).intent).toBe('thanks');
    expect((await engine.ask('你是谁')).intent).toBe('smalltalk');
    const human = await engine.ask('转人工');
    expect(human.intent).toBe('human');
    expect(human.guide?.id).toBe('reception');
    expect((await engine.ask('别说了')).intent).toBe('stop');
  });

  it('says plainly it does not know, offers staff, and invents nothing', async () => {
    for (const q of ['今天天气怎么样', '帮我订一张去北京的机票', '给我讲个笑话']) {
      const a = await engine.ask(q);
      expect(a.intent).toBe('out-of-scope');
      expect(a.match).toBeNull();
      expect(a.answer).toContain('不知道');
      expect(a.guide?.id).toBe('reception');
    }
  });

  it('gives no advice, opinions or forecasts, even when the nouns touch an item, but answers the item asked plainly', async () => {
    for (const q of ['学车哪家驾校便宜', '哪个牌子的奶粉好', '买哪个小区的房子划算', '孩子在广州读书好还是回老家读书好', '这份商业保险值不值得买', '明年社保缴费基数会不会涨', '结婚登记选哪天吉利', '哪个好']) {
      const a = await engine.ask(q);
      expect(a.intent, q).toBe('out-of-scope');
      expect(a.match).toBeNull();
      expect(a.answer).toContain('不给建议');
      expect(a.guide?.id).toBe('reception');
    }
    expect((await engine.ask('学车考驾照在哪报名')).match?.title).toBe('机动车驾驶证初次申领');
    expect((await engine.ask('结婚登记要带什么')).match?.title).toBe('结婚登记');
    expect((await engine.ask('社保卡在哪个窗口办')).match?.id).toBe('GZ-SB-001');
  });

  it('hears advice through a recogniser’s homophones, but a ticket asked for is still a ticket', async () => {
    // Written as a small model writes them: 稳鼎 for 稳定, 会捕会 for 会不会, 难捕难 for 难不难.
    for (const q of ['事业单危和私企哪个更稳鼎', '公积紧凡着一直不取，会捕会贬值啊', '教师资格争难捕难考']) {
      const a = await engine.ask(q);
      expect(a.intent, q).toBe('out-of-scope');
      expect(a.answer, q).toContain('不给建议');
    }
    // 拿个号 sounds like 哪个好; a one-syllable word of the patterns must be heard exactly.
    for (const q of ['我要拿个号', '去哪个窗口拿号', '拿个号吗']) expect((await engine.ask(q)).intent, q).not.toBe('out-of-scope');
    expect((await engine.ask('水利施工企业的良好行为记录去哪查')).intent).not.toBe('out-of-scope');
  });

  it('answers through a half-said alias only when the question also said most of the item’s own name', async () => {
    // A made-up item whose alias is long: a question saying half of it must not be enough on its own.
    const k = knowledgeFromConfig(cfg);
    const base = k.catalogue.items.find((i) => i.code === 'GZ-SB-001')!;
    const item = { ...base, code: 'X-1', name: '船员服务簿签发', aliases: ['船员服务簿丢失补领证件照片申请表格领取'], cases: [] };
    const small = createEngine({ ...k, catalogue: { items: [item, ...k.catalogue.items.slice(100, 400)] }, faq: [], synonyms: [] });
    expect((await small.ask('船员服务簿丢失补领')).match?.id).toBe('X-1');
    const unnamed = await small.ask('丢失补领证件照片');
    expect(unnamed.intent).toBe('out-of-scope');
    expect(unnamed.candidates[0]?.id).toBe('X-1');
  }, 30_000);

  it('finds an item by an everyday alias said whole, not by one everyday word it shares', async () => {
    // 低压居民报装 is found by its alias 家里装电表, which nothing in its name says.
    expect((await engine.ask('家里装电表找谁')).match?.title).toBe('低压居民报装');
    // 银行卡 is in an alias of 银税三方划缴协议, but a swallowed card is not about tax payment.
    expect((await engine.ask('银行卡被吞了咋整')).match?.title ?? null).not.toBe('银税三方（委托）划缴协议');
  });

  it('answers in English from the English templates', async () => {
    const a = await engine.ask('护照在哪个窗口办', undefined, { lang: 'en' });
    expect(a.match?.id).toBe('GZ-CRJ-002');
    expect(a.answer).toMatch(/window B0\d/);
    expect(a.card.sections.some((s) => s.label === 'Documents to bring')).toBe(true);
  });
});

describe('dialogue context', () => {
  it('answers follow-ups about the item under discussion', async () => {
    clock = 1_000_000;
    const s = engine.newSession();
    const first = await engine.ask('我想补办驾照', s);
    expect(first.match?.id).toBe('GZ-JJ-001');
    clock += 10_000;
    const where = await engine.ask('在哪个窗口?', s);
    expect(where.intent).toBe('item.where');
    expect(where.match?.id).toBe('GZ-JJ-001');
    const mat = await engine.ask('要带什么材料?', s);
    expect(mat.intent).toBe('item.materials');
    expect(mat.match?.id).toBe('GZ-JJ-001');
    const again = await engine.ask('再说一遍', s);
    expect(again.intent).toBe('repeat');
    expect(again.answer).toBe(mat.answer);
  });

  it('forgets the item after robot.contextSeconds of silence', async () => {
    clock = 2_000_000;
    const s = engine.newSession();
    expect((await engine.ask('护照在哪办', s)).match?.id).toBe('GZ-CRJ-002');
    clock += 44_000;
    expect((await engine.ask('要带什么材料?', s)).match?.id).toBe('GZ-CRJ-002');
    clock += 46_000;
    const late = await engine.ask('要带什么材料?', s);
    expect(late.match).toBeNull();
  });

  it('asks which sub-case before listing materials that differ, then takes "第二个"', async () => {
    clock = 3_000_000;
    const s = engine.newSession();
    const a = await engine.ask('社保卡要带什么材料', s);
    expect(a.clarify?.options.length).toBe(4);
    expect(a.match?.id).toBe('GZ-SB-001');
    const b = await engine.ask('第二个', s);
    expect(b.match?.case?.name).toBe('遗失补领');
    expect(b.intent).toBe('item.materials');
    expect(b.answer).toContain('挂失证明');
  });
});

describe('clarification between close candidates', () => {
  const item = (code: string, name: string): ServiceItem =>
    ({ code, name, department: '广州市公安局', type: '公共服务', themes: [], audiences: [], conditions: '', materials: [{ name: `${name}申请表`, required: true }], legalLimit: null, promisedLimit: null, visits: 1, onlineBooking: false, courier: false, cases: [], aliases: [], source: 'hall' }) as ServiceItem;
  const small = () =>
    createEngine({ catalogue: { items: [item('X-1', '甲类通行证签注'), item('X-2', '乙类通行证签注'), item('X-3', '营业执照办理')] }, hall: cfg.hall, faq: [], synonyms: [], templates: loadTemplates() });

  it('asks instead of guessing, and resolves by number or by touch', async () => {
    const e = small();
    const s = e.newSession();
    const a = await e.ask('通行证签注要带什么', s);
    expect(a.match).toBeNull();
    expect(a.clarify?.options.map((o) => o.id).sort()).toEqual(['X-1', 'X-2']);
    const second = a.clarify!.options[1];
    const b = await e.ask('第二个', s);
    expect(b.match?.id).toBe(second.id);
    expect(b.intent).toBe('item.materials');
    const c = await e.ask('通行证签注在哪', s);
    expect(c.clarify).toBeDefined();
    const d = await e.ask('', s, { choice: 1 });
    expect(d.match?.id).toBe(c.clarify!.options[0].id);
  });

  it('does not ask when the question names one of them', async () => {
    const a = await small().ask('乙类通行证签注要带什么');
    expect(a.match?.id).toBe('X-2');
    expect(a.clarify).toBeUndefined();
  });

  // A general entry and a specific one that extends it: the question says the common part and the specific word.
  const dup = () =>
    createEngine({ catalogue: { items: [item('Y-1', '往来港澳通行证及签注'), item('Y-2', '办理往来港澳通行证探亲签注'), item('Y-3', '办理往来港澳通行证商务签注')] }, hall: cfg.hall, faq: [], synonyms: [], templates: loadTemplates() });

  it('picks the near-duplicate the question names a distinguishing word of', async () => {
    const a = await dup().ask('港澳探亲签注怎么办');
    expect(a.clarify).toBeUndefined();
    expect(a.match?.id).toBe('Y-2');
    expect(a.candidates[0].id).toBe('Y-2');
    // The same word misheard (探亲 → 叹亲) still decides it.
    const b = await dup().ask('港澳叹亲签注怎么办');
    expect(b.match?.id).toBe('Y-2');
  });

  it('does not pick a specific entry when the question says only what they share', async () => {
    const a = await dup().ask('港澳签注怎么办');
    expect(a.match?.id ?? null).not.toBe('Y-2');
    expect(a.match?.id ?? null).not.toBe('Y-3');
  });
});

describe('accepting the robot\'s offer to lead', () => {
  async function dialogue(...turns: string[]) {
    const session = engine.newSession();
    const answers = [];
    for (const t of turns) answers.push(await engine.ask(t, session));
    return answers;
  }

  it('offers, and only walks once the visitor says yes', async () => {
    const [where, yes] = await dialogue('洗手间在哪', '好的');
    expect(where.lead).toBeFalsy();
    expect(where.answer).toContain('需要我带您过去吗');
    expect(yes).toMatchObject({ intent: 'navigate', lead: true, guide: { kind: 'place', id: where.guide!.id } });
  });

  it('asks before walking to a window named in a "where" question, walks on "带我去"', async () => {
    const [where, go] = await dialogue('B10窗口在哪', '带我去吧');
    expect(where).toMatchObject({ lead: false, guide: { id: 'B10' } });
    expect(go).toMatchObject({ lead: true, guide: { id: 'B10' } });
    expect((await dialogue('带我去B10窗口'))[0].lead).toBe(true);
  });

  it('leads to the item\'s window naming the service, and a new question after yes is a new question', async () => {
    const [, yes] = await dialogue('社保卡在哪个窗口办', '可以');
    expect(yes).toMatchObject({ lead: true, guide: { kind: 'window', id: 'A01' } });
    expect(yes.answer).toContain('社会保障卡申领');
    const [, next] = await dialogue('洗手间在哪', '好的，那护照怎么办');
    expect(next.match?.title).toContain('护照');
    expect(next.lead).toBeFalsy();
  });
});

describe('places a visitor means "the nearest one" of', () => {
  it('takes the toilet on the robot\'s floor unless a floor is named', async () => {
    expect((await engine.ask('厕所在哪')).match?.id).toBe('toilet-1');
    expect((await engine.ask('二楼厕所在哪')).match?.id).toBe('toilet-2');
    expect((await engine.ask('出口在哪')).clarify).toBeUndefined();
  });

  it('understands an English question on the English screen', async () => {
    const a = await engine.ask('Where is the toilet?', engine.newSession(), { lang: 'en' });
    expect(a.match).toMatchObject({ kind: 'place', id: 'toilet-1' });
    expect(a.answer).toMatch(/Shall I take you there/);
    expect((await engine.ask('take me to the lift', engine.newSession(), { lang: 'en' })).match?.id).toBe('lift-1');
  });
});
