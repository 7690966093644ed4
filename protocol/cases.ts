/**
 * Case progress (办件进度): a case a window accepts moves through 受理 → 审核中 → 办结 →
 * 待领取 → 已领取, or to 退回补正 with the materials the citizen must bring. The state
 * machine, the window terminal's and console's HTTP shapes and the kiosk's socket
 * requests live here, since the platform, the window terminal, the console and the kiosk
 * all read them. A case knows its citizen only by the keyed pseudonym (protocol/id-key.ts);
 * the receipt's QR carries a lookup code, which says nothing about the person.
 */
import { z } from 'zod';

export const CASE_STATES = ['accepted', 'reviewing', 'done', 'ready', 'collected', 'returned'] as const;
export type CaseState = (typeof CASE_STATES)[number];

/** Where each state may go next; 退回补正 goes back to review once the materials arrive. */
export const CASE_TRANSITIONS: Record<CaseState, readonly CaseState[]> = {
  accepted: ['reviewing', 'returned'],
  reviewing: ['done', 'returned'],
  returned: ['reviewing'],
  done: ['ready'],
  ready: ['collected'],
  collected: [],
};

/** The states the hall's promised time limit still runs in (办结 stops it; 退回补正 waits on the citizen). */
export const OPEN_CASE_STATES: readonly CaseState[] = ['accepted', 'reviewing'];

/** The states' names as the hall writes them, for logs and error messages. */
export const CASE_STATE_ZH: Record<CaseState, string> = {
  accepted: '受理',
  reviewing: '审核中',
  done: '办结',
  ready: '待领取',
  collected: '已领取',
  returned: '退回补正',
};

export const CASE_STATE_EN: Record<CaseState, string> = {
  accepted: 'accepted',
  reviewing: 'under review',
  done: 'completed',
  ready: 'ready for collection',
  collected: 'collected',
  returned: 'returned for more materials',
};

/** Null when the move is allowed, else why not in words a clerk reads. */
export function transitionRefusal(from: CaseState, to: CaseState): string | null {
  if (CASE_TRANSITIONS[from].includes(to)) return null;
  const next = CASE_TRANSITIONS[from].map((s) => CASE_STATE_ZH[s]);
  return `a case in ${CASE_STATE_ZH[from]} (${from}) cannot move to ${CASE_STATE_ZH[to]} (${to}); ${next.length ? `next is ${next.join(' or ')}` : 'it is finished'}`;
}

/** What the receipt's QR code holds: this prefix and the case's lookup code. */
export const CASE_QR_PREFIX = 'XJCASE:';
/** Ten characters of an alphabet without look-alikes (no 0/O, 1/I/L). */
export const CaseLookupCode = z.string().regex(/^[2-9A-HJKMNP-Z]{10}$/, 'a ten-character case code');

/** The lookup code in a scanned text, or null when the text is not a case receipt's QR. */
export function lookupCodeOf(scanned: string): string | null {
  const text = scanned.trim().toUpperCase();
  const code = text.startsWith(CASE_QR_PREFIX) ? text.slice(CASE_QR_PREFIX.length) : text;
  return CaseLookupCode.safeParse(code).success ? code : null;
}

const IdKey = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 key');
const RequestId = z.string().uuid();
const MaterialName = z.string().min(1).max(200);

export interface CaseEventView {
  state: CaseState;
  at: string;
  /** Only on 退回补正: what the citizen must bring. */
  missing?: string[];
}

/** A case as the window terminal, the console and the kiosk see it (never the citizen). */
export interface CaseView {
  id: string;
  number: string;
  lookupCode: string;
  itemCode: string;
  itemName: string;
  itemNameEn: string | null;
  windowId: string;
  state: CaseState;
  /** Whether the case is filed under a citizen's pseudonym (found by ID card at a kiosk). */
  bound: boolean;
  acceptedAt: string;
  updatedAt: string;
  /** The promised finishing day (hall day, YYYY-MM-DD) or instant, when the item promises one. */
  dueBy: string | null;
  overdue: boolean;
  timeline: CaseEventView[];
}

export const CaseViewSchema: z.ZodType<CaseView> = z.object({
  id: z.string(),
  number: z.string(),
  lookupCode: z.string(),
  itemCode: z.string(),
  itemName: z.string(),
  itemNameEn: z.string().nullable(),
  windowId: z.string(),
  state: z.enum(CASE_STATES),
  bound: z.boolean(),
  acceptedAt: z.string(),
  updatedAt: z.string(),
  dueBy: z.string().nullable(),
  overdue: z.boolean(),
  timeline: z.array(z.object({ state: z.enum(CASE_STATES), at: z.string(), missing: z.array(z.string()).optional() })),
});

// ---------------------------------------------------------------- the window terminal (HTTP, staff)

/** POST /api/cases: open a case at a window, for its called ticket when there is one. */
export const OpenCaseBody = z.object({
  requestId: RequestId,
  windowId: z.string().regex(/^[A-Z]\d{2}$/),
  /** The item accepted; defaults to the ticket's item. */
  itemCode: z.string().min(1).max(64).optional(),
  /** The called ticket: the citizen's pseudonym comes from it when the kiosk bound it. */
  ticketId: z.string().uuid().optional(),
});
export type OpenCaseBody = z.infer<typeof OpenCaseBody>;

/** POST /api/cases/:id/move. */
export const MoveCaseBody = z
  .object({
    requestId: RequestId,
    to: z.enum(CASE_STATES),
    missing: z.array(MaterialName).max(50).optional(),
  })
  .refine((b) => b.to !== 'returned' || (b.missing?.length ?? 0) > 0, { message: '退回补正 needs the list of missing materials', path: ['missing'] })
  .refine((b) => b.to === 'returned' || !b.missing, { message: 'missing materials go only with 退回补正 (returned)', path: ['missing'] });
export type MoveCaseBody = z.infer<typeof MoveCaseBody>;

/** POST /api/cases, POST /api/cases/:id/move, GET /api/cases/:id. */
export interface CaseAnswer {
  case: CaseView;
  /** The item's materials, for the clerk to pick the missing ones from. */
  materials: string[];
}

/** GET /api/cases?windowId=…: the window's recent cases. */
export interface CasesAnswer {
  cases: CaseView[];
}

/** GET /api/cases/items?windowId=…: the items the window's lines serve, to accept a case for. */
export interface CaseItemsAnswer {
  items: { code: string; name: string; nameEn: string | null }[];
}

/** GET /api/cases/figures: the console's counts. */
export interface CaseFiguresAnswer {
  byState: Record<CaseState, number>;
  overdue: CaseView[];
  at: string;
}

// ---------------------------------------------------------------- the kiosk (device socket)

export const CaseRequests = {
  /** Every case filed under the signed-in citizen's pseudonym. */
  'cases:mine': z.object({ idKey: IdKey }),
  /** One case by the lookup code on its receipt. */
  'cases:lookup': z.object({ code: CaseLookupCode }),
};

export const CaseAnswerSchemas = {
  'cases:mine': z.array(CaseViewSchema),
  'cases:lookup': CaseViewSchema,
};
