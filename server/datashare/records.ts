/**
 * The records the gateway simulator serves: plausible figures for a citizen, the same on
 * every run for the same identity (seeded by the number), in the shape of the real
 * certificates (广州市社会保险参保缴费证明, 中华人民共和国个人所得税纳税记录, …). Which records
 * exist follows the person: a household register and a real-estate title only for a
 * mainland resident, no housing fund for a foreign permanent resident.
 */
import { type DataRecord, type RecordKind, type RecordRow } from '../../protocol/datashare.ts';

/** A citizen the simulator knows: what the ID-card simulator's cards say of them. */
export interface SimCitizen {
  idNumber: string;
  name: string;
  /** YYYY-MM-DD */
  birth: string;
  sex: '男' | '女';
  address: string;
  cardType: 'resident' | 'hk-macau-taiwan' | 'foreign-permanent';
}

/** xorshift32 over the number's characters: the same citizen gets the same figures. */
function seeded(idNumber: string): () => number {
  let x = [...idNumber].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0, 2166136261) || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x1_0000_0000;
  };
}

const yuan = (n: number) => n.toFixed(2);
const row = (zh: string, en: string, value: string): RecordRow => ({ label: { zh, en }, value });

/** The twelve months before `now`'s month in the hall's calendar, oldest first, as YYYY-MM. */
function lastMonths(now: Date, count = 12): string[] {
  const cst = new Date(now.getTime() + 8 * 3600_000);
  const months: string[] = [];
  for (let i = count; i >= 1; i--) {
    const d = new Date(Date.UTC(cst.getUTCFullYear(), cst.getUTCMonth() - i, 1));
    months.push(d.toISOString().slice(0, 7));
  }
  return months;
}

/** The instant in the hall's time, with its +08:00 offset, as Chinese certificates state it. */
export function hallTimestamp(now: Date): string {
  return `${new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;
}

export function hasRecord(c: SimCitizen, kind: RecordKind): boolean {
  if (kind === 'household' || kind === 'real-estate') return c.cardType === 'resident';
  if (kind === 'housing-fund') return c.cardType !== 'foreign-permanent';
  return true;
}

const EMPLOYER = '广州小今信息科技有限公司';

export function recordFor(c: SimCitizen, kind: RecordKind, now: Date): DataRecord | null {
  if (!hasRecord(c, kind)) return null;
  const rand = seeded(`${c.idNumber}/${kind}`);
  const months = lastMonths(now);
  const base = Math.round((6000 + rand() * 9000) / 100) * 100;
  const head = { kind, holder: { name: c.name, idNumber: c.idNumber }, issuedAt: hallTimestamp(now) };
  const title = (zh: string, en: string) => ({ zh, en });
  switch (kind) {
    case 'social-security':
      return {
        ...head,
        title: title('广州市社会保险参保缴费记录', 'Guangzhou social insurance contribution record'),
        source: title('广州市人力资源和社会保障局', 'Guangzhou Human Resources and Social Security Bureau'),
        rows: [
          row('参保单位', 'Employer', EMPLOYER),
          row('参保状态', 'Status', '正常参保'),
          row('累计缴费月数', 'Months contributed', String(96 + Math.floor(rand() * 200))),
          row('查询期间', 'Period', `${months[0]} 至 ${months[months.length - 1]}`),
        ],
        table: {
          columns: [
            { zh: '费款所属期', en: 'Month' },
            { zh: '缴费基数', en: 'Base' },
            { zh: '养老(个人)', en: 'Pension (own)' },
            { zh: '医疗(个人)', en: 'Medical (own)' },
            { zh: '失业(个人)', en: 'Unemployment (own)' },
            { zh: '单位缴纳合计', en: 'Employer total' },
            { zh: '缴费状态', en: 'State' },
          ],
          rows: months.map((m) => [m, yuan(base), yuan(base * 0.08), yuan(base * 0.02), yuan(base * 0.002), yuan(base * 0.2162), '已实缴']),
        },
      };
    case 'income-tax': {
      const monthly = months.map(() => Math.max(0, (base + 3000 - 5000) * 0.03 + rand() * 40));
      const total = monthly.reduce((a, b) => a + b, 0);
      return {
        ...head,
        title: title('中华人民共和国个人所得税完税证明', 'Individual income tax payment proof'),
        source: title('国家税务总局广州市税务局', 'Guangzhou Municipal Tax Service, STA'),
        rows: [
          row('纳税人识别号', 'Taxpayer number', c.idNumber),
          row('扣缴义务人', 'Withholding agent', EMPLOYER),
          row('税款所属期间', 'Tax period', `${months[0]} 至 ${months[months.length - 1]}`),
          row('实缴(退)金额合计', 'Total paid', `¥${yuan(total)}`),
        ],
        table: {
          columns: [
            { zh: '税款所属期', en: 'Period' },
            { zh: '税种', en: 'Tax' },
            { zh: '品目', en: 'Item' },
            { zh: '入(退)库日期', en: 'Paid on' },
            { zh: '实缴(退)金额', en: 'Amount' },
          ],
          rows: months.map((m, i) => [m, '个人所得税', '工资薪金所得', `${months[i + 1] ?? hallTimestamp(now).slice(0, 7)}-15`, yuan(monthly[i])]),
        },
      };
    }
    case 'housing-fund': {
      const deposit = Math.round(base * 0.12) * 2;
      const balance = deposit * (40 + Math.floor(rand() * 80));
      return {
        ...head,
        title: title('广州住房公积金缴存记录', 'Guangzhou housing fund deposit record'),
        source: title('广州住房公积金管理中心', 'Guangzhou Housing Provident Fund Management Center'),
        rows: [
          row('单位名称', 'Employer', EMPLOYER),
          row('个人账号', 'Account', `1101${c.idNumber.slice(-8)}`),
          row('账户状态', 'Account state', '正常'),
          row('缴存基数', 'Deposit base', `¥${yuan(base)}`),
          row('月缴存额', 'Monthly deposit', `¥${yuan(deposit)}`),
          row('账户余额', 'Balance', `¥${yuan(balance)}`),
        ],
        table: {
          columns: [
            { zh: '缴存年月', en: 'Month' },
            { zh: '单位缴存', en: 'Employer' },
            { zh: '个人缴存', en: 'Own' },
            { zh: '状态', en: 'State' },
          ],
          rows: months.map((m) => [m, yuan(deposit / 2), yuan(deposit / 2), '已缴存']),
        },
      };
    }
    case 'real-estate': {
      const year = 2008 + Math.floor(rand() * 12);
      const area = 60 + Math.floor(rand() * 80) + Math.floor(rand() * 100) / 100;
      return {
        ...head,
        title: title('广州市不动产登记信息摘要', 'Guangzhou real estate registration summary'),
        source: title('广州市规划和自然资源局（不动产登记中心）', 'Guangzhou Real Estate Registration Center'),
        rows: [
          row('权利人', 'Right holder', c.name),
          row('不动产权证号', 'Certificate number', `粤(${year})广州市不动产权第${String(Math.floor(rand() * 10_000_000)).padStart(7, '0')}号`),
          row('坐落', 'Location', c.address),
          row('权利类型', 'Right', '国有建设用地使用权/房屋所有权'),
          row('用途', 'Use', '城镇住宅用地/住宅'),
          row('建筑面积', 'Floor area', `${area.toFixed(2)}㎡`),
          row('共有情况', 'Co-ownership', '单独所有'),
          row('登记时间', 'Registered', `${year}-${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}`),
          row('抵押、查封情况', 'Mortgage or seizure', '无'),
        ],
      };
    }
    case 'household':
      return {
        ...head,
        title: title('常住人口登记信息摘要', 'Permanent residence registration extract'),
        source: title('广州市公安局', 'Guangzhou Public Security Bureau'),
        rows: [
          row('姓名', 'Name', c.name),
          row('性别', 'Sex', c.sex),
          row('民族', 'Ethnic group', '汉'),
          row('出生日期', 'Date of birth', c.birth),
          row('公民身份号码', 'ID number', c.idNumber),
          row('户号', 'Household number', `4401${c.idNumber.slice(6, 12)}`),
          row('与户主关系', 'Relation to head', '户主'),
          row('住址', 'Address', c.address),
          row('登记机关', 'Registry', '广州市公安局越秀区分局府前派出所'),
        ],
      };
  }
}

