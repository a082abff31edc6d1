import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { tenantSlugOf } from '@custos/domain';
import type { Tx } from '../database/database';
import { TenantEntity } from '../entities';

/** Tries of a random suffix before giving up on a slug (each a one-in-millions collision). */
const SLUG_TRIES = 5;

/** The tenant row itself; what lives inside a tenant has repositories of its own. */
@Injectable()
export class TenantRepository {
  /**
   * In the new tenant's own transaction (row-level security lets it insert only itself). The slug is
   * the name's (tenantSlugOf), with a short random suffix when another tenant has it: ON CONFLICT DO
   * NOTHING sees every tenant's slug without reading any, and two sign-ups of one name never fail.
   */
  async insert(tx: Tx, tenant: { name: string; createdAt: Date }): Promise<TenantEntity> {
    const base = tenantSlugOf(tenant.name);
    for (let attempt = 0; attempt <= SLUG_TRIES; attempt++) {
      const slug = attempt === 0 ? base : `${base}-${randomBytes(3).toString('hex')}`;
      const inserted = await tx.rows(`INSERT INTO tenants (id, name, slug, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (slug) DO NOTHING RETURNING id`, [
        tx.tenantId,
        tenant.name,
        slug,
        tenant.createdAt,
      ]);
      if (inserted.length === 1) return tx.manager.create(TenantEntity, { id: tx.tenantId!, name: tenant.name, slug, createdAt: tenant.createdAt });
    }
    throw new Error('no free slug for the tenant');
  }

  /** The transaction's own tenant. */
  current(tx: Tx): Promise<TenantEntity> {
    return tx.manager.findOneByOrFail(TenantEntity, { id: tx.tenantId! });
  }

  /** In a system transaction (the resolver is SECURITY DEFINER): the tenant a slug names; null when none. */
  async tenantOfSlug(tx: Tx, slug: string): Promise<string | null> {
    const row = await tx.one<{ tenant_id: string | null }>(`SELECT custos_resolve_tenant_slug($1) AS tenant_id`, [slug]);
    return row?.tenant_id ?? null;
  }
}
