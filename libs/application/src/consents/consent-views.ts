import type { ConsentStatus, LawfulBasis, TokenStatus } from '@custos/contracts';
import { consentStatusAt } from '@custos/domain';

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

export interface ConsentView {
  id: string;
  subjectRef: string;
  purpose: string;
  dataCategories: string[];
  lawfulBasis: LawfulBasis;
  jurisdiction: string;
  validFrom: string;
  validUntil: string;
  source: string | null;
  status: ConsentStatus;
  version: number;
  withdrawnAt: string | null;
  withdrawnReason: string | null;
  createdAt: string;
  /** Tokens ever bound to it, whatever their status now. */
  boundTokens: number;
}

export function toConsentView(row: ConsentRow, now = new Date()): ConsentView {
  return {
    id: row.id,
    subjectRef: row.subject_ref,
    purpose: row.purpose,
    dataCategories: row.data_categories,
    lawfulBasis: row.lawful_basis,
    jurisdiction: row.jurisdiction,
    validFrom: row.valid_from.toISOString(),
    validUntil: row.valid_until.toISOString(),
    source: row.source,
    status: consentStatusAt({ validFrom: row.valid_from, validUntil: row.valid_until, withdrawnAt: row.withdrawn_at }, now),
    version: row.version,
    withdrawnAt: row.withdrawn_at?.toISOString() ?? null,
    withdrawnReason: row.withdrawn_reason,
    createdAt: row.created_at.toISOString(),
    boundTokens: row.bound_tokens,
  };
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

export interface ConsentVersionView {
  id: string;
  version: number;
  validFrom: string;
  validUntil: string;
  /** The version this one replaced (null for the original). */
  supersedesId: string | null;
  createdAt: string;
  createdBy: string | null;
}

export function toVersionView(row: ConsentVersionRow): ConsentVersionView {
  return {
    id: row.id,
    version: row.version,
    validFrom: row.valid_from.toISOString(),
    validUntil: row.valid_until.toISOString(),
    supersedesId: row.supersedes_id,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
  };
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

/** A token as a consent or a data subject request shows it: no secret, hash or restrictions. */
export interface BoundTokenView {
  id: string;
  name: string;
  lookupId: string;
  status: TokenStatus;
  dataCategories: string[];
  expiresAt: string;
  revokedAt: string | null;
  revokedReason: string | null;
  useCount: number;
  lastUsedAt: string | null;
  createdAt: string;
}

export function toBoundTokenView(row: BoundTokenRow): BoundTokenView {
  return {
    id: row.id,
    name: row.name,
    lookupId: row.lookup_id,
    status: row.status,
    dataCategories: row.data_categories,
    expiresAt: row.expires_at.toISOString(),
    revokedAt: row.revoked_at?.toISOString() ?? null,
    revokedReason: row.revoked_reason,
    useCount: Number(row.use_count),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}

export type ConsentDetail = ConsentView & { versions: ConsentVersionView[]; tokens: BoundTokenView[] };

export interface SubjectReport {
  subjectRef: string;
  generatedAt: string;
  consents: ConsentDetail[];
  totals: { consents: number; tokens: number; uses: number };
}
