/**
 * AI material pre-review (AI 预审): the document kinds the kiosk's OCR tells apart, the key
 * fields it reads off each, and its verdict per material of an item. Shared by the kiosk
 * host (which reads) and the screen (which shows the verdict and the fields to confirm).
 */
import { z } from 'zod';

export const DOCUMENT_KINDS = ['id-card-front', 'id-card-back', 'household-register', 'marriage-certificate', 'business-licence', 'property-certificate', 'vat-invoice', 'application-form'] as const;
export const DocumentKind = z.enum(DOCUMENT_KINDS);
export type DocumentKind = z.infer<typeof DocumentKind>;

/** The key fields of each kind; dates are ISO (YYYY-MM-DD), 长期 for a card without end. */
export const KIND_FIELDS = {
  'id-card-front': ['name', 'sex', 'nation', 'birth', 'address', 'idNumber'],
  'id-card-back': ['authority', 'validFrom', 'validTo'],
  'household-register': ['name', 'relation', 'birth', 'idNumber'],
  'marriage-certificate': ['holder', 'registered', 'certificateNumber', 'idNumber'],
  'business-licence': ['creditCode', 'name', 'legalRep', 'established', 'address'],
  'property-certificate': ['certificateNumber', 'owner', 'location', 'area'],
  'vat-invoice': ['invoiceNumber', 'issued', 'buyerName', 'buyerTaxId', 'sellerTaxId', 'total'],
  'application-form': ['name', 'idNumber', 'phone', 'date'],
} as const satisfies Record<DocumentKind, readonly string[]>;
export type FieldOf<K extends DocumentKind> = (typeof KIND_FIELDS)[K][number];

/** not-checked: a material the OCR cannot judge (a photo, a signed letter); the clerk looks at it. */
export const MATERIAL_STATUSES = ['present', 'missing', 'expired', 'unreadable', 'wrong-document', 'not-checked'] as const;
export type MaterialStatus = (typeof MATERIAL_STATUSES)[number];

/** Why a field or a page was not accepted, as a code the screen turns into words. */
export const PROBLEM_CODES = ['id-checksum', 'credit-checksum', 'bad-date', 'expired', 'not-found', 'unreadable', 'other-kind', 'side-missing'] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

/** One material of the item and what the pre-review made of it. */
export interface MaterialVerdict {
  name: string;
  required: boolean;
  status: MaterialStatus;
  /** Why, as codes with what they concern; the screen says them in words. */
  reasons: { code: ProblemCode; field?: string; kind?: DocumentKind | 'unknown'; date?: string }[];
}

/** Application fields the reading can fill, for the citizen to confirm or correct. */
export const PREFILL_FIELDS = ['name', 'idNumber', 'sex', 'birth', 'address', 'phone', 'companyName', 'creditCode', 'legalRep'] as const;
export type PrefillField = (typeof PREFILL_FIELDS)[number];
export type Prefill = Partial<Record<PrefillField, string>>;

/**
 * What the platform hears of a pre-review: the item and which of its materials passed,
 * by name. No picture, no text read off a page, nothing that identifies the citizen.
 */
export const PreReviewPayload = z
  .object({
    itemCode: z.string().min(1).max(64),
    materials: z.array(z.object({ name: z.string().min(1).max(200), passed: z.boolean() }).strict()).max(100),
  })
  .strict();
export type PreReviewPayload = z.infer<typeof PreReviewPayload>;

/** A captured page goes to the host in pieces the screen bridge carries (it caps a message at 64 KiB). */
export const PAGE_CHUNK_CHARS = 48 * 1024;
/** A page picture larger than this (bytes, as sent) is refused rather than held in memory. */
export const MAX_PAGE_BYTES = 12 * 1024 * 1024;

/**
 * The kinds that make up a material, by the words of its name; a resident ID card needs
 * both sides. Names no rule fits (photos, letters of authority) the OCR does not judge.
 */
const MATERIAL_RULES: { words: RegExp; kinds: DocumentKind[] }[] = [
  { words: /居民身份证|身份证(?!明)|身份证明/, kinds: ['id-card-front', 'id-card-back'] },
  { words: /户口簿|户口本|户籍证明/, kinds: ['household-register'] },
  { words: /结婚证/, kinds: ['marriage-certificate'] },
  { words: /营业执照|法人证书/, kinds: ['business-licence'] },
  { words: /不动产权|房产证|房屋所有权证/, kinds: ['property-certificate'] },
  { words: /发票/, kinds: ['vat-invoice'] },
  { words: /申请表|申请书/, kinds: ['application-form'] },
];

export function kindsForMaterial(name: string): DocumentKind[] | null {
  return MATERIAL_RULES.find((r) => r.words.test(name))?.kinds ?? null;
}
