import type { LawfulBasis, TokenStatus } from '@custos/contracts';

/** A consent as stored, with the number of tokens ever bound to it. */
export interface ConsentRecord {
  id: string;
  subjectRef: string;
  purpose: string;
  dataCategories: string[];
  lawfulBasis: LawfulBasis;
  jurisdiction: string;
  validFrom: Date;
  validUntil: Date;
  source: string | null;
  version: number;
  withdrawnAt: Date | null;
  withdrawnReason: string | null;
  createdAt: Date;
  /** Tokens ever bound to it, whatever their status now. */
  boundTokens: number;
}

export interface ConsentRow {
  id: string;
  subject_ref: string;
  purpose: string;
  data_categories: string[];
  lawful_basis: LawfulBasis;
  jurisdiction: string;
  valid_from: Date;
  valid_until: Date;
  source: string | null;
  version: number;
  withdrawn_at: Date | null;
  withdrawn_reason: string | null;
  created_at: Date;
  bound_tokens: number;
}

/** Columns of ConsentRow, for `FROM consents c`. */
export const CONSENT_COLUMNS = `c.id, c.subject_ref, c.purpose, c.data_categories, c.lawful_basis, c.jurisdiction, c.valid_from,
  c.valid_until, c.source, c.version, c.withdrawn_at, c.withdrawn_reason, c.created_at,
  (SELECT count(*) FROM tokens t WHERE t.consent_id = c.id)::int AS bound_tokens`;

export function consentOf(row: ConsentRow): ConsentRecord {
  return {
    id: row.id,
    subjectRef: row.subject_ref,
    purpose: row.purpose,
    dataCategories: row.data_categories,
    lawfulBasis: row.lawful_basis,
    jurisdiction: row.jurisdiction,
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    source: row.source,
    version: row.version,
    withdrawnAt: row.withdrawn_at,
    withdrawnReason: row.withdrawn_reason,
    createdAt: row.created_at,
    boundTokens: row.bound_tokens,
  };
}

/** One version of a consent's window: the original, or a renewal that replaced the one before. */
export interface ConsentVersionRecord {
  id: string;
  consentId: string;
  version: number;
  validFrom: Date;
  validUntil: Date;
  /** The version this one replaced (null for the original). */
  supersedesId: string | null;
  createdBy: string | null;
  createdAt: Date;
}

export interface ConsentVersionRow {
  id: string;
  consent_id: string;
  version: number;
  valid_from: Date;
  valid_until: Date;
  supersedes_id: string | null;
  created_by: string | null;
  created_at: Date;
}

export const VERSION_COLUMNS = 'id, consent_id, version, valid_from, valid_until, supersedes_id, created_by, created_at';

export function versionOf(row: ConsentVersionRow): ConsentVersionRecord {
  return {
    id: row.id,
    consentId: row.consent_id,
    version: row.version,
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    supersedesId: row.supersedes_id,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

/** A token as a consent or a data subject request shows it: no secret, hash or restrictions. */
export interface BoundTokenRecord {
  id: string;
  consentId: string;
  name: string;
  lookupId: string;
  status: TokenStatus;
  dataCategories: string[];
  expiresAt: Date;
  revokedAt: Date | null;
  revokedReason: string | null;
  useCount: number;
  lastUsedAt: Date | null;
  createdAt: Date;
}

export interface BoundTokenRow {
  id: string;
  consent_id: string;
  name: string;
  lookup_id: string;
  status: TokenStatus;
  data_categories: string[];
  expires_at: Date;
  revoked_at: Date | null;
  revoked_reason: string | null;
  use_count: string;
  last_used_at: Date | null;
  created_at: Date;
}

export const BOUND_TOKEN_COLUMNS = `id, consent_id, name, lookup_id, status, data_categories, expires_at, revoked_at, revoked_reason,
  use_count, last_used_at, created_at`;

export function boundTokenOf(row: BoundTokenRow): BoundTokenRecord {
  return {
    id: row.id,
    consentId: row.consent_id,
    name: row.name,
    lookupId: row.lookup_id,
    status: row.status,
    dataCategories: row.data_categories,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    revokedReason: row.revoked_reason,
    useCount: Number(row.use_count),
    lastUsedAt: row.last_used_at,
    createdAt: row.created_at,
  };
}
