import { Injectable } from '@nestjs/common';
import type { TokenStatus } from '@custos/contracts';
import type { Tx } from '../database/database';
import { ServiceEntity } from '../entities/service.entity';
import { TokenEntity } from '../entities/token.entity';
import { applyTokenFilter, type TokenFilter } from './token-filter';
import { tokenInsert, tokenInserts, type Statement } from './token-rows';

/** A keyset position in the token list, newest first: (created_at, id) of the last token seen. */
export interface TokenListPosition {
  createdAt: string;
  id: string;
}

/**
 * The tokens table, for the token use cases (issue, rotate, edit, lifecycle, read). Every method runs
 * in the caller's tenant transaction, row-level security scoping it to that tenant; a token of another
 * tenant is never found.
 */
@Injectable()
export class TokenRepository {
  /** The token, locked (FOR UPDATE) until the transaction ends. */
  async lockById(tx: Tx, id: string): Promise<TokenEntity | undefined> {
    const locked = await tx.rows(`SELECT 1 FROM tokens WHERE id = $1 FOR UPDATE`, [id]);
    return locked.length > 0 ? ((await tx.manager.findOneBy(TokenEntity, { id })) ?? undefined) : undefined;
  }

  /** The tokens of `ids` that exist, in id order (the order their locks are taken in), locked. */
  async lockByIds(tx: Tx, ids: readonly string[]): Promise<TokenEntity[]> {
    const locked = await tx.rows<{ id: string }>(`SELECT id FROM tokens WHERE id = ANY($1) ORDER BY id FOR UPDATE`, [ids]);
    if (locked.length === 0) return [];
    return tx.manager.createQueryBuilder(TokenEntity, 't').where('t.id = ANY(:ids)', { ids: locked.map((r) => r.id) }).orderBy('t.id').getMany();
  }

  /** The tokens of `ids` that exist, unlocked. */
  async findByIds(tx: Tx, ids: readonly string[]): Promise<TokenEntity[]> {
    if (ids.length === 0) return [];
    return tx.manager.createQueryBuilder(TokenEntity, 't').where('t.id = ANY(:ids)', { ids }).getMany();
  }

  /** Which of `ids` are tokens of the transaction's tenant. */
  async existingIds(tx: Tx, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await tx.rows<{ id: string }>('SELECT id FROM tokens WHERE id = ANY($1)', [ids]);
    return new Set(rows.map((r) => r.id));
  }

  async findById(tx: Tx, id: string): Promise<TokenEntity | undefined> {
    return (await tx.manager.findOneBy(TokenEntity, { id })) ?? undefined;
  }

  async findByLookupId(tx: Tx, lookupId: string): Promise<TokenEntity | undefined> {
    return (await tx.manager.findOneBy(TokenEntity, { lookupId })) ?? undefined;
  }

  /**
   * The tenant whose token has this lookup id, or null, from a system transaction (custos_resolve_token,
   * a SECURITY DEFINER resolver): for a request authenticated by the token itself, before its tenant is known.
   */
  async tenantOfLookupId(tx: Tx, lookupId: string): Promise<string | null> {
    const row = await tx.one<{ t: string | null }>(`SELECT custos_resolve_token($1) AS t`, [lookupId]);
    return row?.t ?? null;
  }

  /** The tenant of each lookup id that names a token (custos_resolve_token, from a system transaction); the others are left out. */
  async tenantsOfLookupIds(tx: Tx, lookupIds: readonly string[]): Promise<Map<string, string>> {
    const rows = await tx.rows<{ l: string; t: string | null }>(`SELECT l, custos_resolve_token(l) AS t FROM unnest($1::text[]) AS l`, [lookupIds]);
    return new Map(rows.filter((r) => r.t !== null).map((r) => [r.l, r.t!]));
  }

  /** The tokens of these lookup ids, in the transaction's tenant. */
  async findByLookupIds(tx: Tx, lookupIds: readonly string[]): Promise<TokenEntity[]> {
    if (lookupIds.length === 0) return [];
    return tx.manager.createQueryBuilder(TokenEntity, 't').where('t.lookupId = ANY(:lookupIds)', { lookupIds }).getMany();
  }

  /** Every token of a rotation lineage, oldest first. */
  async findLineage(tx: Tx, rootId: string): Promise<TokenEntity[]> {
    return tx.manager.find(TokenEntity, { where: { rootId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** Newest first, after `after` when given: up to `limit` tokens (ask one more than a page to tell there is a next). */
  async list(tx: Tx, filter: TokenFilter, after: TokenListPosition | null, limit: number): Promise<TokenEntity[]> {
    const qb = tx.manager.createQueryBuilder(TokenEntity, 't');
    applyTokenFilter(qb, filter);
    if (after) qb.andWhere('(t.created_at, t.id) < (:c, :i)', { c: after.createdAt, i: after.id });
    return qb.orderBy('t.created_at', 'DESC').addOrderBy('t.id', 'DESC').limit(limit).getMany();
  }

  /** A service of the tenant, that a token names as its owner. */
  async findOwnerService(tx: Tx, serviceId: string): Promise<ServiceEntity | undefined> {
    return (await tx.manager.findOneBy(ServiceEntity, { id: serviceId })) ?? undefined;
  }

  async insert(tx: Tx, token: TokenEntity): Promise<void> {
    const { sql, params } = tokenInsert(token);
    await tx.rows(sql, params);
  }

  /** The INSERT of these tokens as one statement, to run together with their audit events (AuditLog.recordWith). */
  insertStatement(tokens: readonly TokenEntity[]): Statement {
    return tokenInserts(tokens);
  }

  /** UPDATE of the given properties, mapped to columns through the entity's metadata. */
  async update(tx: Tx, id: string, changes: Partial<TokenEntity>): Promise<void> {
    const metadata = tx.manager.connection.getMetadata(TokenEntity);
    const sets: string[] = [];
    const params: unknown[] = [id];
    for (const [property, value] of Object.entries(changes)) {
      const column = metadata.findColumnWithPropertyName(property);
      if (!column) throw new Error(`tokens has no property ${property}`);
      params.push(column.type === 'jsonb' ? JSON.stringify(value) : value);
      sets.push(`${column.databaseName} = $${params.length}`);
    }
    if (sets.length > 0) await tx.rows(`UPDATE tokens SET ${sets.join(', ')} WHERE id = $1`, params);
  }

  /** A rotated token: it works on until `graceEndsAt`, and is no longer due a scheduled rotation. */
  async markRotated(tx: Tx, id: string, status: TokenStatus, graceEndsAt: Date, now: Date): Promise<void> {
    await tx.rows(
      `UPDATE tokens SET status = $2, grace_ends_at = $3, next_rotation_at = NULL, updated_at = $4 WHERE id = $1`,
      [id, status, graceEndsAt, now],
    );
  }

  async revokeAll(tx: Tx, ids: readonly string[], revoked: { at: Date; by: string | null; reason: string }): Promise<void> {
    await tx.rows(
      `UPDATE tokens SET status = 'revoked', revoked_at = $2, revoked_by = $3, revoked_reason = $4, updated_at = $2
          WHERE id = ANY($1)`,
      [ids, revoked.at, revoked.by, revoked.reason],
    );
  }
}
