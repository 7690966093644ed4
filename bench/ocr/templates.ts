/**
 * HTML of each document kind as a citizen would bring it (copies of the ID card's two
 * sides, a household register page, the marriage certificate's inner page, a business
 * licence, a property certificate, a VAT invoice, an application form), filled with fake
 * data, and the key fields a reader should get back.
 */
import type { DocumentKind } from '../../protocol/prereview.ts';
import { date, firm, int, isoDate, person, pick, type Person, type Rng } from './fake.ts';

export interface RenderedDoc {
  kind: DocumentKind;
  html: string;
  /** The key fields as protocol/prereview.ts names them. */
  truth: Record<string, string>;
}

const FONT = `'Noto Serif CJK SC', 'WenQuanYi Micro Hei', serif`;
const SANS = `'WenQuanYi Micro Hei', 'Noto Sans CJK SC', sans-serif`;

function page(body: string, css: string, width: number): string {
  return `<!doctype html><html><head><meta charset="utf-8"><style>
  *{box-sizing:border-box;margin:0;padding:0}
  body{background:#fff;font-family:${SANS};color:#111}
  #doc{width:${width}px;background:#fff;position:relative}
  ${css}</style></head><body><div id="doc">${body}</div></body></html>`;
}

function cn(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

function dotted(iso: string): string {
  return iso.replaceAll('-', '.');
}

function idFront(rng: Rng): RenderedDoc {
  const p = person(rng);
  const [y, m, d] = p.birth.split('-').map(Number);
  const html = page(`<div class="card">
    <div class="row"><span class="l">姓 名</span><span class="v">${p.name}</span></div>
    <div class="row"><span class="l">性 别</span><span class="v">${p.sex}</span><span class="l gap">民 族</span><span class="v">${p.nation}</span></div>
    <div class="row"><span class="l">出 生</span><span class="v">${y}</span><span class="l">年</span><span class="v">${m}</span><span class="l">月</span><span class="v">${d}</span><span class="l">日</span></div>
    <div class="row addr"><span class="l">住 址</span><span class="v">${p.address}</span></div>
    <div class="photo"></div>
    <div class="row id"><span class="l">公民身份号码</span><span class="v num">${p.idNumber}</span></div></div>`,
  `.card{margin:30px;width:856px;height:540px;border-radius:24px;background:linear-gradient(135deg,#eef4f6,#dde9ee);padding:46px 40px;position:relative}
   .row{font-size:27px;margin-bottom:22px;display:flex;gap:14px;align-items:baseline}
   .l{color:#1f5f8b;letter-spacing:2px}.v{font-weight:600}.gap{margin-left:60px}
   .addr{width:520px;flex-wrap:wrap;line-height:1.5}.addr .v{flex:1}
   .photo{position:absolute;right:50px;top:70px;width:200px;height:250px;background:#c9d3d8;border-radius:6px}
   .id{position:absolute;bottom:36px;left:40px}.num{font-family:'Noto Sans Mono CJK SC',monospace;font-size:32px;letter-spacing:3px}`, 916);
  return { kind: 'id-card-front', html, truth: { name: p.name, sex: p.sex, nation: p.nation, birth: p.birth, address: p.address, idNumber: p.idNumber } };
}

function idBack(rng: Rng): RenderedDoc {
  const p = person(rng);
  const from = date(rng, 2012, 2024);
  const years = pick(rng, [10, 20, 20, 0]);
  const [fy, fm, fd] = from.split('-').map(Number);
  const to = years ? isoDate(fy + years, fm, fd) : '长期';
  const authority = `${p.area.city}公安局${p.area.district.replace(/区$/, '')}分局`;
  const html = page(`<div class="card">
    <div class="emblem"></div>
    <div class="title">中华人民共和国</div><div class="sub">居民身份证</div>
    <div class="row"><span class="l">签发机关</span><span class="v">${authority}</span></div>
    <div class="row"><span class="l">有效期限</span><span class="v">${dotted(from)}-${years ? dotted(to) : '长期'}</span></div></div>`,
  `.card{margin:30px;width:856px;height:540px;border-radius:24px;background:linear-gradient(135deg,#f2f0e6,#e4efe9);padding:40px 60px;position:relative}
   .emblem{position:absolute;left:60px;top:40px;width:130px;height:130px;border-radius:50%;background:#d2a24c}
   .title{margin-left:200px;font-family:${FONT};font-size:40px;letter-spacing:8px;margin-top:20px}
   .sub{margin-left:220px;font-family:${FONT};font-size:54px;letter-spacing:10px;margin-top:10px}
   .row{font-size:28px;margin-top:44px;margin-left:120px;display:flex;gap:30px}.row+.row{margin-top:26px}
   .l{letter-spacing:2px}.v{font-weight:600;letter-spacing:1px}`, 916);
  return { kind: 'id-card-back', html, truth: { authority, validFrom: from, validTo: to } };
}

function household(rng: Rng): RenderedDoc {
  const head = person(rng, { bornFrom: 1950 });
  const relation = pick(rng, ['户主', '妻', '夫', '长子', '长女', '次子', '次女']);
  const p = relation === '户主' ? head : person(rng, { bornFrom: relation.startsWith('长') || relation.startsWith('次') ? 1985 : 1955 });
  const cells: [string, string][] = [
    ['姓名', p.name], ['户主或与户主关系', relation], ['曾用名', ''], ['性别', p.sex], ['出生地', p.area.province + p.area.city.replace(p.area.province, '')],
    ['民族', p.nation], ['籍贯', p.area.province], ['出生日期', cn(p.birth)], ['本市（县）其他住址', ''], ['宗教信仰', ''],
    ['公民身份证件编号', p.idNumber], ['身高', `${int(rng, 150, 185)}厘米`], ['文化程度', pick(rng, ['大学本科', '高中', '硕士研究生', '初中'])],
  ];
  const rows = cells.map(([l, v]) => `<tr><th>${l}</th><td>${v}</td></tr>`).join('');
  const html = page(`<h1>常住人口登记卡</h1><table>${rows}</table><div class="foot">承办人签章：${pick(rng, ['张警官', '王警官', '林警官'])}\u3000\u3000登记日期：${cn(date(rng, 2008, 2023))}</div>`,
    `h1{font-family:${FONT};text-align:center;font-size:40px;letter-spacing:10px;margin:50px 0 30px;color:#7a2b1c}
     table{margin:0 60px;border-collapse:collapse;width:880px;font-size:26px}
     th,td{border:2px solid #a2543f;padding:12px 16px;text-align:left}th{width:320px;color:#7a2b1c;font-weight:400}td{font-weight:600}
     .foot{margin:30px 60px 60px;font-size:22px;color:#333}`, 1000);
  return { kind: 'household-register', html, truth: { name: p.name, relation, birth: p.birth, idNumber: p.idNumber } };
}

function marriage(rng: Rng): RenderedDoc {
  const a = person(rng, { sex: '男', bornFrom: 1960 });
  const b = person(rng, { sex: '女', bornFrom: 1962 });
  const holder = rng() < 0.5 ? a : b;
  // Registered once both were of age (22 and 20), so the dates agree with each other.
  const registered = date(rng, Math.min(2025, Math.max(Number(a.birth.slice(0, 4)) + 22, Number(b.birth.slice(0, 4)) + 20)), 2025);
  const number = `J${holder.area.code}-${registered.slice(0, 4)}-${String(int(rng, 1, 9999)).padStart(6, '0')}`;
  const line = (label: string, value: string) => `<div class="row"><span class="l">${label}</span><span class="v">${value}</span></div>`;
  const html = page(`<h1>结婚证</h1>
    ${line('持证人', holder.name)}${line('登记日期', cn(registered))}${line('结婚证字号', number)}
    <div class="hr"></div>
    ${line('姓名', a.name)}${line('性别', a.sex)}${line('国籍', '中国')}${line('出生日期', cn(a.birth))}${line('身份证件号', a.idNumber)}
    <div class="hr"></div>
    ${line('姓名', b.name)}${line('性别', b.sex)}${line('国籍', '中国')}${line('出生日期', cn(b.birth))}${line('身份证件号', b.idNumber)}
    <div class="seal">${holder.area.city}${holder.area.district}民政局<br>婚姻登记专用章</div>`,
  `h1{font-family:${FONT};color:#b0241b;text-align:center;font-size:46px;letter-spacing:20px;margin:40px 0 30px}
   #doc{background:#fff6f2;padding-bottom:50px}
   .row{font-size:26px;margin:14px 70px;display:flex;gap:24px}.l{width:170px;color:#555}.v{font-weight:600}
   .hr{border-top:2px dashed #d08a80;margin:18px 60px}
   .seal{position:absolute;right:60px;bottom:60px;width:210px;height:210px;border:5px solid rgba(200,30,30,.55);border-radius:50%;color:rgba(200,30,30,.6);font-size:20px;text-align:center;padding-top:80px}`, 900);
  return { kind: 'marriage-certificate', html, truth: { holder: holder.name, registered, certificateNumber: number, idNumber: holder.idNumber } };
}

function licence(rng: Rng): RenderedDoc {
  const f = firm(rng);
  const years = pick(rng, [20, 30, 0]);
  const [y, m, d] = f.established.split('-').map(Number);
  const term = years ? `${cn(f.established)}至${cn(isoDate(y + years, m, d))}` : `${cn(f.established)}至长期`;
  const line = (label: string, value: string) => `<div class="row"><span class="l">${label}</span><span class="v">${value}</span></div>`;
  const html = page(`<div class="frame"><h1>营业执照</h1>
    <div class="code">统一社会信用代码\u3000${f.creditCode}</div>
    <div class="cols"><div>
    ${line('名\u3000\u3000称', f.name)}${line('类\u3000\u3000型', f.kind)}${line('法定代表人', f.legalRep)}${line('经营范围', '一般项目：技术服务、技术开发、技术咨询；销售日用百货。')}
    </div><div>
    ${line('注册资本', `人民币${f.capital}`)}${line('成立日期', cn(f.established))}${line('营业期限', term)}${line('住\u3000\u3000所', f.address)}
    </div></div>
    <div class="foot">登记机关\u3000${f.area.city}${f.area.district}市场监督管理局\u3000\u3000${cn(date(rng, 2022, 2024))}</div></div>`,
  `.frame{margin:30px;border:10px double #b08a3e;padding:30px 50px 40px}
   h1{font-family:${FONT};color:#a3231b;text-align:center;font-size:60px;letter-spacing:24px;margin-bottom:20px}
   .code{font-size:24px;margin-bottom:26px}
   .cols{display:grid;grid-template-columns:1fr 1fr;gap:30px}
   .row{font-size:24px;margin:14px 0;display:flex;gap:18px;line-height:1.45}.l{flex:none;width:130px;color:#333}.v{font-weight:600}
   .foot{margin-top:30px;text-align:right;font-size:22px}`, 1300);
  return { kind: 'business-licence', html, truth: { creditCode: f.creditCode, name: f.name, legalRep: f.legalRep, established: f.established, address: f.address } };
}

function property(rng: Rng): RenderedDoc {
  const p = person(rng, { bornFrom: 1960 });
  const year = int(rng, 2016, 2024);
  const number = `${p.area.short}（${year}）${p.area.city}不动产权第${String(int(rng, 1, 9999999)).padStart(7, '0')}号`;
  const location = `${p.area.district}${pick(rng, p.area.streets)}${int(rng, 1, 299)}号${int(rng, 1, 30)}栋${int(rng, 101, 2808)}房`;
  const area = `${int(rng, 40, 180)}.${String(int(rng, 0, 99)).padStart(2, '0')}㎡`;
  const unit = `${p.area.code}${String(int(rng, 1, 999)).padStart(3, '0')}GB${String(int(rng, 1, 99999)).padStart(5, '0')}F${String(int(rng, 1, 99999999)).padStart(8, '0')}`;
  const rows: [string, string][] = [
    ['权利人', p.name], ['共有情况', pick(rng, ['单独所有', '共同共有'])], ['坐落', location], ['不动产单元号', unit],
    ['权利类型', '国有建设用地使用权/房屋所有权'], ['权利性质', '出让/市场化商品房'], ['用途', '城镇住宅用地/住宅'],
    ['面积', `共有宗地面积/房屋建筑面积${area}`], ['使用期限', `国有建设用地使用权 ${year - 5}年至${year + 65}年`],
  ];
  const html = page(`<div class="no">${number}</div><table>${rows.map(([l, v]) => `<tr><th>${l}</th><td>${v}</td></tr>`).join('')}</table>`,
    `.no{font-size:26px;margin:50px 60px 24px;font-weight:600}
     table{margin:0 60px 60px;border-collapse:collapse;width:980px;font-size:24px}
     th,td{border:2px solid #4a6b52;padding:14px 16px;text-align:left}th{width:200px;font-weight:400;color:#2d4a34}td{font-weight:600}`, 1100);
  return { kind: 'property-certificate', html, truth: { certificateNumber: number, owner: p.name, location, area: area.replace('㎡', '') } };
}

function invoice(rng: Rng): RenderedDoc {
  const buyer = firm(rng);
  const seller = firm(rng);
  const issued = date(rng, 2023, 2025);
  const code = `${buyer.area.code.slice(0, 4)}${int(rng, 21, 25)}${String(int(rng, 0, 9999)).padStart(4, '0')}`;
  const number = String(int(rng, 0, 99999999)).padStart(8, '0');
  const amount = int(rng, 1000, 99999) + int(rng, 0, 99) / 100;
  const tax = Math.round(amount * 0.13 * 100) / 100;
  const total = (amount + tax).toFixed(2);
  const party = (role: string, f: typeof buyer) => `<div class="party"><div class="role">${role}</div><div>
    <div>名\u3000\u3000称：${f.name}</div><div>纳税人识别号：${f.creditCode}</div><div>地址、电话：${f.address}</div></div></div>`;
  const html = page(`<h1>${buyer.area.province.replace('省', '').replace('市', '')}增值税专用发票</h1>
    <div class="meta"><div>发票代码：${code}</div><div>发票号码：${number}</div><div>开票日期：${cn(issued)}</div></div>
    ${party('购买方', buyer)}
    <table><tr><th>货物或应税劳务、服务名称</th><th>金额</th><th>税率</th><th>税额</th></tr>
    <tr><td>*信息技术服务*技术服务费</td><td>${amount.toFixed(2)}</td><td>13%</td><td>${tax.toFixed(2)}</td></tr></table>
    <div class="total">价税合计（小写）¥${total}</div>
    ${party('销售方', seller)}`,
  `h1{font-family:${FONT};color:#7b3b1d;text-align:center;font-size:40px;letter-spacing:6px;margin:40px 0 16px}
   .meta{display:flex;justify-content:flex-end;gap:40px;font-size:22px;margin:0 50px 16px}
   .party{display:flex;border:2px solid #9c6a48;margin:0 50px;font-size:22px;line-height:1.8}
   .role{width:50px;writing-mode:vertical-rl;text-align:center;border-right:2px solid #9c6a48;color:#7b3b1d;padding:8px}
   .party>div:last-child{padding:8px 16px}
   table{margin:0 50px;width:1100px;border-collapse:collapse;font-size:22px;table-layout:fixed}th:first-child{width:460px}th,td{border:2px solid #9c6a48;padding:8px 10px}th{font-weight:400;color:#7b3b1d}
   .total{margin:0 50px;border:2px solid #9c6a48;border-top:0;padding:10px 16px;font-size:24px;font-weight:600}
   .party:last-child{margin-bottom:50px}`, 1200);
  return { kind: 'vat-invoice', html, truth: { invoiceNumber: number, issued, buyerName: buyer.name, buyerTaxId: buyer.creditCode, sellerTaxId: seller.creditCode, total } };
}

function form(rng: Rng): RenderedDoc {
  const p: Person = person(rng, { bornFrom: 1955 });
  const signed = date(rng, 2024, 2026);
  const matter = pick(rng, ['户籍迁入', '居住证办理', '社会保障卡补办', '不动产登记', '营业执照变更']);
  const rows: [string, string][] = [['申请人姓名', p.name], ['性别', p.sex], ['公民身份号码', p.idNumber], ['联系电话', p.phone], ['通讯地址', p.address], ['申请事项', matter]];
  const html = page(`<h1>政务服务事项申请表</h1><table>${rows.map(([l, v]) => `<tr><th>${l}</th><td>${v}</td></tr>`).join('')}</table>
    <div class="sign">申请人（签字）：${p.name}\u3000\u3000申请日期：${cn(signed)}</div>`,
    `h1{text-align:center;font-size:38px;letter-spacing:4px;margin:50px 0 30px}
     table{margin:0 60px;border-collapse:collapse;width:900px;font-size:24px}th,td{border:2px solid #333;padding:14px 16px;text-align:left}th{width:220px;font-weight:400}
     .sign{margin:40px 60px 60px;font-size:24px}`, 1020);
  return { kind: 'application-form', html, truth: { name: p.name, idNumber: p.idNumber, phone: p.phone, date: signed } };
}

export const TEMPLATES: Record<DocumentKind, (rng: Rng) => RenderedDoc> = {
  'id-card-front': idFront,
  'id-card-back': idBack,
  'household-register': household,
  'marriage-certificate': marriage,
  'business-licence': licence,
  'property-certificate': property,
  'vat-invoice': invoice,
  'application-form': form,
};
