import { Inject, Injectable } from '@nestjs/common';
import { CONSENT_WITHDRAWN_REASON, ErrorCode, type ConsentStatus, type LawfulBasis } from '@custos/contracts';
import { DATA_CATEGORY_PATTERN, DomainError, newId } from '@custos/domain';
import { ActorRepository, BoundTokenRepository, ConsentRepository, Database, type ConsentRecord, type LockedConsent, type Tx } from '@custos/persistence';
import { Actors, type ActorReads } from '../accounts/actors';
import { AuditLog, actorOf } from '../audit/audit-log';
import type { Principal, RequestMeta } from '../auth/principal';
import { decodeCursor, encodeCursor, type Page } from '../shared/keyset-cursor';
import { requireScope } from '../shared/require-scope';
import { TokenChanges } from '../feed/token-changes';
import { toBoundTokenView, toConsentView, toVersionView, type ConsentDetail, type ConsentView } from './consent-views';

export type ConsentStore = Pick<
  ConsentRepository,
  'insert' | 'find' | 'list' | 'versionsOf' | 'lockForChange' | 'markWithdrawn' | 'versionId' | 'renew'
>;
export type ConsentTokenWrites = Pick<BoundTokenRepository, 'boundTo' | 'lockLive' | 'liveTokens' | 'revoke'>;
/** What a consent's details are read with: its versions, who recorded them, and its tokens. */
export type ConsentDetailReads = { consents: Pick<ConsentRepository, 'versionsOf'>; tokens: Pick<BoundTokenRepository, 'boundTo'>; actors: ActorReads };

export interface ConsentInput {
  subjectRef: string;
  purpose: string;
  dataCategories: string[];
  lawfulBasis: LawfulBasis;
  jurisdiction: string;
  validFrom: Date;
  validUntil: Date;
  source?: string | null | undefined;
}

export interface ConsentFilter {
  subjectRef?: string | undefined;
  purpose?: string | undefined;
  status?: ConsentStatus | undefined;
  /** Consents in force at this instant (started, not ended, not withdrawn by then). */
  validAt?: Date | undefined;
  cursor?: string | undefined;
  limit: number;
}

export interface Withdrawal {
  consent: ConsentView;
  revokedTokens: number;
}

type Cursor = { f: string; i: string };
const isCursor = (v: Record<string, unknown>): v is Cursor => typeof v.f === 'string' && typeof v.i === 'string';

/**
 * Consent windows: recorded, listed, withdrawn (revoking every bound token in the same transaction)
 * and renewed (a new version; earlier versions are kept as they were).
 */
@Injectable()
export class ConsentsService {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    private readonly changes: TokenChanges,
    @Inject(ConsentRepository) private readonly consents: ConsentStore,
    @Inject(BoundTokenRepository) private readonly tokens: ConsentTokenWrites,
    @Inject(ActorRepository) private readonly actors: ActorReads,
  ) {}

  async create(principal: Principal, input: ConsentInput, meta: RequestMeta): Promise<ConsentView> {
    requireScope(principal, 'custos:consents:write');
    validateWindow(input.validFrom, input.validUntil);
    const malformed = input.dataCategories.filter((c) => !DATA_CATEGORY_PATTERN.test(c));
    if (malformed.length > 0) {
      throw DomainError.validation([{ field: 'dataCategories', message: `must be lower-case words: ${malformed.join(', ')}` }]);
    }
    const id = newId('cns');
    const categories = [...new Set(input.dataCategories)];
    return this.db.tenant(principal.tenantId, async (tx) => {
      await this.consents.insert(tx, {
        id,
        versionId: newId('cnv'),
        subjectRef: input.subjectRef,
        purpose: input.purpose,
        dataCategories: categories,
        lawfulBasis: input.lawfulBasis,
        jurisdiction: input.jurisdiction,
        validFrom: input.validFrom,
        validUntil: input.validUntil,
        source: input.source ?? null,
        createdBy: principal.id,
      });
      await this.audit.record(tx, meta, {
        action: 'consent.created',
        actor: actorOf(principal),
        target: { type: 'consent', id },
        data: {
          subjectRef: input.subjectRef,
          purpose: input.purpose,
          dataCategories: categories,
          lawfulBasis: input.lawfulBasis,
          jurisdiction: input.jurisdiction,
          validFrom: input.validFrom.toISOString(),
          validUntil: input.validUntil.toISOString(),
        },
      });
      return toConsentView(await this.findConsent(tx, id));
    });
  }

  /** Newest window first, keyset-paged over (valid_from, id). */
  async list(principal: Principal, filter: ConsentFilter): Promise<Page<ConsentView>> {
    requireScope(principal, 'custos:consents:read');
    const cursor = decodeCursor(filter.cursor, isCursor);
    const now = new Date();
    const { subjectRef, purpose, status, validAt } = filter;
    const rows = await this.db.tenant(principal.tenantId, (tx) =>
      this.consents.list(tx, { subjectRef, purpose, status, validAt, before: cursor && { validFrom: cursor.f, id: cursor.i }, limit: filter.limit + 1 }, now),
    );
    const items = rows.slice(0, filter.limit);
    const last = items.at(-1);
    return {
      items: items.map((r) => toConsentView(r, now)),
      nextCursor: rows.length > filter.limit && last ? encodeCursor({ f: last.validFrom.toISOString(), i: last.id }) : null,
    };
  }

  async get(principal: Principal, id: string): Promise<ConsentDetail> {
    requireScope(principal, 'custos:consents:read');
    return this.db.tenant(principal.tenantId, async (tx) => (await consentDetails({ consents: this.consents, tokens: this.tokens, actors: this.actors }, tx, [await this.findConsent(tx, id)]))[0]!);
  }

  /**
   * Final. Every token bound to the consent that could still be used is revoked (reason
   * `consent_withdrawn`) in the same transaction, each with its own audit event; caches everywhere
   * drop them before this answers.
   */
  async withdraw(principal: Principal, id: string, input: { reason?: string | undefined }, meta: RequestMeta): Promise<Withdrawal> {
    requireScope(principal, 'custos:consents:write');
    return this.db.tenant(principal.tenantId, async (tx) => {
      const consent = await this.lockForChange(tx, id);
      if (consent.withdrawnAt) throw new DomainError(ErrorCode.CONFLICT, `The consent was already withdrawn at ${consent.withdrawnAt.toISOString()}.`);
      const now = new Date();
      const reason = input.reason ?? null;
      await this.consents.markWithdrawn(tx, id, now, principal.id, reason);
      const bound = await this.tokens.lockLive(tx, id);
      if (bound.length > 0) await this.tokens.revoke(tx, bound.map((t) => t.id), now, principal.id, CONSENT_WITHDRAWN_REASON);
      const actor = actorOf(principal);
      // Up to one event per bound token: sealed as written when the chain head is free, rather than
      // sealed again after commit.
      await this.audit.recordSealedIfFree(
        tx,
        meta,
        null,
        {
          action: 'consent.withdrawn',
          actor,
          target: { type: 'consent', id },
          // consentId in the data too: webhook payloads name token targets only.
          data: { consentId: id, subjectRef: consent.subjectRef, purpose: consent.purpose, reason, revokedTokens: bound.length },
        },
        ...bound.map((t) => ({
          action: 'token.revoked' as const,
          actor,
          target: { type: 'token', id: t.id },
          data: { reason: CONSENT_WITHDRAWN_REASON, consentId: id, from: t.status },
        })),
      );
      this.changes.afterCommit(tx, 'consent_withdrawn', bound);
      return { consent: toConsentView(await this.findConsent(tx, id), now), revokedTokens: bound.length };
    });
  }

  /**
   * A new version with a later end; the versions before it stay as they were. Bound tokens follow the
   * consent, so their cached windows are dropped everywhere.
   */
  async renew(principal: Principal, id: string, input: { validUntil: Date }, meta: RequestMeta): Promise<ConsentView> {
    requireScope(principal, 'custos:consents:write');
    return this.db.tenant(principal.tenantId, async (tx) => {
      const consent = await this.lockForChange(tx, id);
      if (consent.withdrawnAt) {
        throw new DomainError(ErrorCode.CONSENT_INACTIVE, 'A withdrawn consent cannot be renewed; record a new consent instead.');
      }
      if (input.validUntil <= consent.validUntil) {
        throw DomainError.validation([{ field: 'validUntil', message: `must be later than the current end, ${consent.validUntil.toISOString()}` }]);
      }
      if (input.validUntil <= new Date()) throw DomainError.validation([{ field: 'validUntil', message: 'must be in the future' }]);
      const previous = await this.consents.versionId(tx, id, consent.version);
      const version = consent.version + 1;
      // A window that had ended and was swept is open again: its next end must be swept too.
      await this.consents.renew(tx, {
        consentId: id,
        versionId: newId('cnv'),
        version,
        validFrom: consent.validFrom,
        validUntil: input.validUntil,
        supersedesId: previous ?? null,
        createdBy: principal.id,
      });
      await this.audit.record(tx, meta, {
        action: 'consent.renewed',
        actor: actorOf(principal),
        target: { type: 'consent', id },
        data: { version, previousValidUntil: consent.validUntil.toISOString(), validUntil: input.validUntil.toISOString() },
      });
      this.changes.afterCommit(tx, 'changed', await this.tokens.liveTokens(tx, id));
      return toConsentView(await this.findConsent(tx, id));
    });
  }

  private async findConsent(tx: Tx, id: string): Promise<ConsentRecord> {
    const consent = await this.consents.find(tx, id);
    if (!consent) throw DomainError.notFound('The consent');
    return consent;
  }

  private async lockForChange(tx: Tx, id: string): Promise<LockedConsent> {
    const consent = await this.consents.lockForChange(tx, id);
    if (!consent) throw DomainError.notFound('The consent');
    return consent;
  }
}

export function validateWindow(validFrom: Date, validUntil: Date): void {
  if (validUntil <= validFrom) throw DomainError.validation([{ field: 'validUntil', message: 'must be after validFrom' }]);
}

/** Consents with their versions (oldest first) and every token ever bound to them (oldest first). */
export async function consentDetails(reads: ConsentDetailReads, tx: Tx, consents: readonly ConsentRecord[]): Promise<ConsentDetail[]> {
  const ids = consents.map((c) => c.id);
  const versions = await reads.consents.versionsOf(tx, ids);
  const tokens = await reads.tokens.boundTo(tx, ids);
  const actors = await Actors.load(reads.actors, tx, versions.map((v) => v.createdBy));
  const now = new Date();
  return consents.map((c) => ({
    ...toConsentView(c, now),
    versions: versions.filter((v) => v.consentId === c.id).map((v) => toVersionView(v, actors)),
    tokens: tokens.filter((t) => t.consentId === c.id).map(toBoundTokenView),
  }));
}
