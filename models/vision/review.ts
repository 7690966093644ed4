/**
 * The pre-review's verdict: which of an item's materials the pages shown cover, and in
 * what state (present, missing, expired, unreadable, the wrong document, or not something
 * the OCR can judge), with the reasons; and the application fields the pages let the
 * screen fill in for the citizen to confirm.
 */
import { kindsForMaterial, type DocumentKind, type MaterialVerdict, type Prefill } from '../../protocol/prereview.ts';
import type { PageReading } from './understand.ts';

export interface MaterialSpec {
  name: string;
  required: boolean;
}

/** A read page and, when the citizen showed it for one material, that material's name. */
export interface ShownPage {
  reading: PageReading;
  forMaterial?: string;
}

/** Fields whose failure makes a page unreadable for its purpose. */
const KEY_FIELDS: Partial<Record<DocumentKind, string[]>> = {
  'id-card-front': ['name', 'idNumber'],
  'id-card-back': ['validTo'],
  'household-register': ['name', 'idNumber'],
  'marriage-certificate': ['holder', 'certificateNumber'],
  'business-licence': ['creditCode', 'name'],
  'property-certificate': ['certificateNumber', 'owner'],
  'vat-invoice': ['invoiceNumber', 'buyerTaxId'],
  'application-form': ['name', 'idNumber'],
};

function pageProblems(reading: PageReading, today: string): MaterialVerdict['reasons'] {
  const reasons: MaterialVerdict['reasons'] = [];
  const kind = reading.kind as DocumentKind;
  for (const key of KEY_FIELDS[kind] ?? []) {
    const f = reading.fields[key];
    if (!f) reasons.push({ code: 'not-found', field: key, kind });
    else if (f.problem) reasons.push({ code: f.problem, field: key, kind });
  }
  const validTo = reading.fields.validTo;
  if (kind === 'id-card-back' && validTo && !validTo.problem && validTo.value !== '长期' && validTo.value < today) reasons.push({ code: 'expired', field: 'validTo', kind, date: validTo.value });
  return reasons;
}

function verdict(spec: MaterialSpec, kinds: DocumentKind[], pages: ShownPage[], today: string): MaterialVerdict {
  const base = { name: spec.name, required: spec.required };
  const shownFor = pages.filter((p) => p.forMaterial === spec.name);
  const ofKind = pages.filter((p) => kinds.includes(p.reading.kind as DocumentKind));
  if (ofKind.length === 0) {
    const unknown = shownFor.find((p) => p.reading.kind === 'unknown');
    if (unknown) return { ...base, status: 'unreadable', reasons: [{ code: 'unreadable' }] };
    const other = shownFor[0];
    if (other) return { ...base, status: 'wrong-document', reasons: [{ code: 'other-kind', kind: other.reading.kind }] };
    return { ...base, status: 'missing', reasons: [] };
  }
  const reasons: MaterialVerdict['reasons'] = [];
  let expired = false;
  for (const kind of kinds) {
    // Of several pages of one kind, the best read one counts.
    const candidates = ofKind.filter((p) => p.reading.kind === kind).map((p) => pageProblems(p.reading, today));
    if (candidates.length === 0) {
      reasons.push({ code: 'side-missing', kind });
      continue;
    }
    const best = candidates.sort((a, b) => a.length - b.length)[0];
    if (best.some((r) => r.code === 'expired')) expired = true;
    reasons.push(...best);
  }
  if (expired) return { ...base, status: 'expired', reasons: reasons.filter((r) => r.code === 'expired') };
  if (reasons.some((r) => r.code === 'side-missing') && reasons.every((r) => r.code === 'side-missing')) return { ...base, status: 'missing', reasons };
  return { ...base, status: reasons.length ? 'unreadable' : 'present', reasons };
}

/** Each material's verdict; `today` (YYYY-MM-DD, the hall's date) decides what has expired. */
export function reviewMaterials(materials: MaterialSpec[], pages: ShownPage[], today: string): MaterialVerdict[] {
  return materials.map((m) => {
    const kinds = kindsForMaterial(m.name);
    return kinds ? verdict(m, kinds, pages, today) : { name: m.name, required: m.required, status: 'not-checked', reasons: [] };
  });
}

const PREFILL_FROM: { kind: DocumentKind; from: string; to: keyof Prefill }[] = [
  { kind: 'id-card-front', from: 'name', to: 'name' },
  { kind: 'id-card-front', from: 'idNumber', to: 'idNumber' },
  { kind: 'id-card-front', from: 'sex', to: 'sex' },
  { kind: 'id-card-front', from: 'birth', to: 'birth' },
  { kind: 'id-card-front', from: 'address', to: 'address' },
  { kind: 'household-register', from: 'name', to: 'name' },
  { kind: 'household-register', from: 'idNumber', to: 'idNumber' },
  { kind: 'household-register', from: 'birth', to: 'birth' },
  { kind: 'application-form', from: 'name', to: 'name' },
  { kind: 'application-form', from: 'idNumber', to: 'idNumber' },
  { kind: 'application-form', from: 'phone', to: 'phone' },
  { kind: 'business-licence', from: 'name', to: 'companyName' },
  { kind: 'business-licence', from: 'creditCode', to: 'creditCode' },
  { kind: 'business-licence', from: 'legalRep', to: 'legalRep' },
];

/**
 * Application fields from what was read; only values that passed their checks, and the
 * ID card's where it disagrees with another page, since the card is the authority.
 */
export function prefill(pages: PageReading[]): Prefill {
  const out: Prefill = {};
  for (const rule of PREFILL_FROM) {
    if (out[rule.to]) continue;
    const f = pages.find((p) => p.kind === rule.kind && p.fields[rule.from] && !p.fields[rule.from].problem)?.fields[rule.from];
    if (f) out[rule.to] = f.value;
  }
  return out;
}
