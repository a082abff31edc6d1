import type { BoundToken, Consent, ConsentDetail } from '../features/consents/api/consents.queries';

/** A consent as the API sends it; override what a test is about. */
export function consentFixture(id: string, over: Partial<Consent> = {}): Consent {
  return {
    id,
    subjectRef: `cust_${id}`,
    purpose: 'newsletter',
    dataCategories: ['email'],
    lawfulBasis: 'consent',
    jurisdiction: 'EU',
    validFrom: '2026-01-01T00:00:00.000Z',
    validUntil: '2027-01-01T00:00:00.000Z',
    source: null,
    status: 'active',
    version: 1,
    withdrawnAt: null,
    withdrawnReason: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    boundTokens: 0,
    ...over,
  };
}

export function boundTokenFixture(id: string, over: Partial<BoundToken> = {}): BoundToken {
  return {
    id,
    name: `token ${id}`,
    lookupId: `lk${id}`,
    status: 'active',
    dataCategories: [],
    expiresAt: '2027-01-01T00:00:00.000Z',
    revokedAt: null,
    revokedReason: null,
    useCount: 0,
    lastUsedAt: null,
    createdAt: '2026-01-02T00:00:00.000Z',
    ...over,
  };
}

export function consentDetailFixture(id: string, over: Partial<ConsentDetail> = {}): ConsentDetail {
  return {
    ...consentFixture(id),
    versions: [{ id: `cnv_${id}_1`, version: 1, supersedesId: null, validFrom: '2026-01-01T00:00:00.000Z', validUntil: '2027-01-01T00:00:00.000Z', createdAt: '2026-01-01T00:00:00.000Z', createdBy: null, createdByActor: null }],
    tokens: [],
    ...over,
  };
}
