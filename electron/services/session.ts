/**
 * The signed-in citizen. Placing an ID card on the reader signs them in; the UI and the
 * transaction log only ever see masked values (张*三, 4401**********1234). The raw card
 * stays in this module's memory, for prefilling forms and binding tickets to the card
 * (parts that need the session reach it through `currentCard()`), and is dropped when the
 * session ends.
 *
 * Wipe policy:
 * - the citizen signs out, or the UI's idle countdown runs out (session.signOut);
 * - the host asks every screen to go home (kiosk.reset, e.g. the watchdog);
 * - a different card is placed (the first citizen's session ends before the next begins);
 * - a backstop on the host: a session never outlives MAX_SESSION_MS, so a UI that died
 *   without signing out cannot leave a citizen signed in.
 * Taking the card off the reader does NOT end the session: citizens are told to take
 * their card back right after it is read, and go on using the kiosk.
 *
 * Names and ID numbers are never logged.
 */
import { LONG_TERM, type CardText } from '../../drivers/idcard/text.ts';
import { dayAtAge } from '../../config/age.ts';
import { EXPIRES_SOON_DAYS, SENIOR_AGE, SENIOR_EARLY_MONTHS, type CardValidity, type SeniorService, type SessionPerson, type SessionState } from '../../protocol/ui/domains/session.ts';
import type { Catalogue } from '../../config/schema.ts';
import { maskIdNumber } from '../../protocol/masked-id.ts';
import type { Handlers } from '../api/router.ts';
import type { TerminalContext } from './kiosk-services.ts';
import { definePart, type TransactionLog } from './compose.ts';

export const MAX_SESSION_MS = 15 * 60_000;

/** 张三丰 → 张*丰, 张三 → 张*, 欧阳小华 → 欧**华; Latin names keep each word's first letter. */
export function maskName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) return '';
  if (/^[\x20-\x7e]+$/.test(trimmed)) {
    return trimmed
      .split(/\s+/)
      .map((w) => w[0] + '*'.repeat(Math.max(w.length - 1, 1)))
      .join(' ');
  }
  const chars = [...trimmed.replace(/\s+/g, '')];
  if (chars.length === 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

export { maskIdNumber };

export function personOf(card: CardText, since: Date = new Date()): SessionPerson {
  const birthYear = /^\d{4}/.exec(card.birth)?.[0];
  return {
    maskedName: maskName(card.name),
    maskedId: maskIdNumber(card.idNumber),
    cardType: card.cardType,
    prefill: { sex: card.sex || undefined, birthYear },
    since: since.toISOString(),
  };
}

/** The hall's calendar day of an instant: a card read at 00:30 in Guangzhou is read on that day, not UTC's day before. */
export function hallDate(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

const DAY_MS = 86_400_000;

function dayNumber(iso: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return null;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Date.UTC rolls 02-30 over into March; a date that does not round-trip is not a date.
  return new Date(t).toISOString().slice(0, 10) === iso ? t / DAY_MS : null;
}

/**
 * The card's validity on the hall's calendar. A card is valid through its end date (the
 * date printed is the last valid day). 长期 never expires. An end date the reader could not
 * decode gives null: the citizen is not told their card expired on a guess.
 */
export function cardValidity(validTo: string, now: Date, renewal: CardValidity['renewal'] = null): CardValidity | null {
  if (validTo === LONG_TERM) return { validTo, expired: false, expiresSoon: false, renewal: null };
  const end = dayNumber(validTo);
  const today = dayNumber(hallDate(now));
  if (end === null || today === null) return null;
  const left = end - today;
  return { validTo, expired: left < 0, expiresSoon: left >= 0 && left <= EXPIRES_SOON_DAYS, renewal: left <= EXPIRES_SOON_DAYS ? renewal : null };
}

/**
 * The item a resident renews an ID card with: the hall's own 居民身份证 item that offers
 * 换领, and its case for a card whose term has ended. Only resident cards are renewed
 * there; other cards' issuers differ.
 */
export function renewalItemOf(catalogue: Catalogue): CardValidity['renewal'] {
  const item = catalogue.items.find((i) => i.name.startsWith('居民身份证') && i.name.includes('换领'));
  if (!item) return null;
  const due = item.cases.find((c) => c.name.includes('有效期满'));
  return due ? { code: item.code, caseCode: due.code } : { code: item.code };
}

/**
 * 老年人优待证 for a citizen who may apply for it (from SENIOR_EARLY_MONTHS before the
 * SENIOR_AGE birthday) or may within EXPIRES_SOON_DAYS days, on the hall's calendar, by
 * the same reckoning of age as the eligibility rules (config/age.ts).
 */
export function seniorServiceOf(birth: string, now: Date, catalogue: Catalogue): SeniorService | null {
  const item = catalogue.items.find((i) => i.name.includes('老年人优待证'));
  const today = hallDate(now);
  const birthday = dayAtAge(birth, SENIOR_AGE * 12);
  const from = dayAtAge(birth, SENIOR_AGE * 12 - SENIOR_EARLY_MONTHS);
  const todayN = dayNumber(today);
  const fromN = from ? dayNumber(from) : null;
  if (!item || !birthday || !from || todayN === null || fromN === null) return null;
  if (fromN - todayN > EXPIRES_SOON_DAYS) return null;
  const stage = today >= birthday ? 'sixty' : today >= from ? 'early' : 'soon';
  return { code: item.code, birthday, from, stage };
}

/** The device manager's card events; a card may come bare or wrapped in the reader's read result. */
interface CardEvents {
  on(event: 'card-present', listener: (read: CardText | { card: CardText }) => void): unknown;
  off?(event: string, listener: (...args: never[]) => void): unknown;
}

export class SessionService {
  private card: CardText | null = null;
  private person: SessionPerson | null = null;
  private validity: CardValidity | null = null;
  private senior: SeniorService | null = null;
  private backstop: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly rt: TerminalContext,
    private readonly transactions: TransactionLog,
    private readonly maxSessionMs = MAX_SESSION_MS,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  state(): SessionState {
    return { person: this.person, card: this.validity, senior: this.senior };
  }

  /** The raw card of the signed-in citizen, for host modules that bind records to it; never sent to a screen. */
  currentCard(): CardText | null {
    return this.card;
  }

  async signIn(card: CardText): Promise<SessionState> {
    if (this.card && this.card.idNumber !== card.idNumber) await this.signOut('reset');
    const same = this.card?.idNumber === card.idNumber;
    this.card = card;
    if (!same) {
      const now = this.clock();
      this.person = personOf(card, now);
      const renewal = card.cardType === 'resident' ? renewalItemOf(this.rt.store.config.catalogue) : null;
      this.validity = cardValidity(card.validTo, now, renewal);
      this.senior = seniorServiceOf(card.birth, now, this.rt.store.config.catalogue);
      await this.record('signin', {
        maskedName: this.person.maskedName,
        maskedId: this.person.maskedId,
        cardType: card.cardType,
        idNumberValid: card.idNumberValid,
        ...(this.validity ? { cardExpired: this.validity.expired } : {}),
      });
    }
    this.armBackstop();
    this.rt.hub.emit('session.changed', this.state());
    return this.state();
  }

  async signOut(reason: 'user' | 'idle' | 'reset' | 'expired'): Promise<SessionState> {
    if (this.backstop) clearTimeout(this.backstop);
    this.backstop = null;
    const had = this.person;
    this.card = null;
    this.person = null;
    this.validity = null;
    this.senior = null;
    if (had) {
      await this.record('signout', { maskedId: had.maskedId, reason, seconds: Math.round((Date.now() - Date.parse(had.since)) / 1000) });
      this.rt.log.info({ reason }, 'citizen signed out');
    }
    this.rt.hub.emit('session.changed', this.state());
    return this.state();
  }

  private armBackstop(): void {
    if (this.backstop) clearTimeout(this.backstop);
    this.backstop = setTimeout(() => void this.signOut('expired'), this.maxSessionMs);
    this.backstop.unref?.();
  }

  private async record(type: string, payload: Record<string, unknown>): Promise<void> {
    try {
      // The envelope already carries the device and the time; the payload holds only masked values.
      await this.transactions.append(type, payload);
    } catch (err) {
      // A sign-in must not fail because the outbox is unhappy; the log says why, without the person.
      this.rt.log.warn({ type, err: (err as Error).message }, 'session transaction not recorded');
    }
  }

  /** Subscribes to the card reader; returns the unsubscribe. */
  attach(source: CardEvents): () => void {
    const present = (read: CardText | { card: CardText }) => {
      const card = 'card' in read && typeof read.card === 'object' ? read.card : (read as CardText);
      this.signIn(card).catch((err) => {
        this.rt.log.warn({ err: (err as Error).message }, 'sign-in failed');
        this.rt.hub.emit('session.cardError', { message: '身份证读取后登录失败，请重新放置身份证。' });
      });
    };
    const cardError = () => this.rt.hub.emit('session.cardError', { message: '未能读取身份证，请将身份证平放在感应区后重试。' });
    source.on('card-present', present);
    (source as unknown as { on(e: string, l: () => void): unknown }).on('card-error', cardError);
    return () => {
      source.off?.('card-present', present as never);
      source.off?.('card-error', cardError as never);
    };
  }

  handlers(): Handlers {
    return {
      'session.get': () => this.state(),
      'session.signOut': ({ reason }) => this.signOut(reason ?? 'user'),
    };
  }
}

export const sessionPart = definePart({
  name: 'session',
  needs: ['devices', 'transactions'],
  provides: ['session'],
  build: (ctx, { devices, transactions }) => {
    const service = new SessionService(ctx, transactions);
    if (devices.manager) {
      const detach = service.attach(devices.manager as unknown as CardEvents);
      ctx.onClose(detach);
    } else {
      ctx.log.info('no devices: sign-in with an ID card is unavailable on this terminal');
    }
    const offReset = ctx.hub.on('kiosk.reset', () => void service.signOut('reset'));
    ctx.onClose(offReset);
    ctx.onClose(() => service.signOut('reset').then(() => undefined));
    return { provides: { session: service }, handlers: service.handlers() };
  },
});
