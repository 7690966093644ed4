/**
 * print.checklist: the material checklist of an item (or one of its cases) on the
 * kiosk's receipt printer, with a QR code that opens the same guide on a phone. The
 * driver encodes the text as GB18030; this module only decides what the slip says.
 *
 * When the printer is absent the call fails with 'device-absent'; when it is out of
 * paper the job comes back 'held' with the reason in plain words, and the screen offers
 * the QR code instead. Each attempt is a 'print' transaction. No personal data is printed.
 */
import type { HallConfig, Material, OpeningHours, ServiceCase, ServiceItem, TimeLimit } from '../../config/schema.ts';
import { hoursLines, ZH_HOURS } from '../../config/hours.ts';
import { windowsForItem } from '../../config/hall-query.ts';
import type { ReceiptInput, ReceiptItemInput } from '../../drivers/printer/receipt.ts';
import { wrappedText } from '../../drivers/printer/layout.ts';
import { ApiError } from '../../protocol/ui/errors.ts';
import type { PrintJobStatus } from '../../protocol/ui/domains/print.ts';
import type { Handlers } from '../api/router.ts';
import { itemGuideUrl } from '../../config/phone-links.ts';
import type { TerminalContext } from './kiosk-services.ts';
import { definePart, type DeviceBoard, type TransactionLog } from './compose.ts';

function limitText(l: TimeLimit | null): string {
  if (!l) return '以窗口告知为准';
  return l.unit === '即办' ? '即办' : `${l.value}个${l.unit}`;
}

function materialLine(m: Material, n: number): string {
  const detail = [m.form, m.copies ? `${m.copies}份` : '', m.required ? '' : '非必须'].filter(Boolean).join('，');
  return `${n}. ${m.name}${detail ? `（${detail}）` : ''}${m.note ? `\n   注：${m.note}` : ''}`;
}

/** The hall's hours on a slip: the label on the first line, later lines aligned under it. */
export function hoursOnSlip(hours: readonly OpeningHours[], width: number, label = '大厅办公时间：'): ReceiptItemInput[] {
  return hoursLines(hours, ZH_HOURS).map((line, i) => wrappedText(`${i === 0 ? label : '　'.repeat(label.length)}${line}`, width));
}

export interface ChecklistInput {
  config: HallConfig;
  item: ServiceItem;
  caseCode?: string;
  kioskName: string;
  now?: Date;
  width?: number;
}

/** The material checklist of an item, or of one case of it, as a receipt document. */
export function checklistReceipt({ config, item, caseCode, kioskName, now = new Date(), width = 48 }: ChecklistInput): ReceiptInput {
  let sub: ServiceCase | undefined;
  if (caseCode) {
    sub = item.cases.find((c) => c.code === caseCode);
    if (!sub) throw new ApiError('not-found', `${item.name} has no case ${caseCode}`);
  }
  const materials = sub ? sub.materials : item.materials;
  const windows = windowsForItem(config, item);
  const zones = new Map(config.hall.zones.map((z) => [z.id, z.name]));
  const floors = new Map(config.hall.floors.map((f) => [f.id, f.name]));
  const text = (t: string, extra: Partial<Extract<ReceiptItemInput, { type: 'text' }>> = {}): ReceiptItemInput => ({ type: 'text', text: t, ...extra });
  const wrapped = (t: string, indent = '') => wrappedText(t, width, { indent });

  const items: ReceiptItemInput[] = [
    wrappedText(config.hall.name, width, { align: 'center', bold: true }),
    text('办事材料清单', { align: 'center', size: 2, bold: true }),
    { type: 'rule' },
    wrapped(`事项：${item.name}`, '      '),
  ];
  if (sub) items.push(wrapped(`情形：${sub.name}`, '      '));
  items.push(wrapped(`部门：${item.department}`, '      '));
  items.push({ type: 'rule' });
  items.push(text(`需携带材料（共${materials.length}项）`, { bold: true }));
  if (materials.length === 0) items.push(wrapped('本事项无需提交材料，请携带本人有效身份证件。'));
  materials.forEach((m, i) => items.push(wrapped(materialLine(m, i + 1), '   ')));
  items.push({ type: 'rule' });
  const legal = sub?.legalLimit ?? item.legalLimit;
  const promised = sub?.promisedLimit ?? item.promisedLimit;
  const visits = sub?.visits ?? item.visits;
  items.push(text(`法定时限：${limitText(legal)}`));
  items.push(text(`承诺时限：${limitText(promised)}`));
  items.push(text(`跑动次数：${visits === null ? '以窗口告知为准' : `${visits}次`}`));
  const fee = sub?.fee ?? item.fee;
  items.push(wrapped(`收费标准：${fee ?? (item.free ? '不收费' : '以窗口告知为准')}`, '          '));
  items.push(wrapped(item.courier ? '领取结果：可选择邮寄送达，也可到窗口领取' : '领取结果：办结后请本人带身份证到窗口领取', '          '));
  if (windows.length) {
    const where = windows.map((w) => `${w.id}`).join('、');
    const first = windows[0];
    items.push(wrapped(`办理窗口：${where}（${floors.get(first.floor) ?? first.floor}${zones.get(first.zone) ?? first.zone}）`, '          '));
  }
  items.push(...hoursOnSlip(config.hall.openingHours, width));
  if (item.consultPhone) items.push(wrapped(`咨询电话：${item.consultPhone}`, '          '));
  if (item.onlineBooking) items.push(wrapped('可网上预约'));
  items.push({ type: 'rule' });
  const phone = itemGuideUrl(config.hall, item.code, sub?.code);
  if (phone) {
    items.push(text('手机扫码查看办事指南', { align: 'center' }));
    items.push({ type: 'qr', data: phone, moduleSize: 6, align: 'center' });
  }
  const stamp = now.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
  items.push(wrappedText(`${kioskName}  ${stamp}`, width, { align: 'center' }));
  items.push({ type: 'cut', feed: 4 });
  return { width, items };
}

export class PrintService {
  constructor(
    private readonly ctx: TerminalContext,
    private readonly devices: DeviceBoard,
    private readonly transactions: TransactionLog,
  ) {}

  async checklist(code: string, caseCode?: string): Promise<PrintJobStatus> {
    const config = this.ctx.store.config;
    const item = config.catalogue.items.find((i) => i.code === code);
    if (!item) throw new ApiError('not-found', `no service item with code ${code}`);
    const doc = checklistReceipt({ config, item, caseCode, kioskName: this.ctx.kiosk.name });
    const printer = this.devices.printer;
    const health = this.devices.health().find((d) => d.kind === 'printer');
    if (!printer || !printer.available || health?.state === 'absent') {
      await this.record({ itemCode: code, caseCode, state: 'failed', cause: 'absent' });
      throw new ApiError('device-absent', '本机打印机暂不可用，请用手机扫码查看材料清单。');
    }
    const status = await printer.print(doc);
    const plain: PrintJobStatus = { jobId: status.jobId, state: status.state, reason: status.reason, cause: status.cause };
    await this.record({ itemCode: code, caseCode, jobId: status.jobId, state: status.state, reason: status.reason });
    this.ctx.hub.emit('print.job', plain);
    return plain;
  }

  status(jobId: string): PrintJobStatus {
    const job = this.devices.printer?.job(jobId);
    if (!job) throw new ApiError('not-found', `no print job ${jobId}`);
    return { jobId: job.jobId, state: job.state, reason: job.reason, cause: job.cause };
  }

  private async record(payload: Record<string, unknown>): Promise<void> {
    try {
      await this.transactions.append('print', { document: 'checklist', jobId: 'none', ...payload });
    } catch (err) {
      this.ctx.log.warn({ err: (err as Error).message }, 'print transaction not recorded');
    }
  }

  handlers(): Handlers {
    return {
      'print.checklist': ({ code, caseCode }) => this.checklist(code, caseCode),
      'print.status': ({ jobId }) => this.status(jobId),
    };
  }
}

export const printPart = definePart({
  name: 'print',
  needs: ['devices', 'transactions'],
  provides: [],
  build: (ctx, { devices, transactions }) => ({ provides: {}, handlers: new PrintService(ctx, devices, transactions).handlers() }),
});
