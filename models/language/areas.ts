/**
 * Parts of the hall by what visitors call them. "医保的窗口在哪边", "带我去交社保的地方",
 * "取个公积金的号" name a queue group (社保医保, 住房公积金), not one item of it: the answer
 * is the group's windows or a ticket of its queue. Matching a catalogue item instead finds
 * whichever of the hundreds of social-insurance items shares the most characters, which
 * may be served by another group altogether (城乡居民社会保险费申报 is a tax item).
 *
 * A question is about an area only when, once the area's name is cut out, every other
 * word is a frame word (where, take me, a ticket, the window, particles): 社保卡在哪里办
 * leaves 卡 and stays a question about the card.
 */
import type { Hall, QueueGroup } from '../../config/schema.ts';

export type AreaWant = 'where' | 'lead' | 'ticket';

export interface AreaAsk {
  group: QueueGroup;
  want: AreaWant;
}

type Frame = Record<AreaWant | 'filler', string[]>;

const ZH: Frame = {
  lead: ['带我去', '带我过去', '领我去', '领我过去', '陪我去', '送我去', '带路', '我要去', '我想去', '怎么去'],
  where: ['在哪边', '在哪里', '在哪儿', '在哪个窗口', '在几号窗口', '在几楼', '哪个窗口', '几号窗口', '在哪', '哪边', '哪里', '哪儿', '去哪', '怎么走', '窗口', '柜台', '地方', '那边', '那里'],
  ticket: ['取号', '拿号', '领号', '排号'],
  filler: ['请问', '麻烦', '你好', '您好', '帮我', '给我', '我要', '我想', '你们', '一下', '办理', '业务', '部门', '区域', '想', '要', '去', '到', '办', '交', '缴', '的', '是', '在', '呢', '吗', '啊', '呀', '吧', '我', '区'],
};

const EN: Frame = {
  lead: ['take', 'bring', 'lead', 'guide', 'way'],
  where: ['where', 'get', 'find', 'window', 'windows', 'counter', 'counters', 'desk', 'section', 'area', 'office', 'located'],
  ticket: ['ticket', 'number', 'queue'],
  filler: ['is', 'are', 'the', 'a', 'an', 'for', 'of', 'to', 'me', 'i', 'want', 'need', 'would', 'like', 'please', 'can', 'could', 'you', 'show', 'how', 'do', 'go', 'my', 'which', 'what', 'floor', 'on', 'in', 'there', 'hello', 'hi', 'excuse', 'sorry', 'tell', 'us', 'we', 'should', 'department', 'services', 'service'],
};
const WANTS: AreaWant[] = ['ticket', 'lead', 'where'];

/** Whether a question is written in English (the letters outnumber the Chinese characters). */
export function isEnglish(text: string): boolean {
  const latin = (text.match(/[a-z]/gi) ?? []).length;
  const cjk = (text.match(/[\u3400-\u9fff]/g) ?? []).length;
  return latin >= 3 && latin > cjk * 2;
}

export class ServiceAreas {
  /** Every name of every group, longest first, so 不动产登记 is cut out before 不动产. */
  private readonly names: { name: string; group: QueueGroup }[];
  private readonly zhWords: { word: string; want: AreaWant | 'filler' }[];

  constructor(hall: Hall) {
    this.names = hall.groups
      .flatMap((group) => [group.name, group.nameEn ?? '', ...group.aliases].filter(Boolean).map((name) => ({ name: name.toLowerCase(), group })))
      .sort((a, b) => b.name.length - a.name.length);
    this.zhWords = (Object.entries(ZH) as [AreaWant | 'filler', string[]][]).flatMap(([want, words]) => words.map((word) => ({ word, want }))).sort((a, b) => b.word.length - a.word.length);
  }

  /** The area a (normalised) question names and what is wanted of it; null when it names something else too. */
  asked(norm: string): AreaAsk | null {
    return isEnglish(norm) ? this.askedEnglish(norm) : this.askedChinese(norm);
  }

  private askedChinese(norm: string): AreaAsk | null {
    const s = norm.replace(/[\s,.!?;:'"()、，。！？]/g, '');
    const found = this.names.find((n) => s.includes(n.name));
    if (!found) return null;
    const wants = new Set<AreaWant | 'filler'>();
    for (const piece of s.split(found.name)) {
      let rest = piece;
      while (rest) {
        const w = this.zhWords.find((x) => rest.startsWith(x.word));
        if (!w) return null;
        wants.add(w.want);
        rest = rest.slice(w.word.length);
      }
    }
    return this.want(found.group, wants);
  }

  private askedEnglish(norm: string): AreaAsk | null {
    const s = ` ${norm.toLowerCase().replace(/[^a-z&\s-]/g, ' ').replace(/\s+/g, ' ').trim()} `;
    const found = this.names.find((n) => s.includes(` ${n.name} `));
    if (!found) return null;
    const wants = new Set<AreaWant | 'filler'>();
    for (const word of s.replace(` ${found.name} `, ' ').trim().split(' ').filter(Boolean)) {
      const want = (Object.keys(EN) as (AreaWant | 'filler')[]).find((k) => EN[k].includes(word));
      if (!want) return null;
      wants.add(want);
    }
    return this.want(found.group, wants);
  }

  /** A ticket outranks a walk, a walk outranks where; the name alone asks nothing. */
  private want(group: QueueGroup, wants: Set<AreaWant | 'filler'>): AreaAsk | null {
    const want = WANTS.find((w) => wants.has(w));
    return want ? { group, want } : null;
  }
}
