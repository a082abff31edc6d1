import { Injectable } from '@nestjs/common';
import { CONSENT_WITHDRAWN_REASON, ErrorCode, type ConsentStatus, type LawfulBasis } from '@custos/contracts';
import { DATA_CATEGORY_PATTERN, DomainError, newId } from '@custos/domain';
import { Database, type Tx } from '@custos/persistence';
import { AuditLog, actorOf } from '../audit/audit-log';
import type { Principal, RequestMeta } from '../auth/principal';
import { decodeCursor, encodeCursor, type Page } from '../shared/keyset-cursor';
import { requireScope } from '../shared/require-scope';
import { TokenCache } from '../verify/token-cache';
import {
  BOUND_TOKEN_COLUMNS,
  CONSENT_COLUMNS,
  VERSION_COLUMNS,
  toBoundTokenView,
  toConsentView,
  toVersionView,
  type BoundTokenRow,
  type ConsentDetail,
  type ConsentRow,
  type ConsentVersionRow,
  type ConsentView,
} from './consent-views';

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

/** Tokens a consent's end still has to stop. */
const LIVE_STATUSES = `('active', 'rotating', 'suspended')`;

const STATUS_CONDITIONS: Record<ConsentStatus, string> = {
  withdrawn: 'c.withdrawn_at IS NOT NULL',
  upcoming: 'c.withdrawn_at IS NULL AND c.valid_from > $NOW',
  active: 'c.withdrawn_at IS NULL AND c.valid_from <= $NOW AND c.valid_until > $NOW',
  expired: 'c.withdrawn_at IS NULL AND c.valid_until <= $NOW',
};

/**
 * Consent windows: recorded, listed, withdrawn (revoking every bound token in the same transaction)
 * and renewed (a new version; earlier versions are kept as they were).
 */
@Injectable()
export class ConsentsService {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    private readonly cache: TokenCache,
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
      await tx.rows(
        `INSERT INTO consents (tenant_id, id, subject_ref, purpose, data_categories, lawful_basis, jurisdiction, valid_from,
                               valid_until, source, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [principal.tenantId, id, input.subjectRef, input.purpose, categories, input.lawfulBasis, input.jurisdiction,
          input.validFrom, input.validUntil, input.source ?? null, principal.id],
      );
      await tx.rows(
        `INSERT INTO consent_versions (tenant_id, id, consent_id, version, valid_from, valid_until, created_by)
         VALUES ($1, $2, $3, 1, $4, $5, $6)`,
        [principal.tenantId, newId('cnv'), id, input.validFrom, input.validUntil, principal.id],
      );
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
      return toConsentView(await findConsent(tx, id));
    });
  }

  /** Newest window first, keyset-paged over (valid_from, id). */
  async list(principal: Principal, filter: ConsentFilter): Promise<Page<ConsentView>> {
    requireScope(principal, 'custos:consents:read');
    const cursor = decodeCursor(filter.cursor, isCursor);
    const now = new Date();
    const params: unknown[] = [];
    const where: string[] = [];
    const bind = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.subjectRef) where.push(`c.subject_ref = ${bind(filter.subjectRef)}`);
    if (filter.purpose) where.push(`c.purpose = ${bind(filter.purpose)}`);
    if (filter.status) where.push(STATUS_CONDITIONS[filter.status].replaceAll('$NOW', `${bind(now)}::timestamptz`));
    if (filter.validAt) {
      const at = `${bind(filter.validAt)}::timestamptz`;
      where.push(`c.valid_from <= ${at} AND c.valid_until > ${at} AND (c.withdrawn_at IS NULL OR c.withdrawn_at > ${at})`);
    }
    if (cursor) where.push(`(c.valid_from, c.id) < (${bind(cursor.f)}::timestamptz, ${bind(cursor.i)})`);
    const rows = await this.db.tenant(principal.tenantId, (tx) =>
      tx.rows<ConsentRow>(
        `SELECT ${CONSENT_COLUMNS} FROM consents c ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
          ORDER BY c.valid_from DESC, c.id DESC LIMIT ${filter.limit + 1}`,
        params,
      ),
    );
    const items = rows.slice(0, filter.limit);
    const last = items.at(-1);
    return {
      items: items.map((r) => toConsentView(r, now)),
      nextCursor: rows.length > filter.limit && last ? encodeCursor({ f: last.valid_from.toISOString(), i: last.id }) : null,
    };
  }

  async get(principal: Principal, id: string): Promise<ConsentDetail> {
    requireScope(principal, 'custos:consents:read');
    return this.db.tenant(principal.tenantId, async (tx) => (await consentDetails(tx, [await findConsent(tx, id)]))[0]!);
  }

  /**
   * Final. Every token bound to the consent that could still be used is revoked (reason
   * `consent_withdrawn`) in the same transaction, each with its own audit event; caches everywhere
   * drop them before this answers.
   */
  async withdraw(principal: Principal, id: string, input: { reason?: string | undefined }, meta: RequestMeta): Promise<Withdrawal> {
    requireScope(principal, 'custos:consents:write');
    return this.db.tenant(principal.tenantId, async (tx) => {
      const consent = await lockForChange(tx, id);
      if (consent.withdrawn_at) throw new DomainError(ErrorCode.CONFLICT, `The consent was already withdrawn at ${consent.withdrawn_at.toISOString()}.`);
      const now = new Date();
      const reason = input.reason ?? null;
      await tx.rows(
        `UPDATE consents SET withdrawn_at = $2, withdrawn_by = $3, withdrawn_reason = $4, updated_at = $2 WHERE id = $1`,
        [id, now, principal.id, reason],
      );
      const bound = await tx.rows<{ id: string; lookup_id: string; status: string }>(
        `SELECT id, lookup_id, status FROM tokens WHERE consent_id = $1 AND status IN ${LIVE_STATUSES} ORDER BY id FOR UPDATE`,
        [id],
      );
      if (bound.length > 0) {
        await tx.rows(
          `UPDATE tokens SET status = 'revoked', revoked_at = $2, revoked_by = $3, revoked_reason = $4, updated_at = $2
            WHERE id = ANY($1)`,
          [bound.map((t) => t.id), now, principal.id, CONSENT_WITHDRAWN_REASON],
        );
      }
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
          data: { consentId: id, subjectRef: consent.subject_ref, purpose: consent.purpose, reason, revokedTokens: bound.length },
        },
        ...bound.map((t) => ({
          action: 'token.revoked' as const,
          actor,
          target: { type: 'token', id: t.id },
          data: { reason: CONSENT_WITHDRAWN_REASON, consentId: id, from: t.status },
        })),
      );
      tx.afterCommit(() => this.cache.invalidate(bound.map((t) => t.lookup_id)));
      return { consent: toConsentView(await findConsent(tx, id), now), revokedTokens: bound.length };
    });
  }

  /**
   * A new version with a later end; the versions before it stay as they were. Bound tokens follow the
   * consent, so their cached windows are dropped everywhere.
   */
  async renew(principal: Principal, id: string, input: { validUntil: Date }, meta: RequestMeta): Promise<ConsentView> {
    requireScope(principal, 'custos:consents:write');
    return this.db.tenant(principal.tenantId, async (tx) => {
      const consent = await lockForChange(tx, id);
      if (consent.withdrawn_at) {
        throw new DomainError(ErrorCode.CONSENT_INACTIVE, 'A withdrawn consent cannot be renewed; record a new consent instead.');
      }
      if (input.validUntil <= consent.valid_until) {
        throw DomainError.validation([{ field: 'validUntil', message: `must be later than the current end, ${consent.valid_until.toISOString()}` }]);
      }
      if (input.validUntil <= new Date()) throw DomainError.validation([{ field: 'validUntil', message: 'must be in the future' }]);
      const previous = await tx.one<{ id: string }>(`SELECT id FROM consent_versions WHERE consent_id = $1 AND version = $2`, [id, consent.version]);
      const version = consent.version + 1;
      await tx.rows(
        `INSERT INTO consent_versions (tenant_id, id, consent_id, version, valid_from, valid_until, supersedes_id, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [principal.tenantId, newId('cnv'), id, version, consent.valid_from, input.validUntil, previous?.id ?? null, principal.id],
      );
      // A window that had ended and was swept is open again: its next end must be swept too.
      await tx.rows(
        `UPDATE consents SET valid_until = $2, version = $3, expiry_swept_at = NULL, updated_at = now() WHERE id = $1`,
        [id, input.validUntil, version],
      );
      await this.audit.record(tx, meta, {
        action: 'consent.renewed',
        actor: actorOf(principal),
        target: { type: 'consent', id },
        data: { version, previousValidUntil: consent.valid_until.toISOString(), validUntil: input.validUntil.toISOString() },
      });
      const bound = await tx.rows<{ lookup_id: string }>(`SELECT lookup_id FROM tokens WHERE consent_id = $1 AND status IN ${LIVE_STATUSES}`, [id]);
      tx.afterCommit(() => this.cache.invalidate(bound.map((t) => t.lookup_id)));
      return toConsentView(await findConsent(tx, id));
    });
  }
}

export function validateWindow(validFrom: Date, validUntil: Date): void {
  if (validUntil <= validFrom) throw DomainError.validation([{ field: 'validUntil', message: 'must be after validFrom' }]);
}

async function findConsent(tx: Tx, id: string): Promise<ConsentRow> {
  const row = await tx.one<ConsentRow>(`SELECT ${CONSENT_COLUMNS} FROM consents c WHERE c.id = $1`, [id]);
  if (!row) throw DomainError.notFound('The consent');
  return row;
}

async function lockForChange(
  tx: Tx,
  id: string,
): Promise<{ subject_ref: string; purpose: string; valid_from: Date; valid_until: Date; version: number; withdrawn_at: Date | null }> {
  const row = await tx.one<{ subject_ref: string; purpose: string; valid_from: Date; valid_until: Date; version: number; withdrawn_at: Date | null }>(
    `SELECT subject_ref, purpose, valid_from, valid_until, version, withdrawn_at FROM consents WHERE id = $1 FOR UPDATE`,
    [id],
  );
  if (!row) throw DomainError.notFound('The consent');
  return row;
}

/** Consents with their versions (oldest first) and every token ever bound to them (oldest first). */
export async function consentDetails(tx: Tx, consents: readonly ConsentRow[]): Promise<ConsentDetail[]> {
  const ids = consents.map((c) => c.id);
  const versions = await tx.rows<ConsentVersionRow>(
    `SELECT ${VERSION_COLUMNS} FROM consent_versions WHERE consent_id = ANY($1) ORDER BY consent_id, version`,
    [ids],
  );
  const tokens = await tx.rows<BoundTokenRow>(
    `SELECT ${BOUND_TOKEN_COLUMNS} FROM tokens WHERE consent_id = ANY($1) ORDER BY created_at, id`,
    [ids],
  );
  const now = new Date();
  return consents.map((c) => ({
    ...toConsentView(c, now),
    versions: versions.filter((v) => v.consent_id === c.id).map(toVersionView),
    tokens: tokens.filter((t) => t.consent_id === c.id).map(toBoundTokenView),
  }));
}
