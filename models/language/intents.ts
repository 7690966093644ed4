/**
 * Intent cues: the words that say what a visitor wants done, as opposed to what they
 * name. Cues are found by sound, like everything else, so 才料 still asks for 材料; a
 * cue longer than one character needs one character heard right, a one-character cue
 * must be heard exactly. Found cues are cut out of the question before it is matched
 * against the catalogue.
 */
import type { QueryUnit } from './pinyin.ts';
import { CJK, fuzzySyllable, readingsOf, unitsOf } from './pinyin.ts';

export type Cue =
  | 'materials' | 'conditions' | 'where' | 'duration' | 'visits' | 'booking' | 'courier'
  | 'navigate' | 'ticket' | 'hours' | 'greeting' | 'thanks' | 'smalltalkName' | 'smalltalkAbility'
  | 'human' | 'repeat' | 'stop' | 'lookup' | 'advice' | 'progress' | 'filler';

const CUES: Record<Cue, string[]> = {
  materials: ['要带什么', '带什么', '带哪些', '准备什么', '准备哪些', '需要什么材料', '什么材料', '哪些材料', '材料', '资料', '证件要带', '要带啥', '带啥', '需要啥'],
  conditions: ['什么条件', '办理条件', '条件', '有什么要求', '什么要求', '符合', '资格', '够不够', '谁可以办', '能不能办', '可以办吗'],
  where: ['在哪办', '在哪里办', '哪里办', '去哪办', '去哪里办', '哪儿办', '在哪个窗口', '哪个窗口', '几号窗口', '什么窗口', '窗口在哪', '窗口', '在哪里', '在哪儿', '在哪', '哪里', '哪儿', '位置', '怎么走', '去哪', 'where'],
  duration: ['多长时间', '多久', '几天', '几个工作日', '要等多久', '什么时候能拿', '什么时候拿', '什么时候出', '多快', '时限', '当天能', '当场能', '马上能'],
  visits: ['跑几次', '跑几趟', '来几次', '来几趟', '要跑', '跑腿'],
  booking: ['预约', '约个时间', '提前约', '网上约', '约号'],
  courier: ['邮寄', '快递', '寄到家里', '寄到家', '寄回', '寄给我', '包邮', '送上门'],
  navigate: ['带我去', '带我过去', '领我去', '带路', '陪我去', '你带我', '我要去', '我想去', '怎么去', '领我过去', '送我去', 'take me', 'lead me', 'guide me', 'bring me', 'show me the way'],
  ticket: ['取号', '拿号', '排号', '取个号', '拿个号', '排个号', '领个号', '领号', '取票', '排队号', '叫号'],
  hours: ['几点开门', '几点上班', '几点下班', '几点关门', '几点钟', '上班时间', '下班时间', '营业时间', '开放时间', '办公时间', '工作时间', '周末上班', '周六上班', '星期六', '周末', '开门', '关门'],
  greeting: ['你好', '您好', '嗨', '哈喽', '早上好', '下午好', '在吗', 'hello', 'hi'],
  thanks: ['谢谢', '多谢', '感谢', '辛苦了', '再见', '拜拜', 'thank you', 'thanks', 'goodbye', 'bye'],
  smalltalkName: ['你是谁', '你叫什么', '你的名字', '你是什么'],
  smalltalkAbility: ['你会什么', '你能做什么', '你能干什么', '你会干什么', '你有什么用', '你能帮我什么'],
  // Staff by title are a person too (值班经理, 引导员): the visitor wants someone, not an item
  // whose name shares a word (保安 alone is 保安员证核发 and 志愿者 an item too, so only 找保安, 找志愿者 are a person).
  human: [
    '转人工', '人工服务', '人工客服', '找人工', '工作人员', '真人', '找个人', '投诉', '值班经理', '大堂经理', '值班长', '经理',
    '引导员', '导办员', '导服员', '找志愿者', '服务人员', '客服', '找保安', '叫保安', 'staff', 'a person', 'someone', 'human', 'manager',
  ],
  repeat: ['再说一遍', '再说一次', '再讲一遍', '重复一遍', '重复一下', '没听清', '没听清楚', '你说什么', '刚才说什么'],
  stop: ['停下', '停止', '别说了', '不用了', '算了', '闭嘴', '取消', '别走了', '不去了', '停一下', '先停'],
  lookup: ['查询', '查一下', '查查', '查看', '下载'],
  // Asking which shop, brand or school is best, or whether a price will rise: a hall neither
  // recommends businesses nor forecasts markets, whatever item the nouns happen to touch.
  advice: ['哪家好', '哪家便宜', '哪家靠谱', '哪家划算', '哪家实惠', '哪个牌子', '划算', '中奖率', '会涨', '能涨', '好吃', '好玩', '好看的'],
  // Asking after one's own case (我的证办好了没有): its state is the platform's, not the catalogue's.
  progress: ['办好了吗', '办好了没', '办好没', '办到哪了', '办到哪一步', '办件进度', '办理进度', '审核完了吗', '审批下来了吗', '批下来了吗', '可以领了吗', '能领了吗', '可以拿了吗', '能拿了吗'],
  // Function words found by sound too, so a misheard 什么 (申么) is still not taken for content.
  // Acknowledgements before a thanks or goodbye (明白了，再见) close a conversation; they name nothing.
  filler: ['明白了', '知道了', '没事了', '清楚了', '懂了', '没问题', 'ok', 'okay', 'alright', '什么', '怎么', '怎样', '如何', '可以', '能不能', '需要', '请问', '我想', '我要', '麻烦', '一下', '哪里', '这个', '那个', '是不是', '有没有', '应该', '办理', '要求'],
};

/** Words that carry no content: removed before matching (exact jieba tokens). */
export const STOP_WORDS = new Set(
  ('我 我想 我要 想 要 请问 问 问一下 问下 你好 您好 小今 你 您 怎么 怎样 如何 怎么样 什么 啥 的 了 吗 呢 啊 吧 呀 嘛 哦 噢 呃 嗯 一下 ' +
    '可以 能 能不能 可不可以 需要 需不需要 是 是不是 有 有没有 个 这个 那个 给 帮 帮我 麻烦 办 办理 办个 弄 搞 做 去 到 来 该 应该 得 ' +
    '都 还 就 请 一般 大概 现在 今天 这里 这边 那边 你们 咱们 我们 他 她 我家 家里 自己 一个 哪个 那 这 在 和 跟 又 也 多少 吗啊 好 对 ' +
    '谢谢 还有 然后 那么 就是 其实 怎么办 咋办 咋 咋弄 办下 办一下 需 要求 想要 打算 准备 问问 知道 不知道 告诉 告诉我 说 下 上 把 被 ' +
    // Whether a thing is done says nothing about which thing: 护照办好了能寄吗 is about 护照.
    '办好 办完 弄好 好了').split(' '),
);

/**
 * Opinions, advice and forecasts, which a hall does not give whatever item the nouns touch:
 * which one is best (哪家驾校便宜, 广州户口和深圳户口哪个更值钱, 跟爸爸好还是跟妈妈好),
 * whether it is worth it (值不值得, 有没有必要), what the future holds (房价会不会跌),
 * customs and etiquette (彩礼一般给多少, 哪天吉利), tips (倒车入库有什么技巧).
 * The 'advice' cue finds the set phrases by sound; these find them spread out, by sound
 * too. Written from the out-of-scope training questions; no in-scope dev or training
 * question matches them, clean or at 10 % and 20 % noise.
 */
const ADVICE_PHRASES = [
  '哪(?:个|家|种|所|一个|边)[^，,。？?]{0,8}(?:更|比较|最)?(?:好用|好看|划算|值钱|稳定|便宜|实惠|赚钱|靠谱|吉利|容易|好找工作|好考|好)(?:[？?呢吗啊]|$)',
  '好[，,]?还是',
  '还是[^，,。？?]{1,12}好[？?呢吗]?$',
  '值不值得|划不划算|靠不靠谱|难不难|有没有必要|划算吗|值得吗',
  '会不会(?:涨|跌|放宽|贬值|降)',
  '明年[^，,。？?]{0,8}(?:会|能)',
  '多少(?:合适|比较好|才够)|一般给多少|是不是太(?:少|多|贵)',
];
/** Single words that are advice on their own; written only, since two syllables alone recur by sound in names (随礼 in 水利). */
const ADVICE_WORDS = '彩礼|随礼|风水|吉利|技巧|怎么劝|怎么哄|怎么管';
const ADVICE_SPREAD = new RegExp([...ADVICE_PHRASES, ADVICE_WORDS].join('|'));

/**
 * A text spelt by sound: each Chinese character becomes one stand-in character for its
 * fuzzy syllable (a private-use code point), so a pattern written in characters also
 * matches what a recogniser wrote for the same sounds (哪个更稳鼎 for 哪个更稳定).
 * Everything else (punctuation, Latin letters, the pattern's own syntax) stays as it is,
 * and so do the characters that are words of one syllable in the patterns: like a cue of
 * one character, they must be heard exactly, or 拿个号 (ná gè hào) would ask 哪个好.
 */
const HEARD_EXACTLY = new Set([...'好更最涨跌降会能少多贵']);
const soundCodes = new Map<string, string>();
function spellBySound(text: string): string {
  let out = '';
  for (const ch of text) {
    if (HEARD_EXACTLY.has(ch) || !CJK.test(ch)) {
      out += ch;
      continue;
    }
    const syl = fuzzySyllable(readingsOf(ch)[0]);
    let code = soundCodes.get(syl);
    if (!code) soundCodes.set(syl, (code = String.fromCharCode(0xe000 + soundCodes.size)));
    out += code;
  }
  return out;
}
const ADVICE_BY_SOUND = new RegExp(spellBySound(ADVICE_PHRASES.join('|')));

/** Whether a question asks for advice, an opinion or a forecast rather than a service. */
export function asksAdvice(normalised: string, cues: ReadonlySet<Cue>): boolean {
  return cues.has('advice') || ADVICE_SPREAD.test(normalised) || ADVICE_BY_SOUND.test(spellBySound(normalised));
}

interface CuePhrase {
  cue: Cue;
  units: { char: string; syl: string }[];
}

const PHRASES: CuePhrase[] = Object.entries(CUES)
  .flatMap(([cue, words]) => words.map((w) => ({ cue: cue as Cue, units: unitsOf(w) })))
  .filter((p) => p.units.length > 0)
  .sort((a, b) => b.units.length - a.units.length);

export interface CueHit {
  cue: Cue;
  start: number;
  end: number;
}

/** Cues in a question, longest first, non-overlapping. */
export function findCues(units: QueryUnit[]): CueHit[] {
  const taken = new Array<boolean>(units.length).fill(false);
  const hits: CueHit[] = [];
  // Cues heard exactly are placed first, so 取号 is not lost to 我要去 heard in 我要取号.
  for (const bySound of [false, true]) {
    for (const p of PHRASES) {
      const n = p.units.length;
      if (bySound && n === 1) continue;
      for (let i = 0; i + n <= units.length; i++) {
        let ok = true;
        let exact = 0;
        for (let k = 0; k < n && ok; k++) {
          const u = units[i + k];
          if (taken[i + k]) ok = false;
          else if (u.char === p.units[k].char) exact++;
          else if (!bySound || !u.readings.has(p.units[k].syl)) ok = false;
        }
        if (!ok || exact === 0) continue;
        for (let k = 0; k < n; k++) taken[i + k] = true;
        hits.push({ cue: p.cue, start: i, end: i + n });
        i += n - 1;
      }
    }
  }
  return hits.sort((a, b) => a.start - b.start);
}

/**
 * 取个社保的号, 帮我拿一个办护照的号: the ticket asked for with its service said inside
 * it, which no cue word spans. Said again as 取号 + the service, the ticket cue and the
 * service are read as in 取号办护照. 号码, 号牌 and 号数 are other numbers.
 */
const TICKET_AROUND = /(?:取|拿|领|排|抽)一?个(.{1,12}?)的?号(?![码牌数])/;
export function ticketFirst(norm: string): string {
  return norm.replace(TICKET_AROUND, '取号$1');
}

/** "第2个", "2", "第二", "最后一个" → 1-based index (0 for last); null when not a choice. */
export function parseChoice(normalised: string): number | null {
  const s = normalised.replace(/[\s,.?!。？！]/g, '').replace(/^(?:我要|我选|选|是|要)/, '').replace(/(?:吧|啊|呀|的|那个|这个)$/g, '');
  let m = /^第?(\d{1,2})(?:个|项|种|条)?$/.exec(s);
  if (m) return Number(m[1]);
  m = /^第(\d{1,2})/.exec(s);
  if (m && s.length <= 6) return Number(m[1]);
  if (/^(?:最后一个|最后那个|最后一项|最后)$/.test(s)) return 0;
  const ordinal: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5 };
  m = /^第?([一二三四五])(?:个|项|种)$/.exec(s);
  if (m) return ordinal[m[1]];
  return null;
}
