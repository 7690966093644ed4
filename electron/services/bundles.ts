/**
 * 一件事 bundles and the 待办清单 on the terminal: a bundle's page data, one printed
 * material list for any set of services (each material once), and the signed-in
 * citizen's list kept on the platform under the card's keyed pseudonym. The number
 * never leaves this process; an unsigned list lives only in the screen, and goes with it.
 */
import type { HallConfig } from '../../config/schema.ts';
import { bundleStops, combinedMaterials, type ServicePick } from '../../config/bundles.ts';
import { wrappedText } from '../../drivers/printer/layout.ts';
import type { ReceiptInput, ReceiptItemInput } from '../../drivers/printer/receipt.ts';
import { idKeyOf } from '../../protocol/id-key.ts';
import { parseQueueReply, queueRequestSchema, type QueueAnswer, type QueueRequest } from '../../protocol/queue.ts';
import { summarizeIssues } from '../../protocol/sync.ts';
import { ApiError } from '../../protocol/ui/errors.ts';
import type { BundleView, PendingStored } from '../../protocol/ui/domains/bundles.ts';
import type { PrintJobStatus } from '../../protocol/ui/domains/print.ts';
import type { PendingEntry } from '../../protocol/pending.ts';
import type { Handlers } from '../api/router.ts';
import type { TerminalContext } from './kiosk-services.ts';
import { hoursOnSlip } from './print.ts';
import { definePart, type Capabilities } from './compose.ts';

const REQUEST_TIMEOUT_MS = 8000;

export function bundleView(config: HallConfig, id: string): BundleView {
  const bundle = config.bundles.find((b) => b.id === id);
  if (!bundle) throw new ApiError('not-found', `no bundle ${id}`);
  const group = config.hall.groups.find((g) => g.id === bundle.group)!;
  return {
    bundle,
    items: bundle.items.map((pick) => {
      const item = config.catalogue.items.find((i) => i.code === pick.item)!;
      const questionnaire = pick.case ? null : (config.questionnaires.find((q) => q.item === pick.item) ?? null);
      return { item, questionnaire };
    }),
    stops: bundleStops(config, bundle).map((s) => ({ items: s.items, windows: s.windows.map(({ id: wid, name, floor, zone }) => ({ id: wid, name, floor, zone })) })),
    group: { id: group.id, name: group.name, prefix: group.prefix, ...(group.nameEn ? { nameEn: group.nameEn } : {}) },
  };
}

/** The picks a list stands for: an item as chosen, a bundle as its items. */
export function picksOf(config: HallConfig, entries: readonly PendingEntry[]): ServicePick[] {
  return entries.flatMap((e): ServicePick[] =>
    e.kind === 'item' ? [{ item: e.code, ...(e.caseCode ? { case: e.caseCode } : {}) }] : (config.bundles.find((b) => b.id === e.id)?.items ?? []),
  );
}

/** One receipt: the services, then every material once with the services that need it. */
export function materialsReceipt(config: HallConfig, title: string, picks: readonly ServicePick[], kioskName: string, now = new Date(), width = 48): ReceiptInput {
  const byCode = new Map(config.catalogue.items.map((i) => [i.code, i]));
  const unknown = picks.find((p) => !byCode.has(p.item));
  if (unknown) throw new ApiError('not-found', `no service item with code ${unknown.item}`);
  const number = new Map<string, number>();
  picks.forEach((p) => number.has(p.item) || number.set(p.item, number.size + 1));
  const wrapped = (t: string, indent = '') => wrappedText(t, width, { indent });
  const items: ReceiptItemInput[] = [
    wrappedText(config.hall.name, width, { align: 'center', bold: true }),
    wrappedText(title, width, { align: 'center', bold: true }),
    { type: 'text', text: '合并材料清单', align: 'center', size: 2, bold: true },
    { type: 'rule' },
    { type: 'text', text: `办理事项（共${number.size}项）`, bold: true },
  ];
  for (const [code, n] of number) {
    const item = byCode.get(code)!;
    const sub = picks.find((p) => p.item === code && p.case)?.case;
    const caseName = sub ? item.cases.find((c) => c.code === sub)?.name : undefined;
    items.push(wrapped(`[${n}] ${item.name}${caseName ? `（${caseName}）` : ''}`, '    '));
  }
  items.push({ type: 'rule' });
  const materials = combinedMaterials(config.catalogue.items, picks);
  items.push({ type: 'text', text: `需携带材料（共${materials.length}项，同一材料只列一次）`, bold: true });
  materials.forEach((m, i) => {
    const detail = [...m.forms, `${m.copies}份`, m.required ? '' : '非必须'].filter(Boolean).join('，');
    const used = m.items.map((c) => `[${number.get(c)}]`).join('');
    items.push(wrapped(`${i + 1}. ${m.name}（${detail}）用于${used}`, '   '));
  });
  items.push({ type: 'rule' });
  items.push(...hoursOnSlip(config.hall.openingHours, width));
  const stamp = now.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
  items.push(wrappedText(`${kioskName}  ${stamp}`, width, { align: 'center' }));
  items.push({ type: 'cut', feed: 4 });
  return { width, items };
}

type BundleDeps = Pick<Capabilities, 'central' | 'devices' | 'session' | 'transactions'>;

export class BundleService {
  constructor(
    private readonly ctx: TerminalContext,
    private readonly deps: BundleDeps,
  ) {}

  private get config(): HallConfig {
    return this.ctx.store.config;
  }

  async printMaterials(title: string, picks: ServicePick[]): Promise<PrintJobStatus> {
    const doc = materialsReceipt(this.config, title, picks, this.ctx.kiosk.name);
    const printer = this.deps.devices.printer;
    if (!printer?.available || this.deps.devices.health().find((d) => d.kind === 'printer')?.state === 'absent') {
      throw new ApiError('device-absent', '本机打印机暂不可用，请到其他自助机或服务台打印材料清单。');
    }
    const status = await printer.print(doc);
    // As with a checklist (print.ts): a held list is withdrawn, never printed later for the next citizen.
    if (status.state === 'held') printer.cancel(status.jobId);
    const plain: PrintJobStatus = { jobId: status.jobId, state: status.state, reason: status.reason, cause: status.cause };
    await this.deps.transactions
      .append('print', { document: 'checklist', jobId: status.jobId, itemCode: picks[0].item, state: status.state })
      .catch((err: Error) => this.ctx.log.warn({ err: err.message }, 'print transaction not recorded'));
    this.ctx.hub.emit('print.job', plain);
    return plain;
  }

  /** The signed-in citizen's key, or null: nobody signed in, or the platform has not given the hall's key. */
  private idKey(): string | null {
    const card = this.deps.session.currentCard();
    const secret = this.deps.central?.idKeySecret() ?? null;
    return card && secret ? idKeyOf(card.idNumber, secret) : null;
  }

  private async ask<E extends 'pending:load' | 'pending:save' | 'pending:delete'>(event: E, payload: QueueRequest<E>): Promise<QueueAnswer<E>> {
    const central = this.deps.central;
    if (!central?.online) throw new ApiError('offline', '暂时连接不上服务平台，清单未能保存');
    const checked = queueRequestSchema[event].safeParse(payload);
    if (!checked.success) throw new ApiError('bad-input', summarizeIssues(checked.error));
    const answer = parseQueueReply(event, await central.request(event, checked.data, REQUEST_TIMEOUT_MS));
    if (!answer.ok) throw new ApiError('internal', answer.error.message);
    return answer.value;
  }

  async load(): Promise<PendingStored> {
    const idKey = this.idKey();
    if (!idKey) return { entries: [], kept: false };
    return { entries: (await this.ask('pending:load', { idKey })).entries, kept: true };
  }

  async save(entries: PendingEntry[]): Promise<PendingStored> {
    const idKey = this.idKey();
    if (!idKey) return { entries, kept: false };
    await this.ask('pending:save', { idKey, entries });
    return { entries, kept: true };
  }

  async clear(): Promise<PendingStored> {
    const idKey = this.idKey();
    if (idKey) await this.ask('pending:delete', { idKey });
    return { entries: [], kept: idKey !== null };
  }

  handlers(): Handlers {
    return {
      'bundle.get': ({ id }) => bundleView(this.config, id),
      'print.materials': ({ title, picks }) => this.printMaterials(title, picks),
      'pending.load': () => this.load(),
      'pending.save': ({ entries }) => this.save(entries),
      'pending.clear': () => this.clear(),
    };
  }
}

export const bundlesPart = definePart({
  name: 'bundles',
  needs: ['central', 'devices', 'session', 'transactions'],
  provides: [],
  build: (ctx, deps) => ({ provides: {}, handlers: new BundleService(ctx, deps).handlers() }),
});
