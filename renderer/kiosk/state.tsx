/**
 * What every kiosk screen shares: the terminal's info and devices, the home menu, the
 * signed-in citizen (masked), the display mode and the screen history. It lives in one
 * provider that the idle wipe remounts, so nothing a citizen did survives them.
 */
import { createContext, useContext } from 'react';
import type { HomeMenu } from '../../protocol/ui/domains/catalogue.ts';
import type { DeviceHealth, KioskInfo } from '../../protocol/ui/domains/kiosk.ts';
import type { CardValidity, SeniorService, SessionPerson } from '../../protocol/ui/domains/session.ts';
import type { TicketView } from '../../protocol/ui/domains/queue.ts';
import type { SearchIndex } from './search/index.ts';
import type { PaperState } from './appointments.ts';
import type { RecordKind } from '../../protocol/datashare.ts';
import type { PendingList } from './pending.ts';

/**
 * A ticket in hand. It rides in the screen history rather than in a screen's state, so
 * stepping back from the rating shows the same ticket instead of offering another one,
 * and the idle wipe drops it with the rest of the history.
 */
/** What a list row needs of an item. */
export interface ItemName {
  name: string;
  nameEn?: string;
  department: string;
}

export interface TakenTicket {
  ticket: TicketView;
  paper: PaperState;
  /** Issued while the citizen was signed in, so the platform holds it under their card. */
  bound: boolean;
  checkIn: boolean;
}

export type Screen =
  | { name: 'home' }
  | { name: 'search' }
  | { name: 'list'; title: string; codes: string[] }
  | { name: 'guide'; code: string; caseCode?: string }
  /** caseCode: a case picked on the guide, shown with its verdict as if the questions had led there. */
  | { name: 'questionnaire'; code: string; caseCode?: string }
  | { name: 'rating'; itemCode?: string; subject?: string }
  /** A ticket for an item (code) or, from the first screen's one-tap buttons, for a whole queue group. */
  | { name: 'ticket'; code: string; caseCode?: string; groupId?: string; title: string; taken?: TakenTicket }
  | { name: 'check-in' }
  | { name: 'booking'; code: string; title: string }
  | { name: 'appointments' }
  /** 查询打印: the records menu, or one record (kind). */
  | { name: 'records'; kind?: RecordKind }
  | { name: 'id-copy' }
  /** 一件事: the hall's bundles, or one of them. */
  | { name: 'bundles' }
  | { name: 'bundle'; id: string }
  /** 待办清单: what the citizen collected, with one material list. */
  | { name: 'pending' }
  /** 办件进度: the citizen's cases by card, or one by its receipt's QR. */
  | { name: 'cases' }
  /** AI 预审 of an item's materials with the document camera. */
  | { name: 'prereview'; code: string; caseCode?: string };

export interface KioskState {
  info: KioskInfo | null;
  devices: DeviceHealth[];
  home: HomeMenu | null;
  person: SessionPerson | null;
  /** The signed-in card's validity; null with nobody signed in or an unreadable end date. */
  card: CardValidity | null;
  /** 老年人优待证 offered to the signed-in citizen (主动提醒); null otherwise. */
  senior: SeniorService | null;
  elderly: boolean;
  /** The citizen's 待办清单, wiped with the rest of their layer; kept on the platform while signed in. */
  pending: PendingList;
  screen: Screen;
  index: SearchIndex | null;
  /** Catalogue names by code, for lists built from search or menus. */
  names: Map<string, ItemName>;
  go(screen: Screen): void;
  /** Swaps the current screen for another, so back skips what was just done (a ticket taken). */
  replace(screen: Screen): void;
  back(): void;
  goHome(): void;
  speak(text: string): void;
}

export const KioskContext = createContext<KioskState | null>(null);

export function useKiosk(): KioskState {
  const k = useContext(KioskContext);
  if (!k) throw new Error('useKiosk outside KioskContext');
  return k;
}

export type Availability = { ok: true } | { ok: false; why: 'absent' | 'faulty' | 'paper-out' };

/** Whether a device kind can be used now; a kiosk with no such device configured has it 'absent'. */
export function availability(devices: DeviceHealth[], kind: DeviceHealth['kind']): Availability {
  const d = devices.find((x) => x.kind === kind);
  if (!d || d.state === 'absent') return { ok: false, why: 'absent' };
  if (d.state === 'faulty') return { ok: false, why: 'faulty' };
  if (kind === 'printer' && d.paper === 'out') return { ok: false, why: 'paper-out' };
  return { ok: true };
}
