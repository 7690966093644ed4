import { describe, expect, it } from 'vitest';
import type { OcrLine } from '../../../models/vision/engine.ts';
import { classify, understand } from '../../../models/vision/understand.ts';
import { prefill, reviewMaterials, type ShownPage } from '../../../models/vision/review.ts';
import { readCreditCode, readDate, readIdNumber } from '../../../models/vision/fields.ts';

/** OCR lines as the engine gives them: each row of strings at its own height, items left to right. */
function lines(rows: string[][]): OcrLine[] {
  return rows.flatMap((row, r) => row.map((text, i) => ({
    text,
    score: 0.99,
    box: [[i * 300, r * 50], [i * 300 + 280, r * 50], [i * 300 + 280, r * 50 + 30], [i * 300, r * 50 + 30]] as OcrLine['box'],
  })));
}

const FRONT = lines([['姓名徐志强'], ['性别男', '民族苗'], ['出生1964年10月24日'], ['住址四川省成都市武侯区武侯祠大街245'], ['号14栋158房'], ['公民身份号码 510107196410243599']]);
const BACK = (to: string) => lines([['中华人民共和国'], ['居民身份证'], ['签发机关', '成都市公安局武侯分局'], ['有效期限', `2013.09.09-${to}`]]);

describe('reading fields', () => {
  it('checks ID numbers and repairs only look-alike characters', () => {
    expect(readIdNumber('51010719641024359 9')).toEqual({ value: '510107196410243599' });
    expect(readIdNumber('5101O7196410243599')).toEqual({ value: '510107196410243599' });
    expect(readIdNumber('510107196410243598')).toEqual({ value: '510107196410243598', problem: 'id-checksum' });
    expect(readIdNumber('51010719641024')).toBeNull();
  });

  it('checks credit codes and dates', () => {
    expect(readCreditCode('91350100M000100Y43 其他')).toEqual({ value: '91350100M000100Y43' });
    expect(readCreditCode('91350100M0001OOY43')).toEqual({ value: '91350100M000100Y43' });
    expect(readCreditCode('91350100M000100Y42')?.problem).toBe('credit-checksum');
    // A space read as a 3 in front: both 18-character windows pass the code's check, only one the organisation code's.
    expect(readCreditCode('39111010584124B383B')).toEqual({ value: '9111010584124B383B' });
    expect(readDate('2019年4月22日至长期')).toEqual({ value: '2019-04-22' });
    expect(readDate('2023.02.30')?.problem).toBe('bad-date');
  });
});

describe('understanding a page', () => {
  it('names the ID card front and reads its fields, joining the wrapped address', () => {
    const r = understand(FRONT);
    expect(r.kind).toBe('id-card-front');
    expect(r.missing).toEqual([]);
    expect(Object.fromEntries(Object.entries(r.fields).map(([k, v]) => [k, v.value]))).toEqual({
      name: '徐志强', sex: '男', nation: '苗', birth: '1964-10-24', address: '四川省成都市武侯区武侯祠大街245号14栋158房', idNumber: '510107196410243599',
    });
  });

  it('reads a business licence whose labels were read with spaces and cells on their own', () => {
    const r = understand(lines([['营业执照'], ['统一社会信用代码91350100M000100Y43'], ['名', '称', '福州五四科技有限公司', '注册资本', '人民币100万元'], ['法定代表人', '林伟', '成立日期', '2019年4月22日'], ['住', '所', '福建省福州市鼓楼区五四路88号']]));
    expect(r.kind).toBe('business-licence');
    expect(r.fields.creditCode.value).toBe('91350100M000100Y43');
    expect(r.fields.name.value).toBe('福州五四科技有限公司');
    expect(r.fields.legalRep.value).toBe('林伟');
    expect(r.fields.established.value).toBe('2019-04-22');
    expect(r.fields.address.value).toBe('福建省福州市鼓楼区五四路88号');
  });

  it('joins a licence address that wrapped inside its column onto the next row', () => {
    const r = understand(lines([['营业执照'], ['统一社会信用代码91350100M000100Y43'], ['经营范围', '一般项目：技术服务、技', '住', '所', '北京市朝阳区朝阳北路166号25栋'], ['术咨询。', '1400房']]));
    expect(r.fields.address.value).toBe('北京市朝阳区朝阳北路166号25栋1400房');
  });

  it('takes the holder\'s own ID number off a marriage certificate', () => {
    const r = understand(lines([['结婚证'], ['持证人', '宋洋'], ['登记日期', '2022年3月3日'], ['结婚证字号', 'J350102-2022-008774'], ['姓名', '唐静'], ['身份证件号', '11010519850926907X'], ['姓名', '宋洋'], ['身份证件号', '350102199811072243']]));
    expect(r.kind).toBe('marriage-certificate');
    expect(r.fields.idNumber.value).toBe('350102199811072243');
    expect(r.fields.certificateNumber.value).toBe('J350102-2022-008774');
  });

  it('calls a page with none of the kinds\' words unknown', () => {
    expect(classify(['今天天气很好', '我们去公园'])).toBe('unknown');
    expect(understand(lines([['超市购物小票'], ['合计 35.00']])).kind).toBe('unknown');
  });
});

describe('the verdict on an item\'s materials', () => {
  const materials = [
    { name: '居民身份证', required: true },
    { name: '居民户口簿', required: true },
    { name: '营业执照', required: false },
    { name: '近期免冠照片', required: true },
  ];

  it('says which are present, missing, expired, unreadable, the wrong document or not for the machine to judge', () => {
    const pages: ShownPage[] = [
      { reading: understand(FRONT), forMaterial: '居民身份证' },
      { reading: understand(BACK('2020.09.09')), forMaterial: '居民身份证' },
      { reading: understand(lines([['营业执照'], ['统一社会信用代码91350100M000100Y43'], ['法定代表人', '林伟']])), forMaterial: '居民户口簿' },
    ];
    const v = reviewMaterials(materials, pages, '2026-12-07');
    expect(v.map((m) => m.status)).toEqual(['expired', 'wrong-document', 'unreadable', 'not-checked']);
    expect(v[0].reasons).toEqual([{ code: 'expired', field: 'validTo', kind: 'id-card-back', date: '2020-09-09' }]);
    expect(v[1].reasons).toEqual([{ code: 'other-kind', kind: 'business-licence' }]);
    // The licence page lacks its company name.
    expect(v[2].reasons).toEqual([{ code: 'not-found', field: 'name', kind: 'business-licence' }]);
  });

  it('passes an ID card with both sides in date, and asks for the side not shown', () => {
    expect(reviewMaterials(materials.slice(0, 1), [{ reading: understand(FRONT) }, { reading: understand(BACK('长期')) }], '2026-12-07')[0]).toEqual({ name: '居民身份证', required: true, status: 'present', reasons: [] });
    const oneSide = reviewMaterials(materials.slice(0, 1), [{ reading: understand(FRONT) }], '2026-12-07')[0];
    expect(oneSide.status).toBe('missing');
    expect(oneSide.reasons).toEqual([{ code: 'side-missing', kind: 'id-card-back' }]);
    expect(reviewMaterials(materials.slice(1, 2), [], '2026-12-07')[0].status).toBe('missing');
  });

  it('marks a page whose ID number fails its check unreadable and keeps it out of the prefill', () => {
    const bad = understand(lines([['姓名徐志强'], ['性别男', '民族苗'], ['公民身份号码 510107196410243598']]));
    expect(bad.fields.idNumber.problem).toBe('id-checksum');
    expect(reviewMaterials(materials.slice(0, 1), [{ reading: bad }, { reading: understand(BACK('长期')) }], '2026-12-07')[0].status).toBe('unreadable');
    expect(prefill([bad])).toEqual({ name: '徐志强', sex: '男' });
    expect(prefill([understand(FRONT)])).toMatchObject({ name: '徐志强', idNumber: '510107196410243599', birth: '1964-10-24' });
  });
});
