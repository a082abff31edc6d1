import type { ConsentStatus, LawfulBasis, TokenStatus } from '@custos/contracts';
import { consentStatusAt } from '@custos/domain';
import type { BoundTokenRecord, ConsentRecord, ConsentVersionRecord } from '@custos/persistence';
import type { Actors, ActorView } from '../accounts/actors';

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

export function toConsentView(consent: ConsentRecord, now = new Date()): ConsentView {
  return {
    id: consent.id,
    subjectRef: consent.subjectRef,
    purpose: consent.purpose,
    dataCategories: consent.dataCategories,
    lawfulBasis: consent.lawfulBasis,
    jurisdiction: consent.jurisdiction,
    validFrom: consent.validFrom.toISOString(),
    validUntil: consent.validUntil.toISOString(),
    source: consent.source,
    status: consentStatusAt(consent, now),
    version: consent.version,
    withdrawnAt: consent.withdrawnAt?.toISOString() ?? null,
    withdrawnReason: consent.withdrawnReason,
    createdAt: consent.createdAt.toISOString(),
    boundTokens: consent.boundTokens,
  };
}

export interface ConsentVersionView {
  id: string;
  version: number;
  validFrom: string;
  validUntil: string;
  /** The version this one replaced (null for the original). */
  supersedesId: string | null;
  createdAt: string;
  createdBy: string | null;
  /** Who recorded this version: `createdBy` as a person's e-mail or a service key's name. */
  createdByActor: ActorView | null;
}

export function toVersionView(version: ConsentVersionRecord, actors: Actors): ConsentVersionView {
  return {
    id: version.id,
    version: version.version,
    validFrom: version.validFrom.toISOString(),
    validUntil: version.validUntil.toISOString(),
    supersedesId: version.supersedesId,
    createdAt: version.createdAt.toISOString(),
    createdBy: version.createdBy,
    createdByActor: actors.of(version.createdBy),
  };
}

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

export function toBoundTokenView(token: BoundTokenRecord): BoundTokenView {
  return {
    id: token.id,
    name: token.name,
    lookupId: token.lookupId,
    status: token.status,
    dataCategories: token.dataCategories,
    expiresAt: token.expiresAt.toISOString(),
    revokedAt: token.revokedAt?.toISOString() ?? null,
    revokedReason: token.revokedReason,
    useCount: token.useCount,
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    createdAt: token.createdAt.toISOString(),
  };
}

export type ConsentDetail = ConsentView & { versions: ConsentVersionView[]; tokens: BoundTokenView[] };

export interface SubjectReport {
  subjectRef: string;
  generatedAt: string;
  consents: ConsentDetail[];
  totals: { consents: number; tokens: number; uses: number };
}
