/** Where a consent stands at a given moment; `withdrawn` is final whatever the window says. */
export const CONSENT_STATUSES = ['upcoming', 'active', 'expired', 'withdrawn'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

/** GDPR Art. 6(1) (a)–(f): the legal ground the data is processed on. */
export const LAWFUL_BASES = ['consent', 'contract', 'legal_obligation', 'vital_interests', 'public_task', 'legitimate_interests'] as const;
export type LawfulBasis = (typeof LAWFUL_BASES)[number];

/** Revocation and expiry reasons written when a consent ends a token. */
export const CONSENT_WITHDRAWN_REASON = 'consent_withdrawn';
export const CONSENT_EXPIRED_REASON = 'consent_expired';
