/**
 * The hall's visitors: arrivals by the hour-of-day curve of a real hall on open days, each
 * doing what citizens do at the terminals through their typed API (search and guide,
 * tickets, checklists, sign-in with an ID card, booking and checking in, ratings, questions
 * to the robot). Every transaction a visitor causes goes into the ledger. Seeded: the same
 * seed gives the same visitors at the same hall instants.
 */
import { randomUUID } from 'node:crypto';
import type { HallConfig } from '../../config/schema.ts';
import { dayPlan } from '../../common/hall-calendar.ts';
import { hallDay, hallInstant, hallTime, type Clock } from '../../protocol/clock.ts';
import { rng } from '../../server/queue/simulate.ts';
import { residentBornOn } from '../../drivers/idcard/fixtures.ts';
import { TerminalClient, TerminalCallError } from './terminal-client.ts';
import type { Ledger } from './ledger.ts';
import { simControl } from './faults/sim-control.ts';

/** Share of a day's visitors arriving in each hour (hall time) of a government hall: a morning peak, lunch, an afternoon peak. */
const HOUR_WEIGHT: Record<number, number> = { 8: 0.4, 9: 1.3, 10: 1.6, 11: 1.3, 12: 0.6, 13: 0.7, 14: 1.3, 15: 1.4, 16: 1.0, 17: 0.5, 18: 0.2 };

const ROBOT_QUESTIONS = ['社保卡丢了怎么补办', '洗手间在哪里', '公积金提取需要什么材料', '你们几点下班', '营业执照怎么办理', '怎么预约', '身份证过期了怎么换', '停车场在哪', '医保报销去几号窗口', '居住证怎么办'];

type Kind = 'walk-in' | 'checklist' | 'book' | 'check-in' | 'teller' | 'robot';
const MIX: [Kind, number][] = [['walk-in', 0.5], ['checklist', 0.1], ['book', 0.08], ['teller', 0.1], ['robot', 0.22]];

export interface TrafficTerminals {
  kiosk: string;
  teller?: string;
  robot?: string;
}

export interface TrafficOptions {
  seed: number;
  visitorsPerDay: number;
  /** Simulated ms per wall ms (to turn a visitor's minutes into wall time). */
  speed: number;
  clock: Clock;
  config: HallConfig;
  urls: TrafficTerminals;
  ids: { kiosk: string; teller?: string; robot?: string };
  ledger: Ledger;
  /** Visitors being served at once at most; one arriving past it walks away (counted). */
  maxInFlight?: number;
  /** The end of the run (hall instant): nobody is planned to arrive after it. */
  until: number;
  /** Each simulated resident's ID number and name as their card is made, so the personal-data scan can look for them. */
  onCitizen?: (idNumber: string, name: string) => void;
}

export interface TrafficStats {
  planned: number;
  arrived: number;
  served: number;
  turnedAway: number;
  /** Why: 'crowded' (the machine was serving as many as it could), 'reader-busy' (a queue at the card reader). */
  turnedAwayBy: Record<string, number>;
  actions: Record<string, number>;
  failures: Record<string, number>;
}

interface Arrival {
  at: number;
  kind: Kind;
  code?: string;
}

/** One at a time on a terminal's card reader: a second citizen waits for the first to take their card. */
class Mutex {
  private tail: Promise<void> = Promise.resolve();
  /** Citizens at the reader or waiting for it. */
  waiting = 0;
  run<T>(fn: () => Promise<T>): Promise<T> {
    this.waiting++;
    const result = this.tail.then(fn).finally(() => this.waiting--);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}

/** A citizen who finds this many already at a terminal's card reader goes to another machine or the desk. */
const READER_QUEUE = 3;

export class Traffic {
  readonly stats: TrafficStats = { planned: 0, arrived: 0, served: 0, turnedAway: 0, turnedAwayBy: {}, actions: {}, failures: {} };
  private readonly rand: () => number;
  private readonly clients: Record<string, TerminalClient> = {};
  private readonly readers = new Map<string, Mutex>();
  private readonly plannedDays = new Set<string>();
  private queue: Arrival[] = [];
  private inFlight = new Set<Promise<void>>();
  private readonly itemCodes: string[];

  constructor(private readonly o: TrafficOptions) {
    this.rand = rng(o.seed);
    this.itemCodes = o.config.hall.groups.flatMap((g) => g.items);
  }

  /** Plans each hall day as the clock reaches it and lets arrivals in; call often. */
  tick(): void {
    const now = this.o.clock.now();
    const day = hallDay(now);
    if (!this.plannedDays.has(day)) this.planDay(day, now);
    while (this.queue.length && this.queue[0].at <= now) {
      const a = this.queue.shift()!;
      this.stats.arrived++;
      if (this.inFlight.size >= (this.o.maxInFlight ?? 48)) {
        this.walkAway('crowded');
        continue;
      }
      const p = this.visit(a).finally(() => this.inFlight.delete(p));
      this.inFlight.add(p);
    }
  }

  /** Waits for the visitors still at the terminals. */
  async drain(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  close(): void {
    for (const c of Object.values(this.clients)) c.close();
  }

  private planDay(day: string, now: number): void {
    this.plannedDays.add(day);
    const plan = dayPlan(this.o.config, day);
    if (!plan.open || !plan.hours) return;
    const open = hallInstant(day, plan.hours.open);
    // The doors close to new visitors a quarter of an hour before the hall does.
    const close = hallInstant(day, plan.hours.close) - 15 * 60_000;
    const hours: { start: number; end: number; w: number }[] = [];
    for (let t = open; t < close; t += 3600_000) {
      const hour = Number(hallTime(t).slice(0, 2));
      hours.push({ start: t, end: Math.min(t + 3600_000, close), w: HOUR_WEIGHT[hour] ?? 0.2 });
    }
    const total = hours.reduce((s, h) => s + h.w * ((h.end - h.start) / 3600_000), 0);
    const arrivals: Arrival[] = [];
    for (const h of hours) {
      const n = Math.round((this.o.visitorsPerDay * h.w * ((h.end - h.start) / 3600_000)) / total);
      for (let i = 0; i < n; i++) {
        const at = h.start + Math.floor(this.rand() * (h.end - h.start));
        if (at >= now && at < this.o.until) arrivals.push({ at, kind: this.pickKind() });
      }
    }
    this.stats.planned += arrivals.length;
    this.queue = [...this.queue, ...arrivals].sort((a, b) => a.at - b.at);
  }

  private pickKind(): Kind {
    let r = this.rand();
    for (const [kind, share] of MIX) {
      if (r < share) return kind;
      r -= share;
    }
    return 'walk-in';
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rand() * xs.length)];
  }

  private client(url: string): TerminalClient {
    return (this.clients[url] ??= new TerminalClient(url));
  }

  /** A visitor's pause (sim minutes) as wall time. */
  private pause(simMinutes: number): Promise<void> {
    return new Promise((done) => setTimeout(done, (simMinutes * 60_000) / this.o.speed));
  }

  private async visit(a: Arrival): Promise<void> {
    try {
      switch (a.kind) {
        case 'walk-in':
          await this.walkIn();
          break;
        case 'checklist':
          await this.checklist();
          break;
        case 'book':
          await this.book();
          break;
        case 'check-in':
          await this.checkIn(a.code!);
          break;
        case 'teller':
          if (this.o.urls.teller) await this.teller();
          break;
        case 'robot':
          if (this.o.urls.robot) await this.robot();
          break;
      }
      this.stats.served++;
    } catch (err) {
      const code = err instanceof TerminalCallError ? err.code : 'error';
      if (code === 'reader-busy') {
        this.walkAway(code);
        return;
      }
      this.stats.failures[`${a.kind}:${code}`] = (this.stats.failures[`${a.kind}:${code}`] ?? 0) + 1;
    }
  }

  private walkAway(why: string): void {
    this.stats.turnedAway++;
    this.stats.turnedAwayBy[why] = (this.stats.turnedAwayBy[why] ?? 0) + 1;
  }

  private count(action: string): void {
    this.stats.actions[action] = (this.stats.actions[action] ?? 0) + 1;
  }

  private async walkIn(): Promise<void> {
    const kiosk = this.client(this.o.urls.kiosk);
    const group = this.pick(this.o.config.hall.groups);
    const code = group.items[0];
    if (code) {
      await kiosk.call('catalogue.item', { code });
      this.count('guide');
    }
    await this.pause(1);
    const { ticket, printJob } = await kiosk.call('queue.take', { groupId: group.id, itemCode: code, print: true, requestId: randomUUID() });
    this.count('ticket');
    this.o.ledger.record({ device: this.o.ids.kiosk, type: 'ticket', ident: ticket.id });
    this.o.ledger.ticket(hallDay(Date.parse(ticket.issuedAt)), ticket.number, ticket.id);
    if (printJob && printJob.jobId !== 'none') this.o.ledger.record({ device: this.o.ids.kiosk, type: 'print', ident: printJob.jobId });
    if (this.rand() < 0.3) {
      const level = this.rand() < 0.9 ? 5 - Math.floor(this.rand() * 3) : 2;
      const { id } = await kiosk.call('rating.submit', { level, reasons: level <= 2 ? ['等候时间长'] : [], subject: ticket.id, requestId: randomUUID() });
      this.count('rating');
      this.o.ledger.record({ device: this.o.ids.kiosk, type: 'rating', ident: id });
    }
  }

  private async checklist(): Promise<void> {
    const kiosk = this.client(this.o.urls.kiosk);
    const code = this.pick(this.itemCodes);
    await kiosk.call('catalogue.item', { code });
    try {
      const job = await kiosk.call('print.checklist', { code });
      this.count('print');
      this.o.ledger.record({ device: this.o.ids.kiosk, type: 'print', ident: job.jobId });
    } catch (err) {
      // Refused for want of a printer: the terminal still records the attempt, under no job.
      if (err instanceof TerminalCallError && err.code === 'device-absent') this.o.ledger.record({ device: this.o.ids.kiosk, type: 'print', ident: 'none' });
      throw err;
    }
  }

  /** Signs a simulated resident in with their card, runs `inside`, and takes the card away. */
  private async withCard<T>(url: string, inside: (client: TerminalClient) => Promise<T>): Promise<T> {
    const reader = this.readers.get(url) ?? new Mutex();
    this.readers.set(url, reader);
    if (reader.waiting >= READER_QUEUE) throw new TerminalCallError('reader-busy', 'too many citizens at this card reader');
    return reader.run(async () => {
      const birth = `19${50 + Math.floor(this.rand() * 50)}-0${1 + Math.floor(this.rand() * 9)}-1${Math.floor(this.rand() * 9)}`;
      const card = residentBornOn(birth).text;
      this.o.onCitizen?.(card.idNumber, 'name' in card ? card.name : '');
      const client = this.client(url);
      await simControl(url, '/sim/idcard/insert', { card: 'resident', birth });
      try {
        const deadline = Date.now() + 10_000;
        while (!(await client.call('session.get', {})).person) {
          if (Date.now() > deadline) throw new TerminalCallError('no-sign-in', 'the card was not read within 10 s');
          await new Promise((done) => setTimeout(done, 100));
        }
        this.count('sign-in');
        this.o.ledger.record({ device: this.idOf(url), type: 'signin', ident: 'count' });
        try {
          return await inside(client);
        } finally {
          await client.call('session.signOut', { reason: 'user' });
          this.o.ledger.record({ device: this.idOf(url), type: 'signout', ident: 'count' });
        }
      } finally {
        await simControl(url, '/sim/idcard/remove', {}).catch(() => undefined);
        // The reader reads a card only after it has seen its field empty (a poll every 300 ms):
        // the next citizen's card placed sooner would sit there unread.
        await new Promise((done) => setTimeout(done, 1000));
      }
    });
  }

  private idOf(url: string): string {
    const { urls, ids } = this.o;
    return url === urls.teller ? ids.teller! : url === urls.robot ? ids.robot! : ids.kiosk;
  }

  private async book(): Promise<void> {
    const code = this.pick(this.itemCodes);
    await this.withCard(this.o.urls.kiosk, async (kiosk) => {
      const days = await kiosk.call('appointment.slots', { itemCode: code });
      const now = this.o.clock.now();
      const options = days.flatMap((d) => d.slots.filter((s) => s.bookable && hallInstant(d.date, s.start) > now).map((s) => ({ date: d.date, start: s.start })));
      if (!options.length) return;
      const slot = this.pick(options.slice(0, 12));
      const a = await kiosk.call('appointment.book', { itemCode: code, date: slot.date, start: slot.start, requestId: randomUUID() });
      this.count('booking');
      this.o.ledger.record({ device: this.o.ids.kiosk, type: 'appointment', ident: `${a.id}:booked` });
      // The citizen comes back within the slot's first forty minutes with the booking code.
      if (a.bookingCode) {
        const at = hallInstant(a.date, a.slot.start) + Math.floor(this.rand() * 40 * 60_000);
        if (at < this.o.until) {
          this.queue.push({ at, kind: 'check-in', code: a.bookingCode });
          this.queue.sort((x, y) => x.at - y.at);
          this.stats.planned++;
        }
      }
    });
  }

  private async checkIn(code: string): Promise<void> {
    const kiosk = this.client(this.o.urls.kiosk);
    const { appointment, ticket, printJob } = await kiosk.call('appointment.checkInCode', { code, print: true });
    this.count('check-in');
    this.o.ledger.record({ device: this.o.ids.kiosk, type: 'appointment', ident: `${appointment.id}:checked-in` });
    this.o.ledger.ticket(hallDay(Date.parse(ticket.issuedAt)), ticket.number, ticket.id);
    if (printJob && printJob.jobId !== 'none') this.o.ledger.record({ device: this.o.ids.kiosk, type: 'print', ident: printJob.jobId });
  }

  private async teller(): Promise<void> {
    await this.withCard(this.o.urls.teller!, async (teller) => {
      await teller.call('kiosk.info', {});
      await this.pause(2);
    });
  }

  private async robot(): Promise<void> {
    const robot = this.client(this.o.urls.robot!);
    await robot.call('robot.ask', { text: this.pick(ROBOT_QUESTIONS) });
    this.count('robot-question');
  }
}
