import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Checkpoints often enough that a cut chain shows (docs/audit-chain.md#what-a-checkpoint-protects).
 *
 * custos_tenants_due_checkpoint replaces custos_tenants_needing_checkpoint: a tenant whose head moved
 * past its latest checkpoint's own event is due once it moved p_every_events events past it, or once
 * that checkpoint is p_max_age old (a tenant with no checkpoint yet: at once); either rule off when
 * NULL. SECURITY DEFINER, answering tenant ids only: the worker looks across tenants.
 *
 * audit_checkpoints refuses UPDATE, DELETE and TRUNCATE for every role, as audit_events does: a
 * checkpoint is written once, in the transaction that signs it, and never changes.
 */
export class AddCheckpointRules1765000000000 implements MigrationInterface {
  name = 'AddCheckpointRules1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION custos_tenants_due_checkpoint(p_after text, p_limit integer, p_every_events bigint, p_max_age interval)
        RETURNS SETOF text
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
          SELECT h.tenant_id FROM audit_heads h
            LEFT JOIN LATERAL (SELECT c.event_seq, c.at FROM audit_checkpoints c
                                WHERE c.tenant_id = h.tenant_id ORDER BY c.seq DESC LIMIT 1) c ON true
           WHERE h.tenant_id > p_after AND h.seq > coalesce(c.event_seq, 0)
             AND ((p_every_events IS NOT NULL AND h.seq - coalesce(c.event_seq, 0) >= p_every_events)
                  OR (p_max_age IS NOT NULL AND (c.at IS NULL OR c.at <= now() - p_max_age)))
           ORDER BY h.tenant_id
           LIMIT p_limit
        $$;
      REVOKE ALL ON FUNCTION custos_tenants_due_checkpoint(text, integer, bigint, interval) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION custos_tenants_due_checkpoint(text, integer, bigint, interval) TO custos_app;
      DROP FUNCTION custos_tenants_needing_checkpoint(text, integer);

      CREATE FUNCTION custos_checkpoints_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_checkpoints is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$;
      CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
        FOR EACH ROW EXECUTE FUNCTION custos_checkpoints_append_only();
      CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
        FOR EACH STATEMENT EXECUTE FUNCTION custos_checkpoints_append_only();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER IF EXISTS audit_checkpoints_no_truncate ON audit_checkpoints;
      DROP TRIGGER IF EXISTS audit_checkpoints_append_only ON audit_checkpoints;
      DROP FUNCTION IF EXISTS custos_checkpoints_append_only();
      DROP FUNCTION IF EXISTS custos_tenants_due_checkpoint(text, integer, bigint, interval);
      CREATE FUNCTION custos_tenants_needing_checkpoint(p_after text, p_limit integer) RETURNS SETOF text
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
          SELECT h.tenant_id FROM audit_heads h
           WHERE h.tenant_id > p_after AND h.seq > 0
             AND h.seq > coalesce((SELECT c.event_seq FROM audit_checkpoints c
                                    WHERE c.tenant_id = h.tenant_id ORDER BY c.seq DESC LIMIT 1), 0)
           ORDER BY h.tenant_id
           LIMIT p_limit
        $$;
      REVOKE ALL ON FUNCTION custos_tenants_needing_checkpoint(text, integer) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION custos_tenants_needing_checkpoint(text, integer) TO custos_app;
    `);
  }
}
