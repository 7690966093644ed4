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

export const MATERIAL_STATUSES = ['present', 'missing', 'expired', 'unreadable', 'wrong-document'] as const;
export type MaterialStatus = (typeof MATERIAL_STATUSES)[number];

/** Why a field or a page was not accepted, as a code the screen turns into words. */
export const PROBLEM_CODES = ['id-checksum', 'credit-checksum', 'bad-date', 'expired', 'not-found', 'unreadable', 'other-kind'] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];
