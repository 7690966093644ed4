/** The signed-in citizen. Only masked values ever reach the UI. */
import { z } from 'zod';
import { method } from '../method.ts';

export interface SessionPerson {
  /** 张*三 */
  maskedName: string;
  /** 4401**********1234 */
  maskedId: string;
  cardType: 'resident' | 'hk-macau-taiwan' | 'foreign-permanent';
  /** Values a form may prefill, already masked where shown. */
  prefill: { sex?: string; birthYear?: string };
  since: string;
}

/**
 * Whether the signed-in card is still valid, on the hall's calendar (Asia/Shanghai). It
 * holds the card's end date only, never its number or holder.
 */
export interface CardValidity {
  /** ISO date, or 长期 for a card that never expires. */
  validTo: string;
  expired: boolean;
  /** Still valid but ends within EXPIRES_SOON_DAYS days. */
  expiresSoon: boolean;
  /** The hall's item for renewing this kind of card, when its catalogue has one. */
  renewal: { code: string; caseCode?: string } | null;
}

export const EXPIRES_SOON_DAYS = 90;

/** 老年人优待卡 (优待证) is for residents of this age and over. */
export const SENIOR_AGE = 60;

/** The first application may be made this many months before the SENIOR_AGE birthday (广州, from 2021-05-01). */
export const SENIOR_EARLY_MONTHS = 2;

/**
 * An age-based service for the signed-in citizen (主动提醒): the hall's 老年人优待证 item, for
 * a citizen who may apply already (SENIOR_EARLY_MONTHS before turning 60 or later) or may
 * within EXPIRES_SOON_DAYS days. It holds the days, never the birth date itself.
 */
export interface SeniorService {
  code: string;
  /** The day the citizen turns SENIOR_AGE (YYYY-MM-DD), on the hall's calendar. */
  birthday: string;
  /** The first day they may apply: SENIOR_EARLY_MONTHS before `birthday`. */
  from: string;
  /** sixty: SENIOR_AGE or over; early: may apply, not yet SENIOR_AGE; soon: may apply from `from`. */
  stage: 'sixty' | 'early' | 'soon';
}

export interface SessionState {
  person: SessionPerson | null;
  /** Null when nobody is signed in or the card's end date cannot be read. */
  card: CardValidity | null;
  /** Null when nobody is signed in, the citizen is younger, or the hall has no such item. */
  senior: SeniorService | null;
}

export const sessionMethods = {
  'session.get': method<SessionState>()(z.object({})),
  'session.signOut': method<SessionState>()(
    z.object({ reason: z.enum(['user', 'idle', 'reset']).optional() }),
  ),
};

export interface SessionEvents {
  'session.changed': SessionState;
  /** A card was placed but could not be read; the UI says so plainly. */
  'session.cardError': { message: string };
}
