/**
 * Tickets and appointments at the kiosk. Online, the platform issues every ticket (it
 * is the queue's only truth). Cut off, the kiosk issues from number blocks it reserved
 * while online, records each ticket durably as a 'ticket' transaction, and the platform
 * queues them when the link returns. A signed-in citizen's ticket carries their masked
 * ID number; appointments are filed under a hash of the number made here.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { groupsForItem, findItem } from '../../config/hall-query.ts';
import type { OpeningHours, QueueGroup } from '../../config/schema.ts';
import { hoursOnSlip } from './print.ts';
import { ticketFollowUrl } from '../../config/phone-links.ts';
import type { ReceiptInput, ReceiptItemInput } from '../../drivers/printer/receipt.ts';
import { wrappedText } from '../../drivers/printer/layout.ts';
import { ApiError } from '../../protocol/ui/errors.ts';
import type { Handlers } from '../api/router.ts';
import type { AppointmentView, CheckedInView, QueueLineView, TicketView } from '../../protocol/ui/domains/queue.ts';
import { idKeyOf } from '../../protocol/id-key.ts';
import { hallDay } from '../../protocol/clock.ts';
import { SwitchableClock, type Clock } from '../../protocol/clock.ts';
import { queueRequestSchema, type NumberBlock, type PublicTicket, type QueueAnswer, type QueueEvent, type QueueLine, type QueueRequest, parseQueueReply } from '../../protocol/queue.ts';
import { summarizeIssues, TICKET_WAIT_MAX_MINUTES } from '../../protocol/sync.ts';
import type { PrintHoldCause } from '../../protocol/ui/domains/print.ts';
import type { PriorityKind } from '../../protocol/priority.ts';
import { maskIdNumber } from './session.ts';
import type { TerminalContext } from './kiosk-services.ts';
import { definePart, type Capabilities, type CentralLink, type TerminalPart } from './compose.ts';
import { RequestMemo } from './request-memo.ts';
import { hallClosedAt, hallClosedMessage, type HallClosed } from '../../common/hall-calendar.ts';

/** What the queue is built on: the platform, the outbox, the printer and the citizen's session. */
export type QueueDeps = Pick<Capabilities, 'central' | 'transactions' | 'devices' | 'session'>;

/**
 * One request to the platform over the device socket, checked against the event's schema
 * before it leaves and its answer on arrival; a refusal becomes the ApiError a screen reads.
 */
export async function askPlatform<E extends QueueEvent>(central: CentralLink | null, event: E, payload: QueueRequest<E>, log: TerminalContext['log']): Promise<QueueAnswer<E>> {
  if (!central || !central.online) throw new ApiError('offline', '暂时连接不上服务平台');
  // The platform would refuse it with the same schema; saying so here spares the round trip.
  const checked = queueRequestSchema[event].safeParse(payload);
  if (!checked.success) throw new ApiError('bad-input', summarizeIssues(checked.error), { reason: 'bad-request' });
  const answer = parseQueueReply(event, await central.request(event, checked.data, REQUEST_TIMEOUT_MS));
  if (answer.ok === false) {
    if (answer.error.code === 'bad-reply') log.error({ event, err: answer.error.message }, 'the platform answered in a shape this kiosk does not understand');
    const code = answer.error.code === 'not-found' ? 'not-found' : answer.error.code === 'bad-request' ? 'bad-input' : answer.error.code === 'bad-reply' ? 'internal' : 'conflict';
    throw new ApiError(code, answer.error.message, { reason: answer.error.code });
  }
  return answer.value;
}

/** A block of numbers the platform set aside for this kiosk, and how far it has got. */
export interface HeldBlock extends NumberBlock {
  next: number;
}

interface BlockFile {
  version: 1;
  blocks: HeldBlock[];
}

export const REQUEST_TIMEOUT_MS = 4000;

/**
 * The kiosk's reserved numbers, on disk: a number is marked used before the ticket is
 * handed out, so a crash can skip a number but never issue one twice.
 */
export class BlockStore {
  private data: BlockFile;

  constructor(private readonly file: string) {
    this.data = { version: 1, blocks: [] };
    if (existsSync(file)) {
      try {
        const parsed = JSON.parse(readFileSync(file, 'utf8')) as BlockFile;
        if (parsed.version === 1 && Array.isArray(parsed.blocks)) this.data = parsed;
      } catch {
        // An unreadable file loses only unused numbers; the platform never reissues them.
      }
    }
  }

  private save(): void {
    const tmp = `${this.file}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, JSON.stringify(this.data));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
  }

  /** Numbers still unused in a group's blocks for a day. */
  remaining(groupId: string, day: string): number {
    return this.data.blocks.filter((b) => b.groupId === groupId && b.day === day).reduce((s, b) => s + Math.max(0, b.lastSeq - b.next + 1), 0);
  }

  add(block: Omit<HeldBlock, 'next'>): void {
    if (this.data.blocks.some((b) => b.blockId === block.blockId)) return;
    this.data.blocks.push({ ...block, next: block.firstSeq });
    this.save();
  }

  /** Takes the next number of a group for a day, durably; null when the blocks are used up. */
  take(groupId: string, day: string): { seq: number; block: HeldBlock } | null {
    const block = this.data.blocks.find((b) => b.groupId === groupId && b.day === day && b.next <= b.lastSeq);
    if (!block) return null;
    const seq = block.next++;
    this.save();
    return { seq, block: { ...block } };
  }

  /** Drops blocks of days gone by: numbers reset daily. */
  prune(today: string): void {
    const kept = this.data.blocks.filter((b) => b.day >= today);
    if (kept.length !== this.data.blocks.length) {
      this.data.blocks = kept;
      this.save();
    }
  }

  all(): HeldBlock[] {
    return this.data.blocks.map((b) => ({ ...b }));
  }
}

export interface KioskQueueOptions {
  clock?: Clock;
}

const pad3 = (n: number) => String(n).padStart(3, '0');

type TakeInput = { groupId?: string; itemCode?: string; priority?: PriorityKind; print: boolean; requestId: string };
type PrintRef = { jobId: string; state: string; reason?: string; cause?: PrintHoldCause };
type TakeResult = { ticket: TicketView; printJob?: PrintRef };

export class KioskQueue {
  readonly blocks: BlockStore;
  /** The kiosk's time, by which it keeps the hall's hours while cut off; switchable so a whole hall can be run at another hour. */
  readonly clock: SwitchableClock;
  /** The last line lengths the platform told us, for estimates while cut off. */
  private lines = new Map<string, QueueLine>();
  /** Tickets issued offline per group since the last answer from the platform. */
  private offlineSince = new Map<string, number>();
  private topping: Promise<void> | null = null;
  /** One ticket per tap on 立即取号, online or from the block; one appointment per 确认预约. */
  private readonly taken = new RequestMemo<TakeResult>();
  private readonly booked = new RequestMemo<AppointmentView>();

  constructor(
    private readonly rt: TerminalContext,
    private readonly deps: QueueDeps,
    opts: KioskQueueOptions = {},
  ) {
    this.clock = new SwitchableClock(opts.clock);
    this.blocks = new BlockStore(join(rt.dataDir, 'queue-blocks.json'));
    this.blocks.prune(this.today());
    deps.central?.onOnline((online) => {
      if (online) void this.topUp();
    });
    if (deps.central?.online) void this.topUp();
  }

  private today(): string {
    return hallDay(this.clock.now());
  }

  private get config() {
    return this.rt.store.config;
  }

  private group(input: { groupId?: string; itemCode?: string }): QueueGroup {
    if (input.groupId) {
      const g = this.config.hall.groups.find((x) => x.id === input.groupId);
      if (!g) throw new ApiError('not-found', `no queue group ${input.groupId}`);
      return g;
    }
    if (!input.itemCode) throw new ApiError('bad-input', 'choose a service or a queue group');
    const found = findItem(this.config, input.itemCode);
    if (!found) throw new ApiError('not-found', `no service item with code ${input.itemCode}`);
    const groups = groupsForItem(this.config, found.item);
    if (!groups.length) throw new ApiError('not-found', '本大厅暂无窗口办理此事项');
    return groups[0];
  }

  private ask<E extends QueueEvent>(event: E, payload: QueueRequest<E>): Promise<QueueAnswer<E>> {
    return askPlatform(this.deps.central, event, payload, this.rt.log);
  }

  private followUrl(id: string, path?: string): string | null {
    return ticketFollowUrl(this.config.hall, id, path);
  }

  private itemName(code?: string | null): string | undefined {
    return code ? findItem(this.config, code)?.item.name : undefined;
  }

  private view(t: PublicTicket): TicketView {
    return {
      id: t.id,
      number: t.number,
      groupId: t.groupId,
      groupName: t.groupName,
      itemCode: t.itemCode ?? undefined,
      itemName: this.itemName(t.itemCode),
      windows: t.windows,
      ahead: t.ahead,
      estimatedWaitMinutes: t.estimatedWaitMinutes,
      issuedAt: t.issuedAt,
      priority: t.priority,
      offline: t.offline,
      followUrl: this.followUrl(t.id, t.followPath),
      state: t.state,
      windowId: t.windowId,
    };
  }

  private noteLine(line: QueueLine | undefined): void {
    if (!line) return;
    this.lines.set(line.groupId, line);
    this.offlineSince.set(line.groupId, 0);
  }

  /** Keeps at least half a block of unused numbers per group for today, while online. */
  topUp(): Promise<void> {
    if (this.topping) return this.topping;
    this.topping = (async () => {
      const today = this.today();
      this.blocks.prune(today);
      const size = this.config.queue.offlineBlockSize;
      for (const g of this.config.hall.groups) {
        if (!this.deps.central?.online) return;
        if (this.blocks.remaining(g.id, today) >= size / 2) continue;
        try {
          const block = await this.ask('queue:reserve-block', { groupId: g.id });
          this.blocks.add(block);
        } catch (err) {
          this.rt.log.warn({ group: g.id, err: (err as Error).message }, 'could not reserve offline numbers');
          // A refusal (a limit, a terminal kind without tickets) leaves the other groups to try; a lost link does not.
          if (err instanceof ApiError && err.code !== 'offline') continue;
          return;
        }
      }
    })().finally(() => (this.topping = null));
    return this.topping;
  }

  private signedIn(): { maskedId?: string; idKey?: string } {
    const card = this.deps.session.currentCard();
    if (!card) return {};
    // Without the hall's key (never linked to the platform yet) a ticket is still issued, just not bound.
    const secret = this.deps.central?.idKeySecret() ?? null;
    return { maskedId: maskIdNumber(card.idNumber), ...(secret ? { idKey: idKeyOf(card.idNumber, secret) } : {}) };
  }

  /** Whether the hall issues tickets now, by its calendar and hours; null while it does. */
  closedNow(): HallClosed | null {
    return hallClosedAt(this.config, this.clock.now());
  }

  private closedError(message: string): ApiError {
    return new ApiError('unavailable', message, { reason: 'hall-closed', closed: this.closedNow() });
  }

  take(input: TakeInput): Promise<TakeResult> {
    return this.taken.run(input.requestId, () => this.takeOnce(input));
  }

  private async takeOnce(input: TakeInput): Promise<TakeResult> {
    const { kinds } = this.config.queue.priority;
    if (input.priority && !kinds.includes(input.priority)) {
      throw new ApiError('bad-input', `this hall does not serve '${input.priority}' first (it serves: ${kinds.join(', ')})`, { reason: 'priority' });
    }
    const group = this.group(input);
    const { maskedId, idKey } = this.signedIn();
    let ticket: TicketView;
    try {
      const answer = await this.ask('queue:take', {
        groupId: group.id,
        itemCode: input.itemCode,
        priority: input.priority,
        maskedId,
        idKey,
        requestId: input.requestId,
      });
      this.noteLine(answer.line);
      ticket = this.view(answer.ticket);
      await this.record(ticket, maskedId);
      void this.topUp();
    } catch (err) {
      if (err instanceof ApiError && (err.detail as { reason?: string } | undefined)?.reason === 'closed') throw this.closedError(err.message);
      if (err instanceof ApiError && err.code !== 'offline') throw err;
      if (!(err instanceof ApiError)) this.rt.log.warn({ err: (err as Error).message }, 'platform did not answer; issuing from the reserved block');
      // Cut off, the kiosk keeps the hall's hours itself: its reserved numbers are for open hours only.
      const closed = this.closedNow();
      if (closed) throw this.closedError(hallClosedMessage(closed));
      ticket = await this.takeOffline(group, input, maskedId);
    }
    this.rt.hub.emit('queue.ticket', ticket);
    const printJob = input.print ? await this.print(ticket) : undefined;
    return { ticket, printJob };
  }

  private async takeOffline(group: QueueGroup, input: TakeInput, maskedId?: string): Promise<TicketView> {
    const day = this.today();
    const taken = this.blocks.take(group.id, day);
    if (!taken) throw new ApiError('offline', '暂时连接不上服务平台，本机离线号段已用完，请到服务台咨询');
    const issuedAt = new Date(this.clock.now()).toISOString();
    const number = `${group.prefix}${pad3(taken.seq)}`;
    const id = randomUUID();
    const before = this.offlineSince.get(group.id) ?? 0;
    this.offlineSince.set(group.id, before + 1);
    const line = this.lines.get(group.id);
    const windows = this.config.hall.windows.filter((w) => w.groups.includes(group.id)).map((w) => w.id);
    const ahead = (line?.waiting ?? 0) + before;
    const perPerson = line && line.waiting > 0 ? line.estimatedWaitMinutes / line.waiting : group.defaultServiceMinutes / Math.max(1, windows.length);
    const ticket: TicketView = {
      id,
      number,
      groupId: group.id,
      groupName: group.name,
      itemCode: input.itemCode,
      itemName: this.itemName(input.itemCode),
      windows,
      ahead,
      estimatedWaitMinutes: Math.round(ahead * perPerson),
      issuedAt,
      priority: !!input.priority,
      offline: true,
      followUrl: this.followUrl(id),
      state: 'waiting',
      windowId: null,
    };
    await this.deps.transactions.append('ticket', {
      ticketId: id,
      number,
      groupId: group.id,
      itemCode: input.itemCode,
      priority: input.priority,
      offline: true,
      issuedAt,
      estimatedWaitMinutes: recordedWait(ticket.estimatedWaitMinutes),
      seq: taken.seq,
      day,
      blockId: taken.block.blockId,
      requestId: input.requestId,
      ...(maskedId ? { maskedId } : {}),
    });
    this.rt.log.info({ group: group.id, seq: taken.seq }, 'ticket issued offline from the reserved block');
    return ticket;
  }

  /** Online tickets are logged too, so the kiosk's record of its day is complete. */
  private async record(t: TicketView, maskedId?: string): Promise<void> {
    try {
      await this.deps.transactions.append('ticket', {
        ticketId: t.id,
        number: t.number,
        groupId: t.groupId,
        itemCode: t.itemCode,
        offline: false,
        issuedAt: t.issuedAt,
        estimatedWaitMinutes: recordedWait(t.estimatedWaitMinutes),
        ...(maskedId ? { maskedId } : {}),
      });
    } catch (err) {
      // The citizen holds this ticket: a record lost here is a ticket the platform never knew of.
      this.rt.log.error({ err: (err as Error).message }, 'ticket transaction not recorded');
    }
  }

  async print(t: TicketView): Promise<PrintRef> {
    const printer = this.deps.devices.printer;
    const health = this.deps.devices.health().find((d) => d.kind === 'printer');
    if (!printer || !printer.available || health?.state === 'absent') {
      return { jobId: 'none', state: 'failed', reason: '本机打印机暂不可用，请记下您的号码或用手机扫码跟踪排队' };
    }
    const status = await printer.print(ticketReceipt(t, { hallName: this.config.hall.name, kioskName: this.rt.kiosk.name, hours: this.config.hall.openingHours }));
    await this.deps.transactions
      .append('print', { jobId: status.jobId, document: 'ticket', state: status.state, reason: status.reason })
      .catch((err: Error) => this.rt.log.warn({ err: err.message }, 'print transaction not recorded'));
    const plain = { jobId: status.jobId, state: status.state, reason: status.reason, cause: status.cause };
    this.rt.hub.emit('print.job', plain);
    return plain;
  }

  async status(ticketId: string): Promise<TicketView> {
    return this.view(await this.ask('queue:status', { ticketId }));
  }

  async lineViews(): Promise<QueueLineView[]> {
    const lines = await this.ask('queue:lines', {});
    for (const l of lines) this.noteLine(l);
    return lines.map(({ groupId, prefix, name, waiting, estimatedWaitMinutes }) => ({ groupId, prefix, name, waiting, estimatedWaitMinutes }));
  }

  private person(): { idKey: string } {
    const who = this.signedIn();
    if (!who.maskedId) throw new ApiError('not-signed-in', '请先在读卡区放置身份证');
    if (!who.idKey) {
      // Online without a key: the platform does not let this kind of terminal book.
      if (this.deps.central?.online) throw new ApiError('unavailable', '本机暂不提供预约服务，请到服务台咨询');
      throw new ApiError('offline', '暂时连不上预约系统，请稍后再试或到服务台咨询');
    }
    return { idKey: who.idKey };
  }

  async appointmentRecord(a: AppointmentView, action: 'booked' | 'cancelled' | 'checked-in'): Promise<void> {
    await this.deps.transactions
      .append('appointment', { appointmentId: a.id, action, itemCode: a.itemCode, date: a.date, slot: a.slot })
      .catch((err: Error) => this.rt.log.warn({ err: err.message }, 'appointment transaction not recorded'));
  }

  private async checkedIn(answer: QueueAnswer<'appointments:check-in'>, print: boolean): Promise<CheckedInView> {
    this.noteLine(answer.line);
    const ticket = this.view(answer.ticket);
    await this.appointmentRecord(answer.appointment, 'checked-in');
    this.rt.hub.emit('queue.ticket', ticket);
    const printJob = print ? await this.print(ticket) : undefined;
    return { appointment: answer.appointment, ticket, printJob };
  }

  handlers(): Handlers {
    return {
      'queue.take': (input) => this.take(input),
      'queue.priority': () => this.config.queue.priority,
      'queue.hours': () => Promise.resolve(this.closedNow()),
      'queue.status': ({ ticketId }) => this.status(ticketId),
      'queue.lines': () => this.lineViews(),
      'appointment.slots': ({ itemCode }) => this.ask('appointments:slots', { itemCode }),
      'appointment.book': (input) =>
        this.booked.run(input.requestId, async () => {
          const a = await this.ask('appointments:book', { ...input, ...this.person() });
          await this.appointmentRecord(a, 'booked');
          return a;
        }),
      'appointment.list': () => this.ask('appointments:list', { idKey: this.person().idKey }),
      'appointment.cancel': async ({ appointmentId }) => {
        const a = await this.ask('appointments:cancel', { appointmentId, idKey: this.person().idKey });
        await this.appointmentRecord(a, 'cancelled');
        return a;
      },
      'appointment.checkIn': async ({ print }) => this.checkedIn(await this.ask('appointments:check-in', { idKey: this.person().idKey }), print),
      'appointment.checkInCode': async ({ code, print }) => this.checkedIn(await this.ask('appointments:check-in-code', { code }), print),
    };
  }
}

/** The printed ticket: the number large, where to go, how long, and a QR to follow it. */
export function ticketReceipt(t: TicketView, where: { hallName: string; kioskName: string; hours: readonly OpeningHours[] }, width = 48): ReceiptInput {
  // Names come from the catalogue and can be long: every line is laid out for the paper.
  const text = (s: string, o: Parameters<typeof wrappedText>[2] = {}): ReceiptItemInput => wrappedText(s, width, o);
  const stamp = new Date(t.issuedAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
  const items: ReceiptItemInput[] = [
    text(where.hallName, { align: 'center', bold: true }),
    text('排队号', { align: 'center' }),
    text(t.number, { align: 'center', size: 4, bold: true }),
  ];
  if (t.priority) items.push(text('优先办理', { align: 'center', bold: true }));
  items.push({ type: 'rule' });
  items.push(text(`业务：${t.groupName}${t.itemName ? `（${t.itemName}）` : ''}`, { indent: '      ' }));
  items.push(text(`办理窗口：${t.windows.join('、') || '请咨询服务台'}`, { indent: '          ' }));
  items.push(text(`前面还有 ${t.ahead} 人，预计等候约 ${t.estimatedWaitMinutes} 分钟`));
  if (t.offline) items.push(text('（本号在网络中断时取得，已计入排队）'));
  items.push(text(`取号时间：${stamp}`));
  // A citizen who steps out needs to know until when the hall calls.
  items.push(...hoursOnSlip(where.hours, width));
  items.push({ type: 'rule' });
  if (t.followUrl) {
    items.push(text('手机扫码查看排队进度', { align: 'center' }));
    items.push({ type: 'qr', data: t.followUrl, moduleSize: 6, align: 'center' });
  }
  items.push(text('过号请到服务台重新取号', { align: 'center' }));
  items.push(text(where.kioskName, { align: 'center' }));
  items.push({ type: 'cut', feed: 4 });
  return { width, items };
}

export function queuePart(opts: KioskQueueOptions = {}): TerminalPart {
  return definePart({
    name: 'queue',
    needs: ['central', 'transactions', 'devices', 'session'],
    provides: ['queue'],
    build: (ctx, deps) => {
      const queue = new KioskQueue(ctx, deps, opts);
      return { provides: { queue }, handlers: queue.handlers() };
    },
  });
}

/**
 * A wait longer than a day is an estimate gone wild (one window open for a long line),
 * not a figure to keep: it is recorded as the schema's ceiling rather than have the
 * ticket's record refused and the ticket unknown to the platform.
 */
function recordedWait(minutes: number): number {
  return Math.min(minutes, TICKET_WAIT_MAX_MINUTES);
}
