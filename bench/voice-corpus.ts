/**
 * Other hall speech for counting false wakes: many distinct sentences a robot overhears in
 * a service hall — visitors asking about the hall's own service items (config/default's
 * catalogue and the Guangdong portal export), its windows and places, the FAQ, the robot's
 * own spoken answers, staff and visitor chatter, and near-misses of the wake word — each
 * said once, in a voice (espeak-ng variant, speed, pitch) chosen by a seeded draw, so half
 * an hour of it is half an hour of different speech, not one minute looped.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pinyin } from 'pinyin-pro';
import { sentencesOf } from '../models/voice/pipeline.ts';
import { rng } from '../server/queue/simulate.ts';
import type { Voice } from '../test/integration/voice/synth.ts';

const ROOT = resolve(import.meta.dirname, '..');
const json = <T>(file: string): T => JSON.parse(readFileSync(resolve(ROOT, file), 'utf8')) as T;

const ITEM_QUESTIONS = ['请问{x}在哪里办', '{x}需要带什么材料', '我想办一下{x}', '{x}要多长时间才能办好', '{x}可以网上办吗', '帮我查一下{x}', '{x}是在几楼办理', '办{x}要不要预约', '{x}收费吗', '我来咨询{x}的事情'];
const PLACE_QUESTIONS = ['{x}怎么走', '请问{x}在哪里', '带我去{x}吧', '{x}是不是在那边', '我在{x}等你'];
const WINDOW_PHRASES = ['请{x}号到{w}办理', '{w}现在有人吗', '我刚才在{w}排队', '{w}的工作人员去哪了'];
/** What else a hall hears, near-misses of 小今 among it (小琴, 小金鱼, 小心, 今天). */
const CHATTER = [
  '今天几点下班', '今天人好多啊', '小心地滑请慢走', '小琴你过来一下', '小新今天没来上班', '小琴小琴', '小新小新', '小金鱼在哪里买',
  '小今天去哪了', '小敏帮我复印一下', '小林你把材料拿过来', '小青小青', '小晶你好', '你好请问一下', '您好请出示身份证', '请保管好您的随身物品',
  '请在黄线外等候', '请您在屏幕上签名', '麻烦您再说一遍', '我的号已经过号了', '这个表格怎么填', '复印在哪里', '我忘记带户口本了', '排了一个多小时了',
  '妈妈我口渴', '爸爸我们回家吧', '手机没电了哪里能充电', '这里可以刷医保卡吗', '能不能用微信支付', '明天还要再来一趟吗', '我帮你看一下材料', '谢谢你再见',
  '不用了谢谢', '好的我知道了', '等一下我打个电话', '经理在不在', '请问值班经理在哪', '引导员在哪里', '自助机坏了', '打印机没纸了',
  '现在叫到多少号了', '下一位请到窗口', '请带好您的材料', '证件照要拍几张', '我想投诉', '小金库的问题去哪反映', '小区物业证明要盖章吗', '今年的社保基数是多少',
];

/** A phrase's syllables without tones, for telling which sentences contain a wake word. */
const toneless = (text: string) => pinyin(text, { toneType: 'none', type: 'array', nonZh: 'removed' }).join(' ');

export interface HallSentence {
  text: string;
  voice: Required<Voice>;
}

const VARIANTS = ['m1', 'm2', 'm3', 'm4', 'm7', 'f1', 'f2', 'f3', 'f4', 'f5', 'klatt', 'klatt3'];

/**
 * Distinct hall sentences in a seeded order, each with its own voice; none contains a
 * wake word's syllables (小金小金 sounds the same as 小今小今 and would rightly wake it).
 */
export function hallSentences(wakeWords: readonly string[], seed = 14): HallSentence[] {
  // Seeded: the same corpus every run, so runs compare.
  const rnd = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const catalogue = json<{ items: { name: string }[] }>('config/default/catalogue.json').items.map((i) => i.name);
  const portal = readFileSync(resolve(ROOT, '../shared/data/gd-service-items.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { TASK_NAME?: string }).TASK_NAME ?? '');
  const hall = json<{ places: { name: string; aliases?: string[] }[]; windows: { id: string; name: string }[] }>('config/default/hall.json');
  const faq = json<{ question: string; answer: string }[]>('config/default/faq.json');

  const items = [...new Set([...catalogue, ...portal])].filter((n) => n.length >= 2 && n.length <= 16);
  const out = new Set<string>();
  const add = (s: string) => {
    const t = s.replace(/[（(].*?[)）]/g, '').replace(/\s+/g, '');
    if (t.length >= 2) out.add(t);
  };
  for (const name of items) if (rnd() < 0.3) add(pick(ITEM_QUESTIONS).replace('{x}', name));
  for (const p of hall.places) for (const x of [p.name, ...(p.aliases ?? []).filter((a) => /\p{Script=Han}/u.test(a))]) add(pick(PLACE_QUESTIONS).replace('{x}', x));
  for (const w of hall.windows) add(pick(WINDOW_PHRASES).replace('{w}', w.name).replace('{x}', `${w.id}${String(Math.floor(rnd() * 90) + 10)}`));
  for (const f of faq) {
    add(f.question);
    for (const s of sentencesOf(f.answer)) add(s);
  }
  for (const c of CHATTER) add(c);

  const wakes = wakeWords.map(toneless);
  const sentences = [...out].filter((s) => !wakes.some((w) => toneless(s).includes(w)));
  // Fisher–Yates with the seeded draw, so the voices and noise fall on every kind of sentence.
  for (let i = sentences.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [sentences[i], sentences[j]] = [sentences[j], sentences[i]];
  }
  return sentences.map((text) => ({ text, voice: { variant: pick(VARIANTS), speed: 110 + Math.floor(rnd() * 80), pitch: 15 + Math.floor(rnd() * 80) } }));
}
