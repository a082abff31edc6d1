import type { CreateConsentRequest, LawfulBasis } from './consents.queries';

/** GDPR Art. 6(1) in the words people use; the values are what the API stores. */
export const LAWFUL_BASIS_LABELS: Record<LawfulBasis, string> = {
  consent: 'Consent',
  contract: 'Contract',
  legal_obligation: 'Legal obligation',
  vital_interests: 'Vital interests',
  public_task: 'Public task',
  legitimate_interests: 'Legitimate interests',
};

export const LAWFUL_BASIS_OPTIONS = Object.entries(LAWFUL_BASIS_LABELS).map(([value, label]) => ({ value, label }));

export interface ConsentFormValues {
  subjectRef: string;
  purpose: string;
  dataCategories: string[];
  lawfulBasis: LawfulBasis;
  jurisdiction: string;
  /** Date-time strings as Mantine's pickers give them ("YYYY-MM-DD HH:mm:ss", local time). */
  validFrom: string | null;
  validUntil: string | null;
  source: string;
}

/** API field names, for showing its field errors next to these fields. */
export const CONSENT_FIELDS = ['subjectRef', 'purpose', 'dataCategories', 'lawfulBasis', 'jurisdiction', 'validFrom', 'validUntil', 'source'] as const;

const pad = (n: number) => String(n).padStart(2, '0');

/** A Date in the pickers' string format, local time. */
export function toPickerValue(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:00`;
}

/** A picker's value as an instant; the pickers' format is read as local time, as they show it. */
export function fromPickerValue(value: string | null): number {
  if (!value) return Number.NaN;
  const [date = '', time = '00:00:00'] = value.split(' ');
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm, ss] = time.split(':').map(Number);
  if (y === undefined || m === undefined || d === undefined) return Number.NaN;
  return new Date(y, m - 1, d, hh ?? 0, mm ?? 0, ss ?? 0).getTime();
}

export function initialConsentValues(now: Date = new Date()): ConsentFormValues {
  const inAYear = new Date(now);
  inAYear.setFullYear(now.getFullYear() + 1);
  return {
    subjectRef: '',
    purpose: '',
    dataCategories: [],
    lawfulBasis: 'consent',
    jurisdiction: 'EU',
    validFrom: toPickerValue(now),
    validUntil: toPickerValue(inAYear),
    source: '',
  };
}

const EMAIL_LIKE = /\S+@\S+\.\S+/;
/** The API's rules (CreateConsentDto): a reference no e-mail address or full name fits, lower-case purposes and categories. */
const SUBJECT_REF = /^[A-Za-z0-9][A-Za-z0-9._:~-]{0,199}$/;
const PURPOSE = /^[a-z0-9][a-z0-9_.:-]{0,99}$/;
const CATEGORY = /^[a-z][a-z0-9_-]{0,49}$/;
const MAX_CATEGORIES = 20;
const JURISDICTION = /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/;

/**
 * Mistakes caught before sending; the API stays the judge. The subject must not identify a person by
 * itself: an e-mail address gets its own message, since that is the likeliest slip.
 */
export function validateConsent(values: ConsentFormValues): Partial<Record<keyof ConsentFormValues, string>> {
  const errors: Partial<Record<keyof ConsentFormValues, string>> = {};
  const subjectRef = values.subjectRef.trim();
  if (!subjectRef) errors.subjectRef = 'Enter the subject’s pseudonymous reference';
  else if (EMAIL_LIKE.test(subjectRef)) errors.subjectRef = 'This looks like an e-mail address: use a pseudonymous reference instead';
  else if (!SUBJECT_REF.test(subjectRef)) errors.subjectRef = 'A pseudonymous reference: letters, digits and . _ : ~ - only, no spaces, at most 200';
  const purpose = values.purpose.trim();
  if (!purpose) errors.purpose = 'What is the data used for?';
  else if (!PURPOSE.test(purpose)) errors.purpose = 'Lower-case letters, digits and _ . : - only, e.g. order-fulfilment';
  if (values.dataCategories.length === 0) errors.dataCategories = 'Add at least one data category';
  else if (values.dataCategories.length > MAX_CATEGORIES) errors.dataCategories = `At most ${MAX_CATEGORIES} categories`;
  else {
    const bad = values.dataCategories.find((c) => !CATEGORY.test(c));
    if (bad !== undefined) errors.dataCategories = `"${bad}" is not a category: lower-case words such as personal or payment_card`;
  }
  if (!JURISDICTION.test(values.jurisdiction.trim())) errors.jurisdiction = 'A country or region code, e.g. EU, DE or US-CA';
  const from = fromPickerValue(values.validFrom);
  const until = fromPickerValue(values.validUntil);
  if (Number.isNaN(from)) errors.validFrom = 'Choose when the consent starts';
  if (Number.isNaN(until)) errors.validUntil = 'Choose when the consent ends';
  else if (!Number.isNaN(from) && until <= from) errors.validUntil = 'Must be after the start';
  return errors;
}

/** The request body for valid values (validate first). */
export function toCreateConsentRequest(values: ConsentFormValues): CreateConsentRequest {
  const body: CreateConsentRequest = {
    subjectRef: values.subjectRef.trim(),
    purpose: values.purpose.trim(),
    dataCategories: values.dataCategories,
    lawfulBasis: values.lawfulBasis,
    jurisdiction: values.jurisdiction.trim(),
    validFrom: new Date(fromPickerValue(values.validFrom)).toISOString(),
    validUntil: new Date(fromPickerValue(values.validUntil)).toISOString(),
  };
  const source = values.source.trim();
  if (source) body.source = source;
  return body;
}

/** A renewal must end later than the consent does now, and in the future (the API refuses anything else). */
export function validateRenewal(validUntil: string | null, currentValidUntil: string, now = Date.now()): string | null {
  const until = fromPickerValue(validUntil);
  if (Number.isNaN(until)) return 'Choose the new end';
  if (until <= Date.parse(currentValidUntil)) return 'Must be later than the current end';
  if (until <= now) return 'Must be in the future';
  return null;
}
