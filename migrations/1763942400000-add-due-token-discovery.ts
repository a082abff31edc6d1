import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sweeps run across tenants but change rows inside one tenant's transaction (RLS). This finds the
 * tenants that have due work; the sweep then claims the rows itself with FOR UPDATE SKIP LOCKED.
 */
export class AddDueTokenDiscovery1763942400000 implements MigrationInterface {
  name = 'AddDueTokenDiscovery1763942400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION custos_tenants_with_due_tokens(p_kind text, p_limit integer) RETURNS SETOF text
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
          SELECT DISTINCT tenant_id FROM tokens
           WHERE (p_kind = 'expire' AND status IN ('active', 'suspended') AND expires_at <= now())
              OR (p_kind = 'grace_end' AND status = 'rotating' AND grace_ends_at <= now())
           LIMIT p_limit
        $$;
      REVOKE ALL ON FUNCTION custos_tenants_with_due_tokens(text, integer) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION custos_tenants_with_due_tokens(text, integer) TO custos_app;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS custos_tenants_with_due_tokens(text, integer)`);
  }
}
