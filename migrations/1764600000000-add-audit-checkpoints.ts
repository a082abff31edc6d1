import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-tenant signing keys and signed checkpoints of the audit chain (docs/audit-chain.md).
 *
 * signing_keys: ES256 keys; the private JWK is sealed under CUSTOS_MASTER_KEY (the api and the worker
 * both sign), the public JWK is kept in the clear for the tenant's JWKS. At most one key of a tenant
 * signs (retired_at IS NULL); retired keys stay, because audit events are never deleted and their
 * checkpoints must keep verifying.
 *
 * audit_checkpoints: a JWS over a tenant's chain head, each naming the previous one; written once,
 * never changed. event_seq is the sequence number of the checkpoint's own audit event (the last its
 * transaction wrote): the worker skips a tenant whose head has not moved past it.
 */
export class AddAuditCheckpoints1764600000000 implements MigrationInterface {
  name = 'AddAuditCheckpoints1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE signing_keys (
        tenant_id text NOT NULL REFERENCES tenants (id),
        kid text NOT NULL,
        alg text NOT NULL DEFAULT 'ES256' CHECK (alg = 'ES256'),
        public_jwk jsonb NOT NULL,
        private_sealed text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        retired_at timestamptz,
        PRIMARY KEY (tenant_id, kid)
      );
      -- One signing key per tenant at a time.
      CREATE UNIQUE INDEX signing_keys_active_idx ON signing_keys (tenant_id) WHERE retired_at IS NULL;

      CREATE TABLE audit_checkpoints (
        tenant_id text NOT NULL REFERENCES tenants (id),
        id text NOT NULL,
        seq bigint NOT NULL CHECK (seq > 0),
        hash text NOT NULL,
        at timestamptz NOT NULL,
        prev_checkpoint_id text,
        kid text NOT NULL,
        jws text NOT NULL,
        event_seq bigint NOT NULL CHECK (event_seq > seq),
        PRIMARY KEY (tenant_id, id),
        -- Each checkpoint writes an event, so a tenant's checkpoints have strictly increasing seq:
        -- this index orders them (keyset paging, latest first) and finds the latest.
        UNIQUE (tenant_id, seq),
        FOREIGN KEY (tenant_id, kid) REFERENCES signing_keys (tenant_id, kid),
        FOREIGN KEY (tenant_id, prev_checkpoint_id) REFERENCES audit_checkpoints (tenant_id, id)
      );
    `);

    for (const table of ['signing_keys', 'audit_checkpoints']) {
      await q.query(`
        ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
        CREATE POLICY tenant_isolation ON ${table}
          USING (tenant_id = current_setting('app.tenant_id', true))
          WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
      `);
    }

    await q.query(`
      -- Tenants whose chain head moved past their latest checkpoint's own event, in id order from p_after.
      CREATE FUNCTION custos_tenants_needing_checkpoint(p_after text, p_limit integer) RETURNS SETOF text
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
          SELECT h.tenant_id FROM audit_heads h
           WHERE h.tenant_id > p_after AND h.seq > 0
             AND h.seq > coalesce((SELECT c.event_seq FROM audit_checkpoints c
                                    WHERE c.tenant_id = h.tenant_id ORDER BY c.seq DESC LIMIT 1), 0)
           ORDER BY h.tenant_id
           LIMIT p_limit
        $$;
      -- Tenants whose signing key is older than p_max_age, in id order from p_after.
      CREATE FUNCTION custos_tenants_with_old_signing_keys(p_max_age interval, p_after text, p_limit integer) RETURNS SETOF text
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
          SELECT k.tenant_id FROM signing_keys k
           WHERE k.retired_at IS NULL AND k.created_at <= now() - p_max_age AND k.tenant_id > p_after
           ORDER BY k.tenant_id
           LIMIT p_limit
        $$;
      REVOKE ALL ON FUNCTION custos_tenants_needing_checkpoint(text, integer),
        custos_tenants_with_old_signing_keys(interval, text, integer) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION custos_tenants_needing_checkpoint(text, integer),
        custos_tenants_with_old_signing_keys(interval, text, integer) TO custos_app;

      GRANT SELECT, INSERT ON signing_keys, audit_checkpoints TO custos_app;
      GRANT UPDATE (retired_at) ON signing_keys TO custos_app;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP FUNCTION IF EXISTS custos_tenants_needing_checkpoint(text, integer);
      DROP FUNCTION IF EXISTS custos_tenants_with_old_signing_keys(interval, text, integer);
      DROP TABLE IF EXISTS audit_checkpoints, signing_keys;
    `);
  }
}
