/**
 * Three fixture cards, one per supported card type, for the simulator, tests and the
 * demo hall. Identities are invented; ID numbers carry valid GB 11643 check digits.
 * Photos and fingerprints are deterministic pseudo-random bytes standing in for the
 * encrypted WLT / minutiae data: they are not images and must never be shown as one.
 */
import type { CardType, CardTextInput } from './text.ts';
import { encodeCardText, idCheckDigit } from './text.ts';
import { FINGERPRINT_BYTES, PHOTO_BYTES } from './codec.ts';

export interface FixtureCard {
  type: CardType;
  text: CardTextInput;
  photo: Uint8Array;
  fingerprint: Uint8Array | null;
  /** Address added after issue (签发后住址变更), read by 30 03; null when none. */
  additionalAddress: string | null;
}

/** The card as the simulator holds it: the raw text block plus binary areas. */
export interface SimCard {
  textBlock: Uint8Array;
  photo: Uint8Array;
  fingerprint: Uint8Array | null;
  additionalAddress: string | null;
}

/** xorshift32: the same seed gives the same bytes on every run and platform. */
export function deterministicBytes(seed: number, length: number): Uint8Array {
  let x = seed >>> 0 || 0x9e3779b9;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

export const residentCard: FixtureCard = {
  type: 'resident',
  text: {
    cardType: 'resident',
    name: '李今华',
    sexCode: '1',
    nationCode: '01',
    birth: '1968-03-15',
    address: '广东省广州市越秀区府前路1号',
    idNumber: '440104196803150038',
    authority: '广州市公安局越秀分局',
    validFrom: '2016-05-20',
    validTo: '长期',
  },
  photo: deterministicBytes(0x11, PHOTO_BYTES),
  fingerprint: deterministicBytes(0x12, FINGERPRINT_BYTES),
  additionalAddress: '广东省广州市天河区天河路100号',
};

export const hkMacauTaiwanCard: FixtureCard = {
  type: 'hk-macau-taiwan',
  text: {
    cardType: 'hk-macau-taiwan',
    name: '陈港生',
    sexCode: '2',
    birth: '1995-05-05',
    address: '',
    idNumber: '810000199505050022',
    authority: '深圳市公安局',
    validFrom: '2021-09-01',
    validTo: '2026-09-01',
    passNumber: 'H60123456',
    issueCount: '01',
  },
  photo: deterministicBytes(0x21, PHOTO_BYTES),
  fingerprint: null,
  additionalAddress: null,
};

export const foreignPermanentCard: FixtureCard = {
  type: 'foreign-permanent',
  text: {
    cardType: 'foreign-permanent',
    englishName: 'MARTIN, CLAIRE ANNE',
    chineseName: '马克蕾',
    sexCode: '2',
    idNumber: 'CAN440085061202',
    nationality: 'CAN',
    birth: '1985-06-12',
    validFrom: '2019-03-01',
    validTo: '2029-03-01',
    cardVersion: '17',
    authorityCode: '1500',
  },
  photo: deterministicBytes(0x31, PHOTO_BYTES),
  fingerprint: null,
  additionalAddress: null,
};

export const fixtureCards: Readonly<Record<CardType, FixtureCard>> = {
  resident: residentCard,
  'hk-macau-taiwan': hkMacauTaiwanCard,
  'foreign-permanent': foreignPermanentCard,
};

export function toSimCard(card: FixtureCard): SimCard {
  return {
    textBlock: encodeCardText(card.text),
    photo: card.photo,
    fingerprint: card.fingerprint,
    additionalAddress: card.additionalAddress,
  };
}

/**
 * The resident fixture born on another day, its number rewritten to match (GB 11643 puts
 * the birth date in digits 7–14 and a check digit last), so a test can place an older or
 * younger citizen's card.
 */
export function residentBornOn(birth: string): FixtureCard {
  const digits = birth.replace(/-/g, '');
  if (!/^\d{8}$/.test(digits)) throw new RangeError('a birth date like 1960-05-01');
  const id = residentCard.text.idNumber;
  const first17 = `${id.slice(0, 6)}${digits}${id.slice(14, 17)}`;
  return { ...residentCard, text: { ...residentCard.text, birth, idNumber: `${first17}${idCheckDigit(first17)}` } };
}
