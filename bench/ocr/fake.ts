/**
 * Fake but valid-looking people, firms and papers for the OCR's document set: ID numbers
 * with GB 11643 check digits, credit codes with GB 32100 check characters, dates that
 * agree with each other. Everything comes from a seed, so a set is rebuilt byte for byte.
 */
import { idCheckDigit } from '../../drivers/idcard/text.ts';
import { creditCheckChar, orgCheckChar } from '../../models/vision/credit-code.ts';
import { rng as mulberry32 } from '../../server/queue/simulate.ts';

export type Rng = () => number;

/** The queue simulator's mulberry32: the same sequence on every machine for a seed. */
export const seeded: (seed: number) => Rng = mulberry32;

export function pick<T>(rng: Rng, list: readonly T[]): T {
  return list[Math.floor(rng() * list.length)];
}

export function int(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

const AREAS = [
  { code: '440104', province: '广东省', city: '广州市', district: '越秀区', short: '粤', streets: ['中山四路', '北京路', '东风中路', '解放北路'] },
  { code: '440305', province: '广东省', city: '深圳市', district: '南山区', short: '粤', streets: ['科技园路', '南海大道', '深南大道', '后海大道'] },
  { code: '110105', province: '北京市', city: '北京市', district: '朝阳区', short: '京', streets: ['建国路', '朝阳北路', '东三环中路', '望京街'] },
  { code: '310104', province: '上海市', city: '上海市', district: '徐汇区', short: '沪', streets: ['漕溪北路', '肇嘉浜路', '天钥桥路', '虹桥路'] },
  { code: '350102', province: '福建省', city: '福州市', district: '鼓楼区', short: '闽', streets: ['五四路', '杨桥中路', '湖东路', '东街'] },
  { code: '330106', province: '浙江省', city: '杭州市', district: '西湖区', short: '浙', streets: ['文三路', '天目山路', '古墩路', '教工路'] },
  { code: '510107', province: '四川省', city: '成都市', district: '武侯区', short: '川', streets: ['人民南路', '科华北路', '武侯祠大街', '玉林北路'] },
] as const;
export type Area = (typeof AREAS)[number];

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高', '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平', '刚', '桂英', '建华', '志强', '晓东', '海燕', '国庆', '文博', '嘉怡', '子轩', '雨桐', '宇航', '思远', '欣然', '浩然', '梓涵'];
const NATIONS = ['汉', '汉', '汉', '汉', '回', '满', '壮', '苗', '土家', '朝鲜'];
const FIRM_WORDS = ['华信', '鼎盛', '恒通', '新元', '博远', '嘉禾', '瑞丰', '同创', '明德', '优品', '启航', '金桥'];
const FIRM_TRADES = ['科技', '贸易', '餐饮管理', '信息技术', '建筑工程', '文化传播', '电子商务', '物业管理'];

export interface Person {
  name: string;
  sex: '男' | '女';
  nation: string;
  /** YYYY-MM-DD */
  birth: string;
  idNumber: string;
  area: Area;
  address: string;
  phone: string;
}

export interface Firm {
  name: string;
  creditCode: string;
  area: Area;
  address: string;
  legalRep: string;
  capital: string;
  established: string;
  kind: string;
}

export function isoDate(y: number, m: number, d: number): string {
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export function date(rng: Rng, fromYear: number, toYear: number): string {
  return isoDate(int(rng, fromYear, toYear), int(rng, 1, 12), int(rng, 1, 28));
}

function address(rng: Rng, area: Area): string {
  const city = area.province === area.city ? area.city : area.province + area.city;
  return `${city}${area.district}${pick(rng, area.streets)}${int(rng, 1, 299)}号${rng() < 0.6 ? `${int(rng, 1, 30)}栋${int(rng, 101, 2808)}房` : ''}`;
}

export function person(rng: Rng, opts: { sex?: '男' | '女'; bornFrom?: number } = {}): Person {
  const area = pick(rng, AREAS);
  const sex = opts.sex ?? (rng() < 0.5 ? '男' : '女');
  const birth = date(rng, opts.bornFrom ?? 1950, 2004);
  const seq = int(rng, 0, 99) * 10 + (sex === '男' ? pick(rng, [1, 3, 5, 7, 9]) : pick(rng, [0, 2, 4, 6, 8]));
  const first17 = `${area.code}${birth.replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
  return {
    name: pick(rng, SURNAMES) + pick(rng, GIVEN),
    sex,
    nation: pick(rng, NATIONS),
    birth,
    idNumber: first17 + idCheckDigit(first17),
    area,
    address: address(rng, area),
    phone: `1${pick(rng, ['38', '39', '58', '86', '35', '77'])}${String(int(rng, 0, 99999999)).padStart(8, '0')}`,
  };
}

const ORG_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

export function firm(rng: Rng): Firm {
  const area = pick(rng, AREAS);
  let org8 = '';
  for (let i = 0; i < 8; i++) org8 += rng() < 0.8 ? String(int(rng, 0, 9)) : ORG_CHARS[int(rng, 10, ORG_CHARS.length - 1)];
  // The organisation check may be X, which the credit code's alphabet also has.
  const first17 = `91${area.code}${org8}${orgCheckChar(org8)}`;
  const trade = pick(rng, FIRM_TRADES);
  return {
    name: `${area.city.replace('市', '')}${pick(rng, FIRM_WORDS)}${trade}有限公司`,
    creditCode: first17 + creditCheckChar(first17),
    area,
    address: address(rng, area),
    legalRep: pick(rng, SURNAMES) + pick(rng, GIVEN),
    capital: `${pick(rng, [50, 100, 200, 300, 500, 1000])}万元`,
    established: date(rng, 2005, 2022),
    kind: '有限责任公司（自然人投资或控股）',
  };
}
