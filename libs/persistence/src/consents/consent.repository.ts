import { Injectable } from '@nestjs/common';
import type { ConsentStatus, LawfulBasis } from '@custos/contracts';
import type { Tx } from '../database/database';
import { limitOf } from '../database/sql-limit';
import {
  CONSENT_COLUMNS,
  VERSION_COLUMNS,
  consentOf,
  versionOf,
  type ConsentRecord,
  type ConsentRow,
  type ConsentVersionRecord,
  type ConsentVersionRow,
} from './consent-rows';

/** A consent to record, with its first version. */
export interface NewConsent {
  id: string;
  /** The id of its version 1. */
  versionId: string;
  subjectRef: string;
  purpose: string;
  dataCategories: string[];
  lawfulBasis: LawfulBasis;
  jurisdiction: string;
  validFrom: Date;
  validUntil: Date;
  source: string | null;
  createdBy: string;
}

/** Filters of the consent list, all optional but the page size; `before` is the keyset cursor. */
export interface ConsentListFilter {
  subjectRef?: string | undefined;
  purpose?: string | undefined;
  status?: ConsentStatus | undefined;
  /** Consents in force at this instant (started, not ended, not withdrawn by then). */
  validAt?: Date | undefined;
  /** After this position of the (valid_from DESC, id DESC) order: valid_from as an ISO string. */
  before?: { validFrom: string; id: string } | null | undefined;
  limit: number;
}

/** A consent as a change sees it, locked for the rest of the transaction. */
export interface LockedConsent {
  subjectRef: string;
  purpose: string;
  validFrom: Date;
  validUntil: Date;
  version: number;
  withdrawnAt: Date | null;
}

/** What binding a token to a consent checks, the consent locked FOR SHARE. */
export interface BindableConsent {
  dataCategories: string[];
  validFrom: Date;
  validUntil: Date;
  withdrawnAt: Date | null;
}

const STATUS_CONDITIONS: Record<ConsentStatus, string> = {
  withdrawn: 'c.withdrawn_at IS NOT NULL',
  upcoming: 'c.withdrawn_at IS NULL AND c.valid_from > $NOW',
  active: 'c.withdrawn_at IS NULL AND c.valid_from <= $NOW AND c.valid_until > $NOW',
  expired: 'c.withdrawn_at IS NULL AND c.valid_until <= $NOW',
};


/**
 * SQL of consents and their versions (docs/consents.md). Every method runs in the caller's tenant
 * transaction, row-level security scoping it, but tenantsWithEnded (a system transaction).
 */
@Injectable()
export class ConsentRepository {
  async insert(tx: Tx, consent: NewConsent): Promise<void> {
    await tx.rows(
      `INSERT INTO consents (tenant_id, id, subject_ref, purpose, data_categories, lawful_basis, jurisdiction, valid_from,
                             valid_until, source, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [tx.tenantId, consent.id, consent.subjectRef, consent.purpose, consent.dataCategories, consent.lawfulBasis, consent.jurisdiction,
        consent.validFrom, consent.validUntil, consent.source, consent.createdBy],
    );
    await tx.rows(
      `INSERT INTO consent_versions (tenant_id, id, consent_id, version, valid_from, valid_until, created_by)
       VALUES ($1, $2, $3, 1, $4, $5, $6)`,
      [tx.tenantId, consent.versionId, consent.id, consent.validFrom, consent.validUntil, consent.createdBy],
    );
  }

  async find(tx: Tx, id: string): Promise<ConsentRecord | undefined> {
    const row = await tx.one<ConsentRow>(`SELECT ${CONSENT_COLUMNS} FROM consents c WHERE c.id = $1`, [id]);
    return row && consentOf(row);
  }

  /** Newest window first, keyset-paged over (valid_from, id); `now` is what the status filter means by now. */
  async list(tx: Tx, filter: ConsentListFilter, now: Date): Promise<ConsentRecord[]> {
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
    const cursor = filter.before;
    if (cursor) where.push(`(c.valid_from, c.id) < (${bind(cursor.validFrom)}::timestamptz, ${bind(cursor.id)})`);
    const rows = await tx.rows<ConsentRow>(
      `SELECT ${CONSENT_COLUMNS} FROM consents c ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY c.valid_from DESC, c.id DESC LIMIT ${limitOf(filter.limit)}`,
      params,
    );
    return rows.map(consentOf);
  }

  /** Every consent recorded for a data subject, oldest window first. */
  async listForSubject(tx: Tx, subjectRef: string): Promise<ConsentRecord[]> {
    const rows = await tx.rows<ConsentRow>(
      `SELECT ${CONSENT_COLUMNS} FROM consents c WHERE c.subject_ref = $1 ORDER BY c.valid_from, c.id`,
      [subjectRef],
    );
    return rows.map(consentOf);
  }

  /** Versions of the consents, oldest first within each. */
  async versionsOf(tx: Tx, consentIds: readonly string[]): Promise<ConsentVersionRecord[]> {
    const rows = await tx.rows<ConsentVersionRow>(
      `SELECT ${VERSION_COLUMNS} FROM consent_versions WHERE consent_id = ANY($1) ORDER BY consent_id, version`,
      [consentIds],
    );
    return rows.map(versionOf);
  }

  /** Locks the consent FOR UPDATE for a withdrawal or a renewal; undefined when the tenant has no such consent. */
  async lockForChange(tx: Tx, id: string): Promise<LockedConsent | undefined> {
    const row = await tx.one<{ subject_ref: string; purpose: string; valid_from: Date; valid_until: Date; version: number; withdrawn_at: Date | null }>(
      `SELECT subject_ref, purpose, valid_from, valid_until, version, withdrawn_at FROM consents WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return (
      row && {
        subjectRef: row.subject_ref,
        purpose: row.purpose,
        validFrom: row.valid_from,
        validUntil: row.valid_until,
        version: row.version,
        withdrawnAt: row.withdrawn_at,
      }
    );
  }

  /**
   * Locks the consent FOR SHARE for the rest of the caller's transaction. A withdrawal locks it FOR
   * UPDATE, so the two are ordered (see bindConsent in libs/application).
   */
  async lockForBinding(tx: Tx, id: string): Promise<BindableConsent | undefined> {
    const row = await tx.one<{ data_categories: string[]; valid_from: Date; valid_until: Date; withdrawn_at: Date | null }>(
      `SELECT data_categories, valid_from, valid_until, withdrawn_at FROM consents WHERE id = $1 FOR SHARE`,
      [id],
    );
    return row && { dataCategories: row.data_categories, validFrom: row.valid_from, validUntil: row.valid_until, withdrawnAt: row.withdrawn_at };
  }

  async markWithdrawn(tx: Tx, id: string, at: Date, by: string, reason: string | null): Promise<void> {
    await tx.rows(
      `UPDATE consents SET withdrawn_at = $2, withdrawn_by = $3, withdrawn_reason = $4, updated_at = $2 WHERE id = $1`,
      [id, at, by, reason],
    );
  }

  /** The id of a consent's version `version`. */
  async versionId(tx: Tx, consentId: string, version: number): Promise<string | undefined> {
    const row = await tx.one<{ id: string }>(`SELECT id FROM consent_versions WHERE consent_id = $1 AND version = $2`, [consentId, version]);
    return row?.id;
  }

  /**
   * A renewal: the new version, superseding `supersedesId`, and the consent's window moved to it. A
   * window that had ended and was swept is open again, so its next end must be swept too.
   */
  async renew(
    tx: Tx,
    renewal: { consentId: string; versionId: string; version: number; validFrom: Date; validUntil: Date; supersedesId: string | null; createdBy: string },
  ): Promise<void> {
    await tx.rows(
      `INSERT INTO consent_versions (tenant_id, id, consent_id, version, valid_from, valid_until, supersedes_id, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [tx.tenantId, renewal.versionId, renewal.consentId, renewal.version, renewal.validFrom, renewal.validUntil, renewal.supersedesId, renewal.createdBy],
    );
    await tx.rows(
      `UPDATE consents SET valid_until = $2, version = $3, expiry_swept_at = NULL, updated_at = now() WHERE id = $1`,
      [renewal.consentId, renewal.validUntil, renewal.version],
    );
  }

  /** Up to `limit` tenants with consents whose window has ended and that are not swept yet (across tenants). */
  async tenantsWithEnded(tx: Tx, limit: number): Promise<string[]> {
    const rows = await tx.rows<{ t: string }>(`SELECT custos_tenants_with_ended_consents($1) AS t`, [limit]);
    return rows.map((r) => r.t);
  }

  /** Consents not withdrawn whose window has ended and that are not swept yet, earliest end first, locked FOR UPDATE. */
  async lockEnded(tx: Tx, limit: number): Promise<string[]> {
    const rows = await tx.rows<{ id: string }>(
      `SELECT id FROM consents WHERE withdrawn_at IS NULL AND expiry_swept_at IS NULL AND valid_until <= now()
        ORDER BY valid_until LIMIT $1 FOR UPDATE`,
      [limit],
    );
    return rows.map((r) => r.id);
  }

  /** No live token is left on these ended consents: the sweep is done with them until a renewal. */
  async markSwept(tx: Tx, ids: readonly string[]): Promise<void> {
    await tx.rows(`UPDATE consents SET expiry_swept_at = now() WHERE id = ANY($1)`, [ids]);
  }
}
