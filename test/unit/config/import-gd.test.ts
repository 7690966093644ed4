import { describe, expect, it } from 'vitest';
import { convertSeed, parseTimeLimit, present, splitCase } from '../../../config/import-gd.ts';
import { Catalogue } from '../../../config/schema.ts';
import { seedRecord as record } from './helpers.ts';

const line = (over: Record<string, unknown>) => JSON.stringify(record(over));

describe('values the portal writes as "nothing"', () => {
  it('treats null, 无, empty and their cousins as absent', () => {
    for (const v of [null, undefined, '', '  ', '无', ' 无 ', 'null', 'NULL', '/', '-', '暂无']) expect(present(v), String(v)).toBeUndefined();
    expect(present('0')).toBe('0');
    expect(present(' 无犯罪记录证明 ')).toBe('无犯罪记录证明');
  });

  it('reads time limits and gives up on what it cannot read', () => {
    expect(parseTimeLimit('30(工作日)')).toEqual({ value: 30, unit: '工作日', text: '30(工作日)' });
    expect(parseTimeLimit('5天')).toMatchObject({ value: 5, unit: '自然日' });
    expect(parseTimeLimit('即办')).toMatchObject({ value: 0, unit: '即办' });
    expect(parseTimeLimit('无')).toBeNull();
    expect(parseTimeLimit(null)).toBeNull();
    expect(parseTimeLimit('视情况而定')).toBeNull();
  });

  it('leaves out absent fields instead of writing 无 into the catalogue', () => {
    const { catalogue } = convertSeed(
      line({
        TASK_CODE: 'A1',
        consult_phone: '无',
        complain_phone: null,
        URL: '',
        handle_location: '办理地点：无',
        handle_time: '无',
        handle_time_limit: null,
        visit_number: '无',
        accept_standard: '无',
        material_intro: '身份证；无；；申请表；身份证',
        theme_category: null,
        service_object_name: ['自然人', '无', null, ''],
        TASK_TYPE_TEXT: '无',
        matter_type: '公共服务',
      }),
    );
    const [item] = catalogue.items;
    expect(item.consultPhone).toBeUndefined();
    expect(item.complainPhone).toBeUndefined();
    expect(item.url).toBeUndefined();
    expect(item.location).toBeUndefined();
    expect(item.legalLimit).toBeNull();
    expect(item.promisedLimit).toBeNull();
    expect(item.visits).toBeNull();
    expect(item.conditions).toBe('');
    expect(item.materials.map((m) => m.name)).toEqual(['身份证', '申请表']);
    expect(item.themes).toEqual([]);
    expect(item.audiences).toEqual(['自然人']);
    expect(item.type).toBe('公共服务');
    expect(JSON.stringify(item)).not.toContain('"无"');
  });
});

describe('sub-cases', () => {
  it('splits names only where the record says the bracket is a circumstance', () => {
    expect(splitCase('实验动物生产许可(新申请)', '实验动物生产许可', '新申请')).toEqual({ parent: '实验动物生产许可', sub: '新申请' });
    expect(splitCase('护士执业注册（首次注册）', '护士执业注册')).toEqual({ parent: '护士执业注册', sub: '首次注册' });
    // Part of the official name: the matter carries the bracket too.
    expect(splitCase('高等职业学校设立（含设置分校区）', '高等职业学校设立（含设置分校区）')).toEqual({ parent: '高等职业学校设立（含设置分校区）' });
    expect(splitCase('民办学校（专科层次）设立', '民办学校设立')).toEqual({ parent: '民办学校（专科层次）设立' });
    // subTaskName without a usable matter name: the bracket goes.
    expect(splitCase('档案查询(个人)', undefined, '个人')).toEqual({ parent: '档案查询', sub: '个人' });
  });

  it('gathers subTaskName records and bracketed names into one parent each', () => {
    const text = [
      line({ TASK_CODE: 'S1', TASK_NAME: '实验动物生产许可(新申请)', subTaskName: '新申请', matter_name: '实验动物生产许可', CATAID: 'C7', material_intro: '申请书；营业执照；设施证明', visit_number: '1' }),
      line({ TASK_CODE: 'S2', TASK_NAME: '实验动物生产许可(变更)', subTaskName: '变更', matter_name: '实验动物生产许可', CATAID: 'C7', material_intro: '申请书；营业执照；变更说明', visit_number: '2' }),
      line({ TASK_CODE: 'N1', TASK_NAME: '护士执业注册（首次注册）', matter_name: '护士执业注册', CATAID: 'C8', visit_number: null }),
      line({ TASK_CODE: 'N2', TASK_NAME: '护士执业注册（延续注册）', matter_name: '护士执业注册', CATAID: 'C8', visit_number: '无' }),
      line({ TASK_CODE: 'P1', TASK_NAME: '高等职业学校设立（含设置分校区）', matter_name: '高等职业学校设立（含设置分校区）' }),
    ].join('\n');
    const { catalogue, records, problems } = convertSeed(text);
    expect(problems).toEqual([]);
    expect(records).toBe(5);
    expect(catalogue.items.map((i) => [i.code, i.name, i.cases.map((c) => c.name)])).toEqual([
      ['G-ORG1-C7', '实验动物生产许可', ['新申请', '变更']],
      ['G-ORG1-C8', '护士执业注册', ['首次注册', '延续注册']],
      ['P1', '高等职业学校设立（含设置分校区）', []],
    ]);
    const animals = catalogue.items[0];
    expect(animals.cases.map((c) => c.code)).toEqual(['S1', 'S2']);
    expect(animals.cases[1].fullName).toBe('实验动物生产许可(变更)');
    // What every case needs is shown before a case is chosen; the rest stays with its case.
    expect(animals.materials.map((m) => m.name)).toEqual(['申请书', '营业执照']);
    expect(animals.cases[1].materials.map((m) => m.name)).toContain('变更说明');
    expect(animals.visits).toBe(2);
    // No case knows its visits: unknown, not 零跑动.
    expect(catalogue.items[1].visits).toBeNull();
    expect(() => Catalogue.parse(catalogue)).not.toThrow();
  });

  it('keeps same-named items of different departments apart', () => {
    const text = [
      line({ TASK_CODE: 'D1', TASK_NAME: '档案查询(个人)', subTaskName: '个人', matter_name: '档案查询', DEPT_NAME: '甲局', CATAID: 'K1' }),
      line({ TASK_CODE: 'D2', TASK_NAME: '档案查询(个人)', subTaskName: '个人', matter_name: '档案查询', DEPT_NAME: '乙局', CATAID: 'K1' }),
    ].join('\n');
    const { catalogue } = convertSeed(text);
    expect(catalogue.items.map((i) => [i.code, i.department])).toEqual([
      ['G-ORG1-K1', '甲局'],
      ['G-ORG1-K1-2', '乙局'],
    ]);
  });
});

describe('malformed lines', () => {
  it('reports each bad line by number, skips it, and imports the rest', () => {
    const text = [
      line({ TASK_CODE: 'OK1' }),
      '{"TASK_CODE": "BROKEN", "TASK_NAME": ',
      '',
      '[1, 2, 3]',
      line({ TASK_CODE: null }),
      line({ TASK_CODE: 'OK2', TASK_NAME: '无' }),
      line({ TASK_CODE: 'OK3', DEPT_NAME: '' }),
      line({ TASK_CODE: 'OK1', TASK_NAME: '重复编码' }),
      'null',
      line({ TASK_CODE: 'OK4', TASK_NAME: '最后一项' }),
      '',
    ].join('\r\n');
    const { catalogue, problems, records } = convertSeed(text);
    expect(problems.map((p) => p.line)).toEqual([2, 4, 5, 6, 7, 8, 9]);
    expect(problems[0].message).toMatch(/^not valid JSON/);
    expect(problems[1].message).toBe('not a JSON object');
    expect(problems[2].message).toBe('missing TASK_CODE');
    expect(problems[3].message).toBe('missing TASK_NAME');
    expect(problems[4].message).toBe('missing DEPT_NAME');
    expect(problems[5].message).toBe('duplicate TASK_CODE OK1');
    expect(records).toBe(2);
    expect(catalogue.items.map((i) => i.code)).toEqual(['OK1', 'OK4']);
    expect(catalogue.items[0].name).toBe('示例事项');
  });

  it('reads a file that starts with a byte-order mark', () => {
    const { problems, records } = convertSeed('\ufeff' + line({ TASK_CODE: 'B1' }));
    expect(problems).toEqual([]);
    expect(records).toBe(1);
  });
});
